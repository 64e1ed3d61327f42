// The metadata of the built-in backends, written once: the host lists and configures them from it before their code
// is loaded (src/plugins/builtins.ts), and each plugin's getMetadata() returns a copy of it.
import type { PluginMetadataInput } from '../core/plugin';
import { AIM_CONFIG_SCHEMA } from './aim/aimConfig';
import { CLEARML_CONFIG_SCHEMA } from './clearml/clearmlConfig';
import { MLFLOW_CONFIG_SCHEMA } from './mlflow/mlflowConfig';
import { TENSORBOARD_CONFIG_SCHEMA } from './tensorboard/tensorboardConfig';
import { WANDB_CONFIG_SCHEMA } from './wandb/wandbConfig';

export const LOCAL: PluginMetadataInput = {
  name: 'local',
  version: '0.1.0',
  description: 'Keeps runs on disk in the workspace (.tracelet/runs): metadata, metrics and artifacts.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:local',
  capabilities: ['runStore'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      directory: {
        type: 'string',
        default: '',
        description:
          'Folder that holds the runs. Empty: .tracelet/runs in the workspace (unless that is a link out of it), or the plugin’s storage when no folder is open.',
      },
    },
    additionalProperties: false,
  },
};

export const MLFLOW: PluginMetadataInput = {
  name: 'mlflow',
  version: '0.1.0',
  description: 'Sends runs, metrics, params and artifacts to an MLflow tracking server.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:mlflow',
  capabilities: ['connectionTest'],
  enabledByDefault: false,
  dependencies: [],
  configSchema: MLFLOW_CONFIG_SCHEMA,
};

export const TENSORBOARD: PluginMetadataInput = {
  name: 'tensorboard',
  version: '0.1.0',
  description: 'Writes runs as TensorBoard event files (scalars and params) that `tensorboard --logdir` shows.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:tensorboard',
  capabilities: ['tensorboardLogs'],
  enabledByDefault: false,
  dependencies: [],
  configSchema: TENSORBOARD_CONFIG_SCHEMA,
};

export const WANDB: PluginMetadataInput = {
  name: 'wandb',
  version: '0.1.0',
  description: 'Sends runs, metrics, params and artifacts to Weights & Biases through its Python SDK.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:wandb',
  capabilities: [],
  enabledByDefault: false,
  dependencies: ['python:wandb>=0.17'],
  configSchema: WANDB_CONFIG_SCHEMA,
};

export const AIM: PluginMetadataInput = {
  name: 'aim',
  version: '0.1.0',
  description: 'Sends runs, metrics, params and artifacts to an Aim repository through its Python SDK.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:aim',
  capabilities: [],
  enabledByDefault: false,
  dependencies: ['python:aim>=3.19'],
  configSchema: AIM_CONFIG_SCHEMA,
};

export const CLEARML: PluginMetadataInput = {
  name: 'clearml',
  version: '0.1.0',
  description: 'Sends runs, metrics, params and artifacts to ClearML through its Python SDK.',
  author: 'Tracelet',
  pluginType: 'backend',
  entryPoint: 'builtin:clearml',
  capabilities: [],
  enabledByDefault: false,
  dependencies: ['python:clearml>=1.14'],
  configSchema: CLEARML_CONFIG_SCHEMA,
};
