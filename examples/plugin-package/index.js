'use strict';
// A third-party Tracelet backend in plain CommonJS: no build step, no dependencies.
// Each run gets a folder holding metrics.csv (time,step,name,value), params.csv and artifacts/.
const fs = require('node:fs');
const path = require('node:path');

/** Quotes a CSV field when it holds a delimiter, a quote or a line break (RFC 4180). */
function csvField(value, delimiter) {
  const text = value === undefined || value === null ? '' : String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class CsvBackend {
  constructor() {
    this.config = {};
    this.context = undefined;
    this.root = undefined;
    this.runDir = undefined;
    this.rows = 0;
    this.params = {};
  }

  getMetadata() {
    return {
      name: 'csv_backend',
      version: '0.1.0',
      description: 'Writes metrics to a CSV file per run; opens in any spreadsheet.',
      author: 'Tracelet examples',
      pluginType: 'backend',
      entryPoint: 'index.js:CsvBackend',
      dependencies: [],
      configSchema: {
        type: 'object',
        properties: {
          directory: { type: 'string', default: '', description: 'Folder for the runs. Empty: the plugin storage folder.' },
          delimiter: { type: 'string', enum: [',', ';', '\t'], default: ',', description: 'Field separator.' },
        },
        additionalProperties: false,
      },
    };
  }

  initialize(config, context) {
    this.config = { delimiter: ',', ...config };
    this.context = context;
    this.root = config.directory ? String(config.directory) : path.join(context.storageDir, 'runs');
  }

  async start() {
    const run = this.context?.run;
    const name = run ? run.id : new Date().toISOString().replace(/[:.]/g, '-');
    this.runDir = path.join(this.root, name);
    await fs.promises.mkdir(path.join(this.runDir, 'artifacts'), { recursive: true });
    const file = this.metricsFile();
    if (!fs.existsSync(file)) await fs.promises.writeFile(file, this.row(['time', 'step', 'name', 'value']));
    this.rows = 0;
    this.params = {};
    if (this.context) this.context.logger.info(`writing metrics to ${file}`);
  }

  async stop() {
    this.runDir = undefined;
  }

  getStatus() {
    return { file: this.runDir ? this.metricsFile() : undefined, rows: this.rows, delimiter: this.config.delimiter };
  }

  async logMetric(name, value, iteration) {
    await this.logBatch([{ name, value, step: iteration, time: Date.now() }]);
  }

  async logBatch(points) {
    if (!this.runDir) throw new Error('csv_backend is not started');
    const lines = points.map((p) => this.row([new Date(p.time).toISOString(), p.step === undefined ? '' : p.step, p.name, p.value]));
    await fs.promises.appendFile(this.metricsFile(), lines.join(''));
    this.rows += points.length;
  }

  async logParams(params) {
    if (!this.runDir) throw new Error('csv_backend is not started');
    Object.assign(this.params, params);
    const rows = Object.entries(this.params).map(([k, v]) => this.row([k, typeof v === 'object' ? JSON.stringify(v) : v]));
    await fs.promises.writeFile(path.join(this.runDir, 'params.csv'), this.row(['name', 'value']) + rows.join(''));
  }

  async logArtifact(localPath, artifactPath) {
    if (!this.runDir) throw new Error('csv_backend is not started');
    const target = path.join(this.runDir, 'artifacts', artifactPath || path.basename(localPath));
    if (path.relative(path.join(this.runDir, 'artifacts'), target).startsWith('..')) {
      throw new Error(`artifact path ${artifactPath} leaves the run folder`);
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.copyFile(localPath, target);
  }

  async finishRun(status, endTime) {
    if (!this.runDir) return;
    await fs.promises.writeFile(path.join(this.runDir, 'status.txt'), `${status} ${new Date(endTime).toISOString()}\n`);
  }

  metricsFile() {
    return path.join(this.runDir, 'metrics.csv');
  }

  row(fields) {
    const d = this.config.delimiter || ',';
    return `${fields.map((f) => csvField(f, d)).join(d)}\n`;
  }
}

module.exports = { CsvBackend };
