// Issue 15's corpus (test/fixtures/stdout-corpus/, conventions in its SOURCES.md): the output of 26 training libraries
// fed through the stdout plugin's parser as a tracked terminal feeds it, compared with records written by reading the
// output. It prints recall and precision per file and library (the table in src/core/parse/README.md) and requires
// both at 100 %.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';

const root = path.join(__dirname, '..', '..');
const dir = path.join(root, 'test', 'fixtures', 'stdout-corpus');
const harnessDir = path.join(dir, 'harness');
const venvPython = path.join(root, '.cache', 'venv-corpus', 'bin', 'python');
// The live test needs only XGBoost and LightGBM: `scripts/setup-corpus.sh live` (requirements-corpus-live.txt), not the full list.
const venvStamp = path.join(root, '.cache', 'venv-corpus', '.tracelet-corpus-live-stamp');

/** One expected or produced record, without the line number (the expected files do not give it). */
interface Rec {
  name: string;
  value: number;
  step?: number;
  epoch?: number;
}

interface Score {
  file: string;
  library: string;
  expected: number;
  produced: number;
  matched: number;
}

function corpusNames(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** The library a corpus file belongs to: its name up to the first `-` (`xgboost-native` → `xgboost`). */
function libraryOf(name: string): string {
  return name.split('-')[0]!;
}

function readExpected(file: string): Rec[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const r = JSON.parse(l) as Rec;
      assert.equal(typeof r.name, 'string', `${file}:${i + 1}: name`);
      assert.equal(typeof r.value, 'number', `${file}:${i + 1}: value`);
      for (const k of Object.keys(r)) assert.ok(['name', 'value', 'step', 'epoch'].includes(k), `${file}:${i + 1}: unknown key ${k}`);
      return r;
    });
}

/** A stdout plugin started by the manager with its schema defaults, as the extension starts it. */
async function startedPlugin(): Promise<{ plugin: StdoutFramework; manager: PluginManager }> {
  const manager = new PluginManager({ builtins: [StdoutFramework], pluginPaths: [], env: {}, homeDir: os.tmpdir(), storageRoot: os.tmpdir(), timeoutMs: 5000 });
  await manager.discoverPlugins();
  await manager.startPlugins({ stdout: {} });
  assert.equal(manager.getPluginInfo('stdout')?.state, 'active');
  return { plugin: manager.getInstance('stdout') as StdoutFramework, manager };
}

/**
 * Feeds raw terminal bytes as a tracked run does (RunSession.feed with what `execution.read()` yields: the output as
 * text, in chunks that may end anywhere) and returns the records without their line numbers.
 */
function parseBytes(plugin: StdoutFramework, bytes: Uint8Array, chunk = 4096): Rec[] {
  const parser = plugin.createParser();
  const decoder = new TextDecoder('utf-8');
  const out: MetricRecord[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...parser.push(decoder.decode(bytes.subarray(i, i + chunk), { stream: true })));
  const rest = decoder.decode();
  if (rest !== '') out.push(...parser.push(rest));
  out.push(...parser.end());
  return out.map((r) => {
    const rec: Rec = { name: r.name, value: r.value };
    if (r.step !== undefined) rec.step = r.step;
    if (r.epoch !== undefined) rec.epoch = r.epoch;
    return rec;
  });
}

function key(r: Rec): string {
  return JSON.stringify([r.name, Object.is(r.value, -0) ? 0 : r.value, r.step ?? null, r.epoch ?? null]);
}

/** How many produced records match an expected one (name, value, step and epoch all equal), each used once. */
function matchCount(expected: readonly Rec[], produced: readonly Rec[]): number {
  const left = new Map<string, number>();
  for (const r of expected) left.set(key(r), (left.get(key(r)) ?? 0) + 1);
  let matched = 0;
  for (const r of produced) {
    const n = left.get(key(r)) ?? 0;
    if (n > 0) {
      left.set(key(r), n - 1);
      matched++;
    }
  }
  return matched;
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '  -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}`;
}

function scoreFile(plugin: StdoutFramework, folder: string, name: string): Score {
  const expected = readExpected(path.join(folder, `${name}.expected.jsonl`));
  const produced = parseBytes(plugin, fs.readFileSync(path.join(folder, `${name}.txt`)));
  return { file: name, library: libraryOf(name), expected: expected.length, produced: produced.length, matched: matchCount(expected, produced) };
}

function table(scores: readonly Score[]): string {
  const byLib = new Map<string, Score>();
  for (const s of scores) {
    const t = byLib.get(s.library) ?? { file: '', library: s.library, expected: 0, produced: 0, matched: 0 };
    t.expected += s.expected;
    t.produced += s.produced;
    t.matched += s.matched;
    byLib.set(s.library, t);
  }
  const total: Score = { file: '', library: 'all', expected: 0, produced: 0, matched: 0 };
  for (const s of scores) {
    total.expected += s.expected;
    total.produced += s.produced;
    total.matched += s.matched;
  }
  const rows = [...byLib.values(), total].map(
    (s) =>
      `| ${s.library.padEnd(20)} | ${String(s.expected).padStart(8)} | ${String(s.produced).padStart(8)} | ${pct(s.matched, s.expected)} | ${pct(s.matched, s.produced)} |`,
  );
  return ['| library              | expected | produced | recall % | precision % |', '|---|---:|---:|---:|---:|', ...rows].join('\n');
}

const names = corpusNames(dir);

describe('stdout corpus of training libraries (issue 15)', () => {
  it('has at least 25 libraries, an expected file and a SOURCES.md entry for every output file', () => {
    const sources = fs.readFileSync(path.join(dir, 'SOURCES.md'), 'utf8');
    const libraries = new Set(names.map(libraryOf));
    assert.ok(libraries.size >= 25, `only ${libraries.size} libraries: ${[...libraries].join(', ')}`);
    for (const name of names) {
      assert.ok(fs.existsSync(path.join(dir, `${name}.expected.jsonl`)), `${name}.expected.jsonl is missing`);
      assert.ok(sources.includes(`\`${name}.txt\``), `SOURCES.md does not describe ${name}.txt`);
      assert.ok(readExpected(path.join(dir, `${name}.expected.jsonl`)).length > 0, `${name} expects no record`);
    }
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.expected.jsonl'))) {
      assert.ok(names.includes(f.slice(0, -'.expected.jsonl'.length)), `${f} has no output file`);
    }
  });

  it('the harness scores the documented forms of the current README at 100 % (so a low score is the parser, not the harness)', async () => {
    const { plugin, manager } = await startedPlugin();
    for (const name of corpusNames(harnessDir)) {
      const s = scoreFile(plugin, harnessDir, name);
      assert.ok(s.expected > 0, name);
      assert.equal(s.matched, s.expected, `${name}: recall ${s.matched}/${s.expected}`);
      assert.equal(s.produced, s.expected, `${name}: precision ${s.matched}/${s.produced}`);
    }
    // and the matcher counts a wrong step, epoch, value or name, and a duplicate, as a miss
    const exp: Rec[] = [{ name: 'loss', value: 0.5, step: 1, epoch: 2 }];
    assert.equal(matchCount(exp, [{ name: 'loss', value: 0.5, step: 1, epoch: 2 }]), 1);
    for (const wrong of [{ step: 2 }, { epoch: undefined }, { value: 0.51 }, { name: 'Loss' }]) assert.equal(matchCount(exp, [{ ...exp[0]!, ...wrong }]), 0);
    assert.equal(matchCount(exp, [exp[0]!, exp[0]!]), 1);
    await manager.stopAll();
  });

  it('measures recall and precision of the current parser per file and library (printed)', async () => {
    const { plugin, manager } = await startedPlugin();
    const scores = names.map((n) => scoreFile(plugin, dir, n));
    const perFile = scores.map(
      (s) =>
        `  ${s.file.padEnd(42)} recall ${pct(s.matched, s.expected)} %  precision ${pct(s.matched, s.produced)} %  (${s.matched}/${s.expected} expected, ${s.produced} produced)`,
    );
    console.log(`stdout corpus, per file:\n${perFile.join('\n')}\n\nper library:\n${table(scores)}`);
    for (const s of scores) assert.ok(s.matched <= Math.min(s.expected, s.produced), s.file);
    await manager.stopAll();
  });

  it('the current parser captures every expected record and nothing else in every corpus file', async () => {
    const { plugin, manager } = await startedPlugin();
    const failures = names
      .map((n) => scoreFile(plugin, dir, n))
      .filter((s) => s.matched !== s.expected || s.produced !== s.expected)
      .map((s) => `${s.file}: ${s.matched}/${s.expected} expected found, ${s.produced} produced`);
    assert.deepEqual(failures, []);
    await manager.stopAll();
  });
});

/** The output with its numbers and timing taken out: what must stay the same when a library runs again. */
function shape(bytes: Buffer): string {
  return bytes
    .toString('utf8')
    .replace(/\/\S*\/site-packages\//g, '<site-packages>/')
    .replace(/[-+]?\d[\d.e+-]*/g, '#');
}

function nameCounts(records: readonly Rec[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const r of records) c[r.name] = (c[r.name] ?? 0) + 1;
  return c;
}

describe('stdout corpus, captured live', () => {
  it('re-captures XGBoost under a pseudo-terminal with the same shape, and the parser reads it as it reads the committed capture', async (t) => {
    if (process.env.TRACELET_CORPUS_LIVE === '0') {
      t.skip('TRACELET_CORPUS_LIVE=0');
      return;
    }
    const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup-corpus.sh'), 'live'], { cwd: root, encoding: 'utf8', timeout: 20 * 60_000 });
    if (setup.status !== 0 || !fs.existsSync(venvStamp)) {
      if (process.env.TRACELET_REQUIRE_CORPUS === '1') assert.fail(`scripts/setup-corpus.sh failed: ${setup.stderr}`);
      t.skip(`the corpus venv could not be made (scripts/setup-corpus.sh): ${(setup.stderr || setup.error?.message || '').trim().split('\n').pop()}`);
      return;
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-corpus-'));
    try {
      const name = 'xgboost-native';
      const run = spawnSync(venvPython, [path.join(root, 'test', 'corpus', 'capture.py'), '--out', out, name], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(run.status, 0, run.stderr);
      const live = fs.readFileSync(path.join(out, `${name}.txt`));
      const committed = fs.readFileSync(path.join(dir, `${name}.txt`));
      assert.equal(shape(live), shape(committed), 'the live output has the shape of the committed capture');
      const { plugin, manager } = await startedPlugin();
      assert.deepEqual(nameCounts(parseBytes(plugin, live)), nameCounts(parseBytes(plugin, committed)));
      const expected = readExpected(path.join(dir, `${name}.expected.jsonl`));
      assert.equal(expected.length, 60, 'the committed expected file: 15 rounds x 4 values');
      await manager.stopAll();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  for (const name of ['xgboost-native', 'lightgbm-native']) {
    it(`the parser reads a live ${name} capture into the expected names and counts`, async (t) => {
      if (process.env.TRACELET_CORPUS_LIVE === '0' || !fs.existsSync(venvStamp)) {
        t.skip(process.env.TRACELET_CORPUS_LIVE === '0' ? 'TRACELET_CORPUS_LIVE=0' : 'no corpus venv (see the test above)');
        return;
      }
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-corpus-'));
      try {
        const run = spawnSync(venvPython, [path.join(root, 'test', 'corpus', 'capture.py'), '--out', out, name], { encoding: 'utf8', timeout: 120_000 });
        assert.equal(run.status, 0, run.stderr);
        const { plugin, manager } = await startedPlugin();
        const produced = parseBytes(plugin, fs.readFileSync(path.join(out, `${name}.txt`)));
        assert.deepEqual(nameCounts(produced), nameCounts(readExpected(path.join(dir, `${name}.expected.jsonl`))));
        await manager.stopAll();
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  }
});
