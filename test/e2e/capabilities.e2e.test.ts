// A third-party plugin package with one plugin per capability, in a real VS Code: its collector's numbers appear in a
// tracked run, and its processor changes what is stored, exactly as a built-in with those capabilities would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readAllPoints } from '../../src/core/store/metricsLog';
import { listRuns, type RunRecord } from '../../src/core/store/runRecord';
import { REPO_ROOT } from './harness/paths';
import { Session } from './harness/session';
import { openTerminal, typeCommand } from './harness/terminal';
import { openActivityBarView, waitForTreeRow } from './harness/workbench';

const KIT = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins-capabilities', 'capability-kit');
const TRAIN = 'import time\nfor i in range(4):\n    print(f"step={i} acc={0.5 + i / 10:.2f} loss={1.0 / (i + 1):.3f}", flush=True)\n    time.sleep(0.4)\n';

let s: Session;

before(async () => {
  s = await Session.open({
    name: 'capabilities',
    pluginPackages: [KIT],
    workspaceSettings: {
      'tracelet.plugins': { scale_processor: { config: { factor: 100, names: ['acc'] } } },
      'tracelet.run.sampleInterval': 300,
      'terminal.integrated.defaultProfile.linux': 'bash',
      'terminal.integrated.gpuAcceleration': 'off',
    },
  });
  fs.writeFileSync(path.join(s.workspace, 'train.py'), TRAIN);
});

after(async () => {
  await s?.close();
});

async function finishedRun(): Promise<RunRecord> {
  const root = path.join(s.workspace, '.tracelet', 'runs');
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = listRuns(root).find((r) => r.status === 'finished');
    if (run) return run;
    if (Date.now() > deadline) throw new Error(`no finished run in ${root}: ${JSON.stringify(listRuns(root).map((r) => [r.command, r.status]))}`);
    await new Promise((r) => setTimeout(r, 250)); // run files have no event to wait on
  }
}

test('a third-party collector appears in a tracked run and a third-party processor changes what is stored', { timeout: 180_000 }, () =>
  s.scenario('third-party-run', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    for (const name of ['queue_sampler', 'dataset_context', 'scale_processor']) await waitForTreeRow(view, name, /active/);
    await openTerminal(s.page);
    await typeCommand(s.page, 'python3 train.py');
    const run = await finishedRun();
    const points = readAllPoints(path.join(s.workspace, '.tracelet', 'runs', run.id, 'metrics.bin')).points;
    assert.deepEqual(
      points.filter((p) => p.name === 'acc').map((p) => p.value),
      [50, 60, 70, 80],
      'acc as printed times 100: the processor ran before the log',
    );
    assert.deepEqual(
      points.filter((p) => p.name === 'loss').map((p) => p.value),
      [1, 0.5, 0.333, 0.25],
      'other metrics pass unchanged',
    );
    assert.ok(
      points.some((p) => p.name === 'queue_sampler/queue/depth'),
      `the third-party sampler's numbers are in the run: ${[...new Set(points.map((p) => p.name))].join(', ')}`,
    );
    assert.deepEqual((run.context as Record<string, { dataset?: string }>).dataset_context?.dataset, 'cifar10');
    // The processor's cost per point shows beside it once a run has ended.
    await waitForTreeRow(view, 'scale_processor', /active · \d+(\.\d+)? µs\/point$/);
    await s.screenshot('third-party-run');
  }),
);
