// The metadata of the built-in collectors, written once: the host lists and configures them from it before their code
// is loaded (src/plugins/builtins.ts), and each plugin's getMetadata() returns a copy of it.
import type { PluginMetadataInput } from '../core/plugin';

export const SYSTEM: PluginMetadataInput = {
  name: 'system',
  version: '0.2.0',
  description: 'CPU, load, memory, swap, disk usage and throughput, network throughput and uptime of this machine.',
  author: 'Tracelet',
  pluginType: 'collector',
  entryPoint: 'builtin:system',
  capabilities: ['runSampler', 'statusReadout'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      mounts: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: [],
        description:
          'Paths whose filesystems are reported (usage per mount). Empty: the root filesystem and the ones holding the workspace folders. Pseudo filesystems (proc, sysfs, cgroup, ...) are skipped.',
      },
      excludeInterfaces: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: ['lo', 'lo0'],
        description: 'Network interfaces left out of the send/receive totals; a trailing * matches by prefix (for example "veth*").',
      },
    },
    additionalProperties: false,
  },
};

export const PROCESS: PluginMetadataInput = {
  name: 'process',
  version: '0.1.0',
  description: 'A process and its whole descendant tree: count, threads, total CPU and memory, and the busiest processes.',
  author: 'Tracelet',
  pluginType: 'collector',
  entryPoint: 'builtin:process',
  capabilities: ['runSampler', 'processTree', 'statusReadout'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      rootPid: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Process id at the root of the tree. 0: the process Tracelet runs in (the extension host). Run tracking sets it to the tracked command.',
      },
      topN: { type: 'integer', minimum: 0, maximum: 50, default: 5, description: 'How many of the busiest processes to list.' },
      maxProcesses: {
        type: 'integer',
        minimum: 1,
        maximum: 100000,
        default: 2000,
        description: 'Stop walking the tree after this many processes, to bound the cost of a runaway fork.',
      },
    },
    additionalProperties: false,
  },
};

export const GPU: PluginMetadataInput = {
  name: 'gpu',
  version: '0.1.0',
  description: 'NVIDIA GPU utilisation, memory, temperature and power, streamed by one long-lived nvidia-smi.',
  author: 'Tracelet',
  pluginType: 'collector',
  entryPoint: 'builtin:gpu',
  capabilities: ['runSampler', 'statusReadout'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      command: { type: 'string', minLength: 1, default: 'nvidia-smi', description: 'The nvidia-smi program: a name looked up on PATH, or a full path.' },
      intervalMs: {
        type: 'integer',
        minimum: 100,
        maximum: 60000,
        default: 2000,
        description: 'How often nvidia-smi prints a sample (its -lms loop), in milliseconds.',
      },
      idleStopMs: {
        type: 'integer',
        minimum: 0,
        default: 30000,
        description:
          'Stop nvidia-smi when no value has been read for this long (for example while the window is unfocused); the next read starts it again. 0: never stop.',
      },
    },
    additionalProperties: false,
  },
};

export const GIT: PluginMetadataInput = {
  name: 'git',
  version: '0.1.0',
  description: 'Branch, commit, uncommitted changes and remote of the run’s repository.',
  author: 'Tracelet',
  pluginType: 'collector',
  entryPoint: 'builtin:git',
  capabilities: ['runContext'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      timeoutMs: { type: 'integer', minimum: 100, default: 5000, description: 'Longest each git command may take.' },
    },
    additionalProperties: false,
  },
};

export const ENVIRONMENT: PluginMetadataInput = {
  name: 'environment',
  version: '0.1.0',
  description: 'OS, CPU, memory and allow-listed environment variables of the run (never secrets).',
  author: 'Tracelet',
  pluginType: 'collector',
  entryPoint: 'builtin:environment',
  capabilities: ['runContext'],
  dependencies: [],
  configSchema: {
    type: 'object',
    properties: {
      envAllowList: {
        type: 'array',
        items: { type: 'string' },
        default: [
          'CUDA_VISIBLE_DEVICES',
          'CONDA_DEFAULT_ENV',
          'VIRTUAL_ENV',
          'PYTHONHASHSEED',
          'OMP_NUM_THREADS',
          'MKL_NUM_THREADS',
          'WORLD_SIZE',
          'LOCAL_RANK',
          'HF_HOME',
          'TORCH_HOME',
          'SLURM_JOB_ID',
        ],
        description: 'Environment variables recorded with each run. Names that look like secrets (KEY, TOKEN, PASSWORD…) are never recorded.',
      },
    },
    additionalProperties: false,
  },
};
