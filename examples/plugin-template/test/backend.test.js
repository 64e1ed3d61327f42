'use strict';
// The backend driven as Tracelet drives it, without Tracelet: `node --test` (or `npm test`) in this folder.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { Backend } = require('../backend.js');
/** @type {Record<string, { type: string, capabilities: string[] }>} */
const declaredPlugins = require('../package.json').tracelet.plugins;

/**
 * What Tracelet hands initialize(): a logger (this one keeps its lines), a folder of the plugin's own
 * and, in the instance that records a run, the run.
 * @param {string[]} lines
 */
function hostContext(lines) {
  const keep = (/** @type {string} */ message) => lines.push(message);
  return {
    pluginName: 'example_backend',
    coreVersion: '0.1.0',
    storageDir: fs.mkdtempSync(path.join(os.tmpdir(), 'example_backend-')),
    logger: { trace: keep, debug: keep, info: keep, warn: keep, error: keep },
    run: {
      id: '20250101-000000-ab12',
      name: 'train-1',
      command: 'python train.py',
      cwd: process.cwd(),
      startTime: Date.now(),
      host: os.hostname(),
      user: 'me',
      tags: {},
    },
  };
}

test('package.json declares the plugin as getMetadata() describes it', () => {
  const metadata = new Backend().getMetadata();
  const declared = declaredPlugins[String(metadata.name)];
  assert.ok(declared, `package.json's tracelet.plugins has no "${metadata.name}"`);
  assert.equal(declared.type, metadata.pluginType);
  assert.deepEqual(declared.capabilities, metadata.capabilities ?? []);
});

test('a run: its params, then its points in batches, then its outcome', async () => {
  /** @type {string[]} */
  const lines = [];
  const backend = new Backend();
  await backend.initialize({ logEachBatch: true }, hostContext(lines));
  await backend.start();
  await backend.logParams({ lr: 0.1, epochs: 3 });
  await backend.logBatch([
    { name: 'loss', value: 0.5, step: 0, time: Date.now() },
    { name: 'loss', value: 0.25, step: 1, time: Date.now() },
  ]);
  await backend.finishRun('finished');
  await backend.stop();
  assert.deepEqual(await backend.getStatus(), { points: 2 });
  assert.deepEqual(lines, ['params: lr, epochs', '2 points, the last loss=0.25', 'run train-1 finished with 2 points']);
});
