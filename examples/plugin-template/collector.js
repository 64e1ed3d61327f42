'use strict';
// A Tracelet collector: collect() returns a record whose numbers are metrics. As a runSampler it is
// sampled every `tracelet.run.sampleInterval` while a run is tracked, its numbers stored in the run as
// `example_collector/<key>`; as a statusReadout they are listed in the tooltip of the status bar's
// system item. Tracelet reloads the plugin each time you save a file of this folder.
const os = require('node:os');

/** @typedef {import('./tracelet').CollectorLike} CollectorLike */

/** @implements {CollectorLike} */
class Collector {
  constructor() {
    this.samples = 0;
  }

  /** @returns {import('./tracelet').PluginMetadataInput} */
  getMetadata() {
    return {
      name: 'example_collector',
      version: '0.1.0',
      description: "This machine's load average and free memory.",
      pluginType: 'collector',
      entryPoint: 'collector.js:Collector',
      capabilities: ['runSampler', 'statusReadout'],
      configSchema: { type: 'object', properties: {}, additionalProperties: false },
    };
  }

  initialize() {}

  start() {
    this.samples = 0;
  }

  stop() {}

  /** Shown by Tracelet: Show Plugin Status. */
  getStatus() {
    return { samples: this.samples };
  }

  collect() {
    this.samples += 1;
    return { load1: os.loadavg()[0], freeMemoryMb: Math.round(os.freemem() / 2 ** 20) };
  }
}

module.exports = { Collector };
