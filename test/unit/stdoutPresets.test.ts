// The stdout plugin's presets (issue 15, item 8): each is a config the plugin accepts, and read with it, the corpus
// files it is meant for give exactly their expected records (written by reading the output, see the corpus's
// SOURCES.md). The templates are checked on output of the form they name, and against the whole corpus.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { presetsOf } from '../../src/core/form/presets';
import { PluginManager } from '../../src/core/manager';
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import { normaliseSchema } from '../../src/core/schema';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';
import { STDOUT_PRESETS } from '../../src/plugins/stdout/stdoutPresets';

const root = path.join(__dirname, '..', '..');
const corpus = path.join(root, 'test', 'fixtures', 'stdout-corpus');

/** What each preset is meant for: corpus files (without `.txt`) whose records it must give exactly. */
const MEANT_FOR: Record<string, string[]> = {
  'Tables with a step column': ['fastai-fit-one-cycle', 'sklearn-gradient-boosting', 'spacy-train', 'ultralytics-yolo-train', 'stablebaselines3-ppo'],
  'Keras, XGBoost, LightGBM, CatBoost: name: value only': [
    'keras3-jax-verbose1',
    'keras3-jax-verbose1-evaluate',
    'keras3-jax-verbose2',
    'keras3-jax-verbose2-metrics',
    'tfkeras2-fit',
    'xgboost-native',
    'xgboost-native-early-stopping',
    'xgboost-native-every5',
    'xgboost-sklearn',
    'xgboost-sklearn-regressor',
    'lightgbm-native',
    'lightgbm-native-info',
    'lightgbm-sklearn',
    'catboost-metrics',
    'catboost-period',
    'catboost-verbose',
    'mmdetection2-train',
    'timm-train',
  ],
  'nanoGPT, fairseq, scikit-learn MLP: name=value and name value only': ['nanogpt-train', 'fairseq-train', 'sklearn-mlp', 'ngboost-regressor'],
  'Hugging Face Trainer dicts only': ['transformers-4-trainer-progress', 'transformers-5-trainer-printer'],
};

interface Rec {
  name: string;
  value: number;
  step?: number;
  epoch?: number;
}

function key(r: Rec): string {
  return JSON.stringify([r.name, Number.isNaN(r.value) ? 'NaN' : r.value, r.step ?? null, r.epoch ?? null]);
}

function sorted(records: readonly Rec[]): string[] {
  return records.map(key).sort();
}

function expectedOf(name: string): Rec[] {
  return fs
    .readFileSync(path.join(corpus, `${name}.expected.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Rec);
}

/** The stdout plugin started by the manager with `config`, as Save would start it. */
async function startedWith(config: Record<string, unknown>): Promise<StdoutFramework> {
  const manager = new PluginManager({ builtins: [StdoutFramework], pluginPaths: [], env: {}, homeDir: os.tmpdir(), storageRoot: os.tmpdir(), timeoutMs: 5000 });
  await manager.discoverPlugins();
  await manager.startPlugins({ stdout: config });
  assert.equal(manager.getPluginInfo('stdout')?.state, 'active', manager.getPluginInfo('stdout')?.error);
  return manager.getInstance('stdout') as StdoutFramework;
}

/** A terminal's bytes fed in 4 KiB pieces, as a tracked run feeds them. */
function read(parser: { push(c: string): MetricRecord[]; end(): MetricRecord[] }, text: string): Rec[] {
  const out: MetricRecord[] = [];
  for (let i = 0; i < text.length; i += 4096) out.push(...parser.push(text.slice(i, i + 4096)));
  out.push(...parser.end());
  return out.map(({ name, value, step, epoch }) => ({ name, value, ...(step !== undefined ? { step } : {}), ...(epoch !== undefined ? { epoch } : {}) }));
}

function preset(name: string): (typeof STDOUT_PRESETS)[number] {
  const found = STDOUT_PRESETS.find((p) => p.name === name);
  assert.ok(found, `no preset "${name}"`);
  return found;
}

describe('stdout presets', () => {
  it('are offered by the schema, each a config the plugin accepts', () => {
    const schema = normaliseSchema(new StdoutFramework().getMetadata().configSchema);
    const manager = new PluginManager({ builtins: [], pluginPaths: [], env: {}, homeDir: os.tmpdir(), storageRoot: os.tmpdir() });
    const { presets, problems } = presetsOf(schema, (config) => {
      const v = manager.validateConfig(new StdoutFramework().getMetadata().configSchema ?? {}, config);
      return v.valid ? undefined : JSON.stringify(v.errors);
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      presets.map((p) => p.name),
      STDOUT_PRESETS.map((p) => p.name),
    );
    for (const p of presets) assert.ok(p.description.length > 40, `${p.name} says what it is for`);
  });

  for (const [name, files] of Object.entries(MEANT_FOR)) {
    it(`"${name}" gives the expected records of ${files.length} corpus files`, async () => {
      const plugin = await startedWith(preset(name).config);
      for (const file of files) {
        const text = fs.readFileSync(path.join(corpus, `${file}.txt`), 'utf8');
        const expected = sorted(expectedOf(file));
        assert.deepEqual(sorted(read(plugin.createParser(), text)), expected, `${file} read with "${name}"`);
        // Try reads with createParserFor: the same records as the saved preset gives.
        assert.deepEqual(sorted(read(plugin.createParserFor(preset(name).config), text)), expected, `${file} tried with "${name}"`);
      }
    });
  }

  it('each format preset reads nothing from the files meant for another', async () => {
    for (const [name, own] of Object.entries(MEANT_FOR)) {
      const plugin = await startedWith(preset(name).config);
      for (const file of Object.values(MEANT_FOR).flat()) {
        if (own.includes(file)) continue;
        assert.deepEqual(read(plugin.createParser(), fs.readFileSync(path.join(corpus, `${file}.txt`), 'utf8')), [], `${file} read with "${name}"`);
      }
    }
  });

  // By name and value only: on a file it is not meant for, a record may lose the step a line of another format gave
  // (scikit-learn's MLP prints `Validation score: 0.66` under `Iteration 3, loss = 0.75`, which "name: value only" skips).
  it('each format preset reads nothing but its format: on every corpus file it gives no value the file does not expect', async () => {
    const nameValue = (records: readonly Rec[]) => records.map((r) => key({ name: r.name, value: r.value }));
    for (const name of Object.keys(MEANT_FOR)) {
      const plugin = await startedWith(preset(name).config);
      for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.txt'))) {
        const expected = new Set(nameValue(expectedOf(file.slice(0, -4))));
        const extra = nameValue(read(plugin.createParser(), fs.readFileSync(path.join(corpus, file), 'utf8'))).filter((k) => !expected.has(k));
        assert.deepEqual(extra, [], `${file} read with "${name}"`);
      }
    }
  });

  it('"JSON lines only" reads JSON lines, and where guessing reads a log line as pairs, nothing else', async () => {
    const plugin = await startedWith(preset('JSON lines only').config);
    const text = 'INFO step=3 lr=0.1 loading shard 2: 500 files\n{"step": 10, "loss": 0.5, "eval": {"acc": 0.9}}\n{"step": 20, "loss": NaN}\n';
    assert.deepEqual(read(plugin.createParser(), text), [
      { name: 'loss', value: 0.5, step: 10 },
      { name: 'eval/acc', value: 0.9, step: 10 },
      { name: 'loss', value: Number.NaN, step: 20 },
    ]);
    const guessing = await startedWith({});
    assert.ok(
      read(guessing.createParser(), text).some((r) => r.name === 'lr'),
      'with every format on, the log line gives lr: what the preset is for',
    );
  });

  it('the "at step" template reads lines of its form, and no line of the corpus', async () => {
    const template = preset('Custom pattern: <name> <value> at step <n>');
    const plugin = await startedWith(template.config);
    assert.deepEqual(read(plugin.createParser(), 'loss 0.25 at step 100\nval/acc 0.91 at step 100\nlr 1e-4 at step 200\n'), [
      { name: 'loss', value: 0.25, step: 100 },
      { name: 'val/acc', value: 0.91, step: 100 },
      { name: 'lr', value: 0.0001, step: 200 },
    ]);
    for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.txt'))) {
      const records = read(plugin.createParser(), fs.readFileSync(path.join(corpus, file), 'utf8'));
      assert.deepEqual(sorted(records), sorted(expectedOf(file.slice(0, -4))), `${file}: the template changes nothing`);
    }
  });

  it('the fixed-name template reads sacreBLEU’s score alone, where guessing reads its brevity penalty and lengths', async () => {
    // As printed by `print(bleu.corpus_score(hyps, [refs]))`; the figures are from a sacreBLEU 2.4.0 run shown in a README.
    const line = 'BLEU = 12.60 41.3/13.6/8.1/5.6 (BP = 1.000 ratio = 1.033 hyp_len = 6421 ref_len = 6218)\n';
    const plugin = await startedWith(preset('Custom pattern: one value with a fixed name (BLEU = 27.35 …)').config);
    assert.deepEqual(read(plugin.createParser(), line), [{ name: 'BLEU', value: 12.6 }]);
    const guessing = await startedWith({});
    assert.notDeepEqual(read(guessing.createParser(), line), [{ name: 'BLEU', value: 12.6 }]);
    for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.txt'))) {
      const records = read(plugin.createParser(), fs.readFileSync(path.join(corpus, file), 'utf8'));
      assert.deepEqual(sorted(records), sorted(expectedOf(file.slice(0, -4))), `${file}: the template changes nothing`);
    }
  });

  it('createParserFor leaves the plugin as it is, and refuses an unusable pattern naming it', async () => {
    const plugin = await startedWith({});
    const before = plugin.getStatus();
    assert.deepEqual(read(plugin.createParserFor(preset('JSON lines only').config), 'loss=0.5\n'), []);
    assert.deepEqual(read(plugin.createParser(), 'loss=0.5\n'), [{ name: 'loss', value: 0.5 }]);
    assert.equal(plugin.getStatus().parsersCreated, Number(before.parsersCreated) + 1);
    assert.throws(() => plugin.createParserFor({ customPatterns: [{ pattern: '(?=x)(?<value>\\d+)', name: 'x' }] }), /customPatterns\[0\]/);
  });
});
