import { ENVIRONMENT } from '../collectorDeclarations';
import * as os from 'node:os';
import { CollectorPlugin, type CollectedValues, type PluginMetadataInput } from '../../core/plugin';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';

const DEFAULT_ALLOW = [
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
];

/** Names that look like they hold a secret; never recorded, even when allow-listed. */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|SIGNATURE|CERT)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The machine and allow-listed environment variables at the start of a run. */
export class EnvironmentCollector extends CollectorPlugin {
  private allow: string[] = DEFAULT_ALLOW;
  private env: NodeJS.ProcessEnv = process.env;

  getMetadata(): PluginMetadataInput {
    return { ...ENVIRONMENT };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    if (Array.isArray(config.envAllowList)) this.allow = config.envAllowList.filter((n): n is string => typeof n === 'string');
  }

  /** For tests and for hosts that know the terminal's own environment. */
  useEnvironment(env: NodeJS.ProcessEnv): void {
    this.env = env;
  }

  start(): void {}
  stop(): void {}

  getStatus(): PluginStatus {
    return { allowList: this.allow };
  }

  collect(): CollectedValues {
    const env: Record<string, string> = {};
    for (const name of this.allow) {
      const value = this.env[name];
      if (value !== undefined && !isSecretName(name)) env[name] = value;
    }
    const cpus = os.cpus();
    return {
      os: { platform: os.platform(), release: os.release(), arch: os.arch() },
      hostname: os.hostname(),
      cpu: { model: cpus[0]?.model ?? 'unknown', cores: cpus.length },
      memoryBytes: os.totalmem(),
      node: process.version,
      env,
    };
  }
}
