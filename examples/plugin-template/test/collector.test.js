'use strict';
// The collector driven as Tracelet drives it, without Tracelet: `node --test` (or `npm test`) in this folder.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { Collector } = require('../collector.js');
/** @type {Record<string, { type: string, capabilities: string[] }>} */
const declaredPlugins = require('../package.json').tracelet.plugins;

test('package.json declares the plugin as getMetadata() describes it', () => {
  const metadata = new Collector().getMetadata();
  const declared = declaredPlugins[String(metadata.name)];
  assert.ok(declared, `package.json's tracelet.plugins has no "${metadata.name}"`);
  assert.equal(declared.type, metadata.pluginType);
  assert.deepEqual(declared.capabilities, metadata.capabilities ?? []);
});

test('collect() returns numbers, which Tracelet stores as metrics', async () => {
  const collector = new Collector();
  await collector.initialize();
  await collector.start();
  const values = await collector.collect();
  for (const [key, value] of Object.entries(values)) assert.ok(Number.isFinite(value), `${key} is ${value}, not a number`);
  assert.deepEqual(await collector.getStatus(), { samples: 1 });
  await collector.stop();
});
