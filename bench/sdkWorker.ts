// Our side of bench/sdk.bench.ts in its own process: a bridge backend (logBatch, the call the run pipeline
// makes, 1000 points a call) into a tracker's SDK through the Python bridge, in the SDK's local mode. Args:
// backend (wandb, aim, clearml), dir, points, names per step, interpreter. Times the logBatch calls and
// finishRun (when the SDK has written everything), and this process's CPU per 100,000 points.
import * as path from 'node:path';
import { setPythonSources } from '../src/core/python/pythonSources';
import type { MetricPoint, PluginConfig } from '../src/core/types';
import { AimBackend } from '../src/plugins/aim/aimBackend';
import { ClearmlBackend } from '../src/plugins/clearml/clearmlBackend';
import type { PythonBridgeBackend } from '../src/plugins/pythonBridge/bridgeBackend';
import { WandbBackend } from '../src/plugins/wandb/wandbBackend';
import { testContext, testRun } from '../test/support/runContext';
import { emit, round } from './worker';

const [backendName, dir, pointsArg, perStepArg, python] = process.argv.slice(2) as [string, string, string, string, string];
const PER_STEP = Number(perStepArg);
const CHUNK = 1000;
setPythonSources({ setting: () => python, pythonExtension: async () => undefined });

const BACKENDS: Record<string, { make(): PythonBridgeBackend; config: PluginConfig }> = {
  wandb: { make: () => new WandbBackend(), config: { mode: 'offline', project: 'bench', dir } },
  aim: { make: () => new AimBackend(), config: { repo: '.', experiment: 'bench' } },
  clearml: { make: () => new ClearmlBackend(), config: { offline: true, project: 'bench' } },
};

async function logRun(name: string, total: number): Promise<{ seconds: number; cpuMicros: number }> {
  const chosen = BACKENDS[backendName];
  if (!chosen) throw new Error(`unknown backend ${backendName}`);
  const backend = chosen.make();
  const { context } = testContext(backendName, path.join(dir, 'storage'), testRun({ name, cwd: dir }));
  backend.initialize(chosen.config, { ...context, workspaceFolders: [dir] });
  await backend.start();
  const points: MetricPoint[] = [];
  for (let step = 0; points.length < total; step++)
    for (let i = 0; i < PER_STEP; i++) points.push({ name: `train/m${i}`, value: step + i / 10, step, time: 1.7e12 + step });
  await backend.logBatch(points.slice(0, 1)); // the bridge and the SDK's init, outside the timed part as the direct side's init is
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let at = 1; at < total; at += CHUNK) await backend.logBatch(points.slice(at, at + CHUNK));
  await backend.finishRun('finished', Date.now());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  await backend.stop();
  return { seconds, cpuMicros: used.user + used.system };
}

async function main(): Promise<void> {
  await logRun(`tracelet warm-up ${round + 1}`, 2000);
  const total = Number(pointsArg);
  const { seconds, cpuMicros } = await logRun(`tracelet ${round + 1}`, total);
  emit({ rate: total / seconds, hostCpuMsPer100k: (cpuMicros / 1000) * (100_000 / total) });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
