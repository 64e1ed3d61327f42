import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusFromExit } from '../../src/core/run/exitStatus';
import { flattenNumbers } from '../../src/core/run/flatten';
import { LOST_OUTPUT_START } from '../../src/core/run/outputStart';
import { trackedRunText } from '../../src/vscode/runs/runStatusText';
import { formatDuration, formatValue, mainMetrics, runNode } from '../../src/vscode/runs/runsTreeModel';
import { newRecord } from './pipelineHelpers';

const summary = (last: number) => ({ count: 3, last, min: last, max: last, lastTime: 0 });

describe('runs tree model', () => {
  it('maps exit codes to statuses', () => {
    assert.deepEqual([0, 1, 2, 130, 137, 143, 255, undefined].map(statusFromExit), [
      'finished',
      'failed',
      'failed',
      'killed',
      'killed',
      'killed',
      'failed',
      'finished',
    ]);
  });

  it('formats durations and values compactly', () => {
    assert.deepEqual([formatDuration(999), formatDuration(61_000), formatDuration(3_725_000)], ['1s', '1m 01s', '1h 02m']);
    assert.deepEqual([formatValue(3), formatValue(0.123456), formatValue(0.00001234), formatValue(null)], ['3', '0.1235', '1.23e-5', 'NaN']);
  });

  it('shows losses, then accuracies, and never system metrics first', () => {
    const record = newRecord('r', {
      metrics: { 'system/cpu/percent': summary(50), lr: summary(0.1), accuracy: summary(0.9), val_loss: summary(0.4), loss: summary(0.3) },
    });
    assert.deepEqual(mainMetrics(record), ['loss', 'val_loss', 'accuracy']);
  });

  it('describes a finished run with status, duration and latest values', () => {
    const record = newRecord('r1', {
      name: 'train.py 10:00',
      status: 'finished',
      startTime: 0,
      endTime: 65_000,
      exitCode: 0,
      metrics: { loss: summary(0.25) },
      params: { lr: 0.1 },
    });
    const node = runNode(record, 100_000);
    assert.equal(node.label, 'train.py 10:00');
    assert.equal(node.description, 'finished · 1m 05s · loss 0.25');
    assert.equal(node.contextValue, 'run.finished');
    assert.deepEqual(node.icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.match(node.tooltip, /\| Status \| finished \(exit 0\) \|/);
    assert.match(node.tooltip, /\| lr \| 0\.1 \|/);
    assert.match(node.tooltip, /\| loss \| 0\.25 \| 0\.25 \| 0\.25 \| 3 \|/);
  });

  it('says a run’s output is incomplete when some of it never reached the run, and why in the tooltip', () => {
    const record = newRecord('r2', { status: 'finished', startTime: 0, endTime: 1_000, metrics: { loss: summary(0.5) } });
    assert.equal(runNode(record, 2_000).description, 'finished · 1s · loss 0.5');
    record.outputNotes = [LOST_OUTPUT_START];
    const node = runNode(record, 2_000);
    assert.equal(node.description, 'finished · 1s · loss 0.5 · output incomplete');
    assert.match(node.tooltip, /\| Output \| VS Code did not pass on the start of the command's output/);
  });
});

describe('flattening collector values into run metrics', () => {
  it('keys numbers by path, GPUs by their index, and leaves out other lists of objects', () => {
    const flat = flattenNumbers({
      cpu: { percent: 12.5, perCore: [10, 15] },
      name: 'host',
      gpus: [
        { index: 0, name: 'A100', utilizationPercent: 91 },
        { index: 1, name: 'A100', utilizationPercent: 7 },
      ],
      top: [{ pid: 1, cpuPercent: 3 }],
      bad: NaN,
    });
    assert.deepEqual(flat, { 'cpu/percent': 12.5, 'cpu/perCore/0': 10, 'cpu/perCore/1': 15, 'gpus/0/utilizationPercent': 91, 'gpus/1/utilizationPercent': 7 });
  });
});

describe('tracked run status text', () => {
  it('shows one run’s usage, or how many runs are tracked', () => {
    const record = newRecord('r', { metrics: { 'gpu/gpus/0/utilizationPercent': summary(91), loss: summary(0.5) } });
    const one = trackedRunText([{ name: 'train.py', usage: { cpuPercent: 187.4, rssBytes: 812 * 1024 ** 2 }, record }])!;
    assert.equal(one.text, '$(record) train.py · CPU 187% · RSS 812M · GPU 91%');
    assert.match(one.tooltip, /train\.py · CPU 187% · RSS 812M · GPU 91% · loss 0\.5/);
    assert.equal(
      trackedRunText([
        { name: 'a', usage: {}, record },
        { name: 'b', usage: {}, record },
      ])!.text,
      '$(record) 2 runs tracked',
    );
    assert.equal(trackedRunText([]), undefined);
  });
});
