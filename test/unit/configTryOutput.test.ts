// "Try on the last run's output" in the host (src/vscode/config/outputTry.ts, no VS Code): real run folders with an
// output.log, the stdout plugin started by a real PluginManager, and a plugin that has only createParser().
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PluginManager } from '../../src/core/manager';
import type { MetricRecord } from '../../src/core/parse/metricRecord';
import { PluginBase, type OutputParser, type PluginMetadataInput } from '../../src/core/plugin';
import { RunSummaries } from '../../src/core/series/runSummaries';
import { newRunRecord, writeRunRecord } from '../../src/core/store/runRecord';
import { StdoutFramework } from '../../src/plugins/stdout/stdoutFramework';
import { STDOUT_PRESETS } from '../../src/plugins/stdout/stdoutPresets';
import { TRY_LIMITS, outputRuns, tryOnOutput, type TryRequest } from '../../src/vscode/config/outputTry';
import type { OutputPreview, TryResultMessage } from '../../src/webviewProtocol/configTry';

const corpus = path.join(__dirname, '..', 'fixtures', 'stdout-corpus');
const KEY_COLON = STDOUT_PRESETS.find((p) => p.name.startsWith('Keras'))!.config;
const TABLES = STDOUT_PRESETS.find((p) => p.name === 'Tables with a step column')!.config;

/** Reads `name: value` lines only, always with the same settings: a plugin written before createParserFor. */
class LegacyParserPlugin extends PluginBase {
  getMetadata(): PluginMetadataInput {
    return { name: 'legacy_parser', version: '1.0.0', pluginType: 'framework', capabilities: ['outputParser'] };
  }
  start(): void {}
  stop(): void {}
  getStatus(): Record<string, unknown> {
    return {};
  }
  createParser(): OutputParser {
    let line = 0;
    const read = (text: string): MetricRecord[] =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .flatMap((l) => {
          line++;
          const m = /^(\w+): (\d+(?:\.\d+)?)$/.exec(l);
          return m ? [{ name: m[1]!, value: Number(m[2]), line }] : [];
        });
    return { push: (chunk) => read(String(chunk)), end: () => [] };
  }
}

async function started(config: Record<string, unknown> = {}): Promise<PluginManager> {
  const manager = new PluginManager({
    builtins: [StdoutFramework, LegacyParserPlugin],
    pluginPaths: [],
    env: {},
    homeDir: os.tmpdir(),
    storageRoot: os.tmpdir(),
    timeoutMs: 5000,
  });
  await manager.discoverPlugins();
  await manager.startPlugins({ stdout: config, legacy_parser: {} });
  return manager;
}

function runsRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-try-'));
}

/** A run folder as a tracked run leaves it: run.json, and output.log when `output` is given. */
function addRun(root: string, id: string, startTime: number, output?: string): string {
  const dir = path.join(root, id);
  fs.mkdirSync(dir, { recursive: true });
  const record = newRunRecord({ id, name: `train.py ${id}`, command: 'python train.py', cwd: root, startTime, host: 'h', user: 'u', tags: {} });
  record.status = 'finished';
  writeRunRecord(dir, record);
  if (output !== undefined) fs.writeFileSync(path.join(dir, 'output.log'), output);
  return dir;
}

function request(manager: PluginManager, root: string, fields: Partial<TryRequest> = {}): TryRequest {
  return { manager, name: 'stdout', runsRoot: root, summaries: new RunSummaries(), draft: {}, saved: {}, runId: null, ...fields };
}

function preview(result: TryResultMessage): OutputPreview {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.preview;
}

describe('Try on the last run’s output (host)', () => {
  it('says so when no run has stored output yet', async () => {
    const root = runsRoot();
    addRun(root, '20260101-100000-aaaa', 1000);
    const result = await tryOnOutput(request(await started(), root));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /No run has stored output yet/);
  });

  it('reads the newest run that has output with the draft, and compares with the saved settings', async () => {
    const root = runsRoot();
    addRun(root, '20260101-100000-aaaa', 1000, 'loss: 9\n');
    addRun(root, '20260101-110000-bbbb', 2000, fs.readFileSync(path.join(corpus, 'xgboost-native.txt'), 'utf8'));
    addRun(root, '20260101-120000-cccc', 3000);
    const manager = await started(TABLES);
    const result = await tryOnOutput(request(manager, root, { draft: KEY_COLON, saved: TABLES }));
    const p = preview(result);
    assert.deepEqual(
      result.runs.map((r) => r.id),
      ['20260101-110000-bbbb', '20260101-100000-aaaa'],
      'newest first, only runs with output',
    );
    assert.equal(p.run.id, '20260101-110000-bbbb');
    // From xgboost-native.expected.jsonl: 4 series of 15 rounds, steps 0 to 14.
    assert.deepEqual(
      p.draft.series.map((s) => s.name),
      ['train-logloss', 'train-auc', 'valid-logloss', 'valid-auc'],
    );
    const last = fs
      .readFileSync(path.join(corpus, 'xgboost-native.expected.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; value: number; step: number })
      .filter((r) => r.name === 'valid-auc')
      .at(-1)!;
    const validAuc = p.draft.series.find((s) => s.name === 'valid-auc')!;
    assert.deepEqual(validAuc, { name: 'valid-auc', count: 15, firstStep: 0, lastStep: last.step, lastEpoch: undefined, lastValue: last.value });
    assert.equal(p.draft.recordCount, 60);
    assert.equal(p.draft.records.length, 50, 'the first 50 records as a table');
    assert.deepEqual(p.draft.records[0], { name: 'train-logloss', value: 0.5314, step: 0, epoch: undefined, line: 1 });
    assert.deepEqual(p.diff, { added: ['train-logloss', 'train-auc', 'valid-logloss', 'valid-auc'], removed: [], changed: [] });
    assert.equal(p.savedRecordCount, 0);
    assert.equal(p.parsedChars, p.textChars);
  });

  it('reads the run the user picked; a run whose folder was removed is named as gone', async () => {
    const root = runsRoot();
    addRun(root, '20260101-100000-aaaa', 1000, 'loss: 0.5\nloss: 0.25\n');
    const newer = addRun(root, '20260101-110000-bbbb', 2000, 'acc: 0.9\n');
    const manager = await started();
    const p = preview(await tryOnOutput(request(manager, root, { runId: '20260101-100000-aaaa' })));
    assert.deepEqual(p.draft.series, [{ name: 'loss', count: 2, firstStep: undefined, lastStep: undefined, lastEpoch: undefined, lastValue: 0.25 }]);
    assert.deepEqual(p.diff, { added: [], removed: [], changed: [] });
    fs.rmSync(newer, { recursive: true });
    const gone = await tryOnOutput(request(manager, root, { runId: '20260101-110000-bbbb' }));
    assert.equal(gone.ok, false);
    assert.match(gone.ok ? '' : gone.message, /folder of run 20260101-110000-bbbb was removed; pick another run/);
    assert.deepEqual(
      gone.runs.map((r) => r.id),
      ['20260101-100000-aaaa'],
    );
  });

  it('does not try a draft the plugin refuses, and names the field', async () => {
    const root = runsRoot();
    addRun(root, '20260101-100000-aaaa', 1000, 'loss: 0.5\n');
    const draft = { customPatterns: [{ pattern: '(?=lookahead)(?<value>\\d+)', name: 'x' }] };
    const result = await tryOnOutput(request(await started(), root, { draft }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.message, /^Not tried: customPatterns\[0\]/);
    assert.deepEqual(
      result.errors.map((e) => e.path),
      ['/customPatterns/0/pattern'],
    );
  });

  it('reads the tail of a long output, and stops at its time limit with what it read', async () => {
    const root = runsRoot();
    const lines = Array.from({ length: 20_000 }, (_, i) => `step=${i} loss=${(1 / (i + 1)).toFixed(6)}\n`).join('');
    addRun(root, '20260101-100000-aaaa', 1000, lines);
    const manager = await started();
    const limits = { ...TRY_LIMITS, maxBytes: 64 * 1024 };
    const tail = preview(await tryOnOutput(request(manager, root, { limits })));
    assert.equal(tail.totalBytes, Buffer.byteLength(lines));
    assert.ok(tail.bytesRead <= 64 * 1024 && tail.bytesRead > 60 * 1024, `${tail.bytesRead} bytes read`);
    const loss = tail.draft.series.find((s) => s.name === 'loss')!;
    assert.equal(loss.lastStep, 19_999, 'the end of the run is read');
    assert.ok(loss.firstStep! > 15_000, `from its tail: first step ${loss.firstStep}`);

    const cut = preview(await tryOnOutput(request(manager, root, { limits: { ...TRY_LIMITS, timeMs: 0, chunkChars: 4096 } })));
    assert.equal(cut.parsedChars, 4096, 'one chunk, then the time limit');
    assert.ok(cut.textChars > cut.parsedChars);
    assert.ok(cut.draft.recordCount > 0 && cut.savedRecordCount === cut.draft.recordCount);
  });

  it('with a plugin that has only createParser, shows what its saved settings capture and says so', async () => {
    const root = runsRoot();
    addRun(root, '20260101-100000-aaaa', 1000, 'loss: 0.5\nnot a metric\nacc: 0.75\n');
    const p = preview(await tryOnOutput(request(await started(), root, { name: 'legacy_parser', draft: { anything: 1 } })));
    assert.deepEqual(
      p.draft.series.map((s) => [s.name, s.lastValue]),
      [
        ['loss', 0.5],
        ['acc', 0.75],
      ],
    );
    assert.equal(p.diff, undefined);
    assert.match(p.note ?? '', /reads output only with its saved settings/);
  });

  it('lists at most the limit of runs, newest first, skipping a link planted as output.log', () => {
    const root = runsRoot();
    for (let i = 0; i < 5; i++) addRun(root, `2026010${i}-100000-aaaa`, 1000 + i, 'loss: 1\n');
    const linked = addRun(root, '20260109-100000-aaaa', 9000);
    fs.symlinkSync(path.join(root, '20260100-100000-aaaa', 'output.log'), path.join(linked, 'output.log'));
    assert.deepEqual(
      outputRuns(new RunSummaries(), root, 3).map((r) => r.id),
      ['20260104-100000-aaaa', '20260103-100000-aaaa', '20260102-100000-aaaa'],
    );
  });
});
