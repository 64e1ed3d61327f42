import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pluginCostMarkdown } from '../../src/vscode/config/pluginCost';

describe('pluginCostMarkdown', () => {
  it('tabulates what the sampler measured for the plugin', () => {
    const md = pluginCostMarkdown('system', [
      { name: 'gpu', health: { state: 'ok' }, cost: { calls: 1, lastMs: 1, meanMs: 1, p95Ms: 1, cpuMs: 1 }, lastProblem: undefined },
      {
        name: 'system',
        health: { state: 'backoff', reason: 'slow | stuck', failures: 2, resumeAt: 0 },
        cost: { calls: 12, lastMs: 0.5, meanMs: 0.25, p95Ms: 12.4, cpuMs: 0.125 },
        lastProblem: 'took 2 s',
      },
    ]);
    assert.match(md, /## Measured cost/);
    assert.match(md, /\| Calls \| 12 \|/);
    assert.match(md, /\| Mean \(recent calls\) \| 0\.25 ms \|/);
    assert.match(md, /\| 95th percentile \| 12 ms \|/);
    assert.match(md, /\| Health \| backing off after 2 failures: slow \\\| stuck \|/);
    assert.match(md, /\| Last problem \| took 2 s \|/);
  });

  it('says why there is no cost for a plugin the sampler does not call', () => {
    assert.match(pluginCostMarkdown('local', []), /Not measured: only collectors that the status bar samples have a cost, and `local` has not been sampled/);
    assert.match(pluginCostMarkdown('local', undefined), /Not measured/);
  });
});
