// Shared by the bridge and tracker tests: a sandboxed HOME for the SDKs, the venv's Python as the interpreter, and a run pipeline.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { guard } from '../../src/core/guard';
import { sinkForBackend, type GuardedCall } from '../../src/core/pipeline/backendSink';
import { RunPipeline } from '../../src/core/pipeline/runPipeline';
import { setPythonSources } from '../../src/core/python/pythonSources';
import type { RunRecord } from '../../src/core/store/runRecord';
import type { BackendLike } from '../../src/core/plugin';
import type { Logger, RunInfo } from '../../src/core/types';
import { peersRequired, requirePeers } from '../support/peers';

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
  return {
    ...info,
    formatVersion: 1,
    status: 'running',
    versions: {},
    params: {},
    context: {},
    backends: [],
    ownerPid: process.pid,
    metrics: {},
    updatedAt: 0,
  };
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
