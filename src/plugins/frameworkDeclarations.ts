// The metadata of the built-in file sources and processors, written once: the host lists and configures them from it before their code
// is loaded (src/plugins/builtins.ts), and each plugin's getMetadata() returns a copy of it.
import type { PluginMetadataInput } from '../core/plugin';
import { pollIntervalSchema } from './tailing/fileSourcePlugin';

export const TFEVENTS: PluginMetadataInput = {
  name: 'tfevents',
  version: '0.1.0',
  description: "Reads scalars from TensorBoard event files (SummaryWriter's runs/ folder) as run metrics.",
  author: 'Tracelet',
  pluginType: 'framework',
  entryPoint: 'builtin:tfevents',
  capabilities: ['fileSource'],
  metricPrefix: 'tensorboard',
  dependencies: [],
  configSchema: pollIntervalSchema('event files'),
};

export const LIGHTNING_CSV: PluginMetadataInput = {
  name: 'lightning-csv',
  version: '0.1.0',
  description: 'Reads PyTorch Lightning CSVLogger metrics.csv files (lightning_logs/version_N/) as run metrics.',
  author: 'Tracelet',
  pluginType: 'framework',
  entryPoint: 'builtin:lightning-csv',
  capabilities: ['fileSource'],
  metricPrefix: 'csv',
  dependencies: [],
  configSchema: pollIntervalSchema('metrics.csv files'),
};

export const RATE: PluginMetadataInput = {
  name: 'rate',
  version: '0.1.0',
  description: 'Adds the per-second rate of the counters you name (bytes, samples, tokens) beside them, before they are logged.',
  author: 'Tracelet',
  pluginType: 'processor',
  entryPoint: 'builtin:rate',
  capabilities: ['processor'],
  enabledByDefault: false,
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      metrics: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: [],
        description: 'Counters to rate, as metric names or patterns (`*` within a `/` segment, `**` across), e.g. "process/io/*Bytes".',
      },
      suffix: { type: 'string', minLength: 1, default: '/per_second', description: 'Appended to a counter’s name to name its rate.' },
    },
    additionalProperties: false,
  },
};

export const RENAME: PluginMetadataInput = {
  name: 'rename',
  version: '0.1.0',
  description: 'Renames metrics before they are logged: whole names, or prefixes such as tensorboard/ → tb/.',
  author: 'Tracelet',
  pluginType: 'processor',
  entryPoint: 'builtin:rename',
  capabilities: ['processor'],
  enabledByDefault: false,
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      names: {
        type: 'object',
        additionalProperties: { type: 'string', minLength: 1 },
        default: {},
        description: 'Whole names and what they become, e.g. { "acc": "accuracy" }.',
      },
      prefixes: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        description: 'Name prefixes and their replacement, e.g. { "tensorboard/": "tb/" }; the longest match wins.',
      },
    },
    additionalProperties: false,
  },
};
