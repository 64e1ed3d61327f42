'use strict';
// A Tracelet backend. Each tracked run gets an instance of its own, which receives the run's params and
// then every point, in order. Tracelet reloads the plugin each time you save a file of this folder.
// tracelet.d.ts beside this file is the contract: hover a name to read it.

/** @typedef {import('./tracelet').BackendLike} BackendLike */
/** @typedef {import('./tracelet').MetricPoint} MetricPoint */
/** @typedef {import('./tracelet').PluginContext} PluginContext */

/** @implements {BackendLike} */
class Backend {
  constructor() {
    /** @type {import('./tracelet').PluginConfig} */
    this.config = {};
    /** @type {PluginContext | undefined} */
    this.context = undefined;
    this.points = 0;
  }

  /** @returns {import('./tracelet').PluginMetadataInput} */
  getMetadata() {
    return {
      name: 'example_backend',
      version: '0.1.0',
      description: 'Receives the params and the points of every tracked run.',
      pluginType: 'backend',
      entryPoint: 'backend.js:Backend',
      // JSON Schema: Tracelet checks the settings against it, fills in defaults and builds the configuration form from it.
      configSchema: {
        type: 'object',
        properties: {
          logEachBatch: { type: 'boolean', default: false, description: 'Write a line to the plugin log for every batch of points.' },
        },
        additionalProperties: false,
      },
    };
  }

  /**
   * @param {import('./tracelet').PluginConfig} config the settings, checked against configSchema, defaults filled in
   * @param {PluginContext} context a logger, a folder of the plugin's own, and `run` in an instance that records a run
   */
  initialize(config, context) {
    this.config = config;
    this.context = context;
  }

  start() {
    this.points = 0;
  }

  stop() {}

  /** Shown by Tracelet: Show Plugin Status. */
  getStatus() {
    return { points: this.points };
  }

  /** @param {Record<string, unknown>} params the run's params (command-line flags, params files) */
  logParams(params) {
    this.log(`params: ${Object.keys(params).join(', ') || 'none'}`);
  }

  /**
   * The run's points, a batch at a time. A throw makes Tracelet send the same batch again later, so
   * a point may come twice.
   * @param {readonly MetricPoint[]} points
   */
  logBatch(points) {
    this.points += points.length;
    const last = points[points.length - 1];
    if (this.config.logEachBatch && last) this.log(`${points.length} points, the last ${last.name}=${last.value}`);
  }

  /**
   * One point; Tracelet calls logBatch instead when there is one.
   * @param {string} name
   * @param {number} value
   * @param {number} [step]
   */
  logMetric(name, value, step) {
    this.logBatch([{ name, value, step, time: Date.now() }]);
  }

  /**
   * @param {string} localPath a file the run made
   * @param {string} [artifactPath] where it goes among the run's artifacts
   */
  logArtifact(localPath, artifactPath) {
    this.log(`artifact ${localPath}${artifactPath ? ` as ${artifactPath}` : ''}`);
  }

  /** @param {import('./tracelet').RunStatus} status how the run ended: finished, failed, killed… */
  finishRun(status) {
    this.log(`run ${this.context?.run?.name ?? ''} ${status} with ${this.points} points`);
  }

  /** @param {string} message */
  log(message) {
    this.context?.logger.info(message);
  }
}

module.exports = { Backend };
