import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusFromExit } from '../../src/core/run/exitStatus';
import { formatDuration, formatValue, mainMetrics, runNode } from '../../src/vscode/runs/runsTreeModel';
import { newRecord } from './pipelineHelpers';

const summary = (last: number) => ({ count: 3, last, min: last, max: last, lastTime: 0 });

describe('runs tree model', () => {
  it('maps exit codes to statuses', () => {
    assert.deepEqual([0, 1, 2, 130, 137, 143, 255, undefined].map(statusFromExit), ['finished', 'failed', 'failed', 'killed', 'killed', 'killed', 'failed', 'finished']);
  });

  it('formats durations and values compactly', () => {
    assert.deepEqual([formatDuration(999), formatDuration(61_000), formatDuration(3_725_000)], ['1s', '1m 01s', '1h 02m']);
    assert.deepEqual([formatValue(3), formatValue(0.123456), formatValue(0.00001234), formatValue(null)], ['3', '0.1235', '1.23e-5', 'NaN']);
  });

  it('shows losses, then accuracies, and never system metrics first', () => {
    const record = newRecord('r', { metrics: { 'system/cpu/percent': summary(50), lr: summary(0.1), accuracy: summary(0.9), val_loss: summary(0.4), loss: summary(0.3) } });
    assert.deepEqual(mainMetrics(record), ['loss', 'val_loss', 'accuracy']);
  });

  it('describes a finished run with status, duration and latest values', () => {
    const record = newRecord('r1', { name: 'train.py 10:00', status: 'finished', startTime: 0, endTime: 65_000, exitCode: 0, metrics: { loss: summary(0.25) }, params: { lr: 0.1 } });
    const node = runNode(record, 100_000);
    assert.equal(node.label, 'train.py 10:00');
    assert.equal(node.description, 'finished · 1m 05s · loss 0.25');
    assert.equal(node.contextValue, 'run.finished');
    assert.deepEqual(node.icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.match(node.tooltip, /\| Status \| finished \(exit 0\) \|/);
    assert.match(node.tooltip, /\| lr \| 0\.1 \|/);
    assert.match(node.tooltip, /\| loss \| 0\.25 \| 0\.25 \| 0\.25 \| 3 \|/);
  });
});
