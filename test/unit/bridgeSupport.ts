// Shared by the bridge and tracker tests: a sandboxed HOME for the SDKs, the venv's Python as the interpreter, and a run pipeline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { guard } from '../../src/core/guard';
import { silentLogger } from '../../src/core/logger';
import { sinkForBackend, type GuardedCall } from '../../src/core/pipeline/backendSink';
import { findRunsToRecover, recoverRun } from '../../src/core/pipeline/recovery';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { setPythonSources } from '../../src/core/python/pythonSources';
import { newRunRecord, type RunRecord } from '../../src/core/store/runRecord';
import type { BackendLike } from '../../src/core/plugin';
import type { Logger, PluginStatus, RunInfo } from '../../src/core/types';
import { peersRequired, requirePeers } from '../support/peers';
import { waitUntil } from '../support/waitUntil';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');

/** Whether the venv has this SDK: tests of it are skipped with the reason otherwise, and fail under TRACELET_REQUIRE_PEERS=1. */
export function sdkTest(module: string): { skip?: string } {
  let reason: string | undefined;
  try {
    const { python } = requirePeers();
    execFileSync(python, ['-c', `import importlib.util, sys; sys.exit(0 if importlib.util.find_spec(${JSON.stringify(module)}) else 1)`]);
  } catch {
    reason = `${module} is not installed in .venv; run scripts/setup-python.sh (requirements-peers.txt pins it)`;
  }
  return reason && !peersRequired ? { skip: reason } : {};
}

/** A temporary HOME (and W&B / ClearML config folders) so that no SDK writes to the real home; undo() puts them back. */
export function sandboxHome(prefix: string): { dir: string; undo(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const saved: Record<string, string | undefined> = {};
  const vars: Record<string, string> = {
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'home', '.config'),
    XDG_CACHE_HOME: path.join(dir, 'home', '.cache'),
    WANDB_CONFIG_DIR: path.join(dir, 'home', '.config', 'wandb'),
    WANDB_CACHE_DIR: path.join(dir, 'home', '.cache', 'wandb'),
    WANDB_DATA_DIR: path.join(dir, 'home', '.local', 'share', 'wandb'),
    CLEARML_CONFIG_FILE: path.join(dir, 'home', 'clearml.conf'),
    CLEARML_CACHE_DIR: path.join(dir, 'home', '.clearml'),
  };
  fs.mkdirSync(vars.HOME!, { recursive: true });
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  return {
    dir,
    undo() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}

/** Points every bridge at this interpreter (as the setting would). */
export function useInterpreter(interpreter: string | undefined): void {
  setPythonSources({ setting: () => interpreter, pythonExtension: async () => undefined });
}

export function recordFor(info: RunInfo): RunRecord {
  return newRunRecord(info);
}

export function pipelineFor(runDir: string, record: RunRecord, name: string, backend: BackendLike, logger: Logger, errors: string[] = []): RunPipeline {
  const call: GuardedCall = (phase, fn) =>
    guard(name, phase, 60_000, fn).catch((err: unknown) => {
      errors.push((err as Error).message);
      throw err;
    });
  return RunPipeline.open({
    runDir,
    record,
    sinks: [sinkForBackend(name, backend, call)],
    logger,
    delivery: { batchSize: 500, maxDelayMs: 20, retryInitialMs: 50, retryMaxMs: 400 },
  });
}

/** Runs a Python reader of the test fixtures and parses what it prints. */
export function readWith<T>(python: string, script: string, ...args: string[]): T {
  return JSON.parse(execFileSync(python, [path.join(FIXTURES, script), ...args], { encoding: 'utf8', maxBuffer: 256 << 20 })) as T;
}

/** A bridge backend: its status (points taken, the bridge's pid) is at hand, not awaited. */
type BridgeBackend = Omit<BackendLike, 'getStatus'> & { getStatus(): PluginStatus };

/** What an SDK suite's tests share: the venv's Python and a sandboxed home, set before the first test and put back after the last. */
export interface SdkSuite {
  python: string;
  home: ReturnType<typeof sandboxHome>;
}

/** Registers the suite's before/after hooks; the fields are set once `before` has run. */
export function sdkSuite(prefix: string): SdkSuite {
  const suite = {} as SdkSuite;
  before(() => {
    suite.python = requirePeers().python;
    suite.home = sandboxHome(prefix);
    useInterpreter(suite.python);
  });
  after(() => {
    suite.home?.undo();
    useInterpreter(undefined);
    if (suite.home) fs.rmSync(suite.home.dir, { recursive: true, force: true });
  });
  return suite;
}

/** Fails naming the first missing steps unless `series` holds every step below `count`, each with its step as value. */
export function assertEveryStep(series: Map<number, number | string>, count: number): void {
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !series.has(i));
  assert.equal(series.size, count, `missing steps: ${missing.slice(0, 20).join(', ')}`);
  for (const [step, value] of series) assert.equal(value, step);
}

/**
 * Sends 20 batches of 200 points of `metric` (value = step) through a run pipeline into `backend`, SIGKILLs its bridge
 * process after the ninth, and finishes the run: the pipeline must have nothing left behind and name the kill.
 * `onKill` runs just before the kill (to note the tracker's run).
 */
export async function ingestKillingBridge(
  tracker: string,
  backend: BridgeBackend,
  runDir: string,
  info: RunInfo,
  metric: string,
  onKill: () => void = () => undefined,
): Promise<void> {
  const errors: string[] = [];
  const pipe = pipelineFor(runDir, recordFor(info), tracker, backend, silentLogger, errors);
  pipe.logParams({ lr: 0.5 });
  let killed = false;
  for (let b = 0; b < 20; b++) {
    pipe.ingest(Array.from({ length: 200 }, (_, i) => ({ name: metric, value: b * 200 + i, step: b * 200 + i, time: 1000 + b })));
    await new Promise((r) => setTimeout(r, 25));
    if (b === 8) {
      await waitUntil(() => Number(backend.getStatus().points) > 0, `the first points reached ${tracker}`);
      onKill();
      process.kill(Number(backend.getStatus().bridgePid), 'SIGKILL');
      killed = true;
    }
  }
  assert.ok(killed);
  assert.deepEqual(await pipe.finish('finished', { endTime: Date.now() }, 60_000), []);
  assert.ok(
    errors.some((e) => new RegExp(`${tracker} bridge exited \\(signal SIGKILL\\)`).test(e)),
    errors.join('\n'),
  );
}

/**
 * A window that dies mid-run: 1,000 points of `loss` go through a pipeline owned by a gone process into `first`,
 * which is stopped after some reached it; `between` checks the tracker then; the next window's recovery sends the
 * rest into the backend `second` makes, with nothing left behind.
 */
export async function crashWindowAndRecover(
  tracker: string,
  runsRoot: string,
  info: RunInfo,
  first: BridgeBackend,
  second: () => BridgeBackend,
  between: () => void = () => undefined,
): Promise<void> {
  await first.start();
  const record = recordFor(info);
  record.ownerPid = 999_999_999; // as if the window that owned it were gone
  const pipe = pipelineFor(path.join(runsRoot, info.id), record, tracker, first, silentLogger);
  for (let b = 0; b < 10; b++) {
    pipe.ingest(Array.from({ length: 100 }, (_, i) => ({ name: 'loss', value: b * 100 + i, step: b * 100 + i, time: 1000 + b })));
    await new Promise((r) => setTimeout(r, 10));
  }
  pipe.flush();
  await waitUntil(() => Number(first.getStatus().points) >= 300, `some points reached ${tracker}`);
  // The extension host dies: its pipe to the bridge closes (the bridge writes what it took and exits) and its delivery stops where it is.
  await pipe.suspend();
  await first.stop();
  between();
  const [candidate] = findRunsToRecover(runsRoot, (pid) => pid === process.pid);
  assert.ok(candidate);
  const next = second();
  const behind = await recoverRun(
    candidate,
    async (name) => {
      await next.start();
      return sinkForBackend(name, next, (_phase, fn) => Promise.resolve(fn()));
    },
    silentLogger,
    60_000,
  );
  assert.deepEqual(behind, []);
}
