import { looksSecret } from './maskSecrets';

/**
 * The environment for a program the extension starts (git, nvidia-smi, tensorboard): the extension
 * host's own, without variables whose names say they hold a secret (`HF_TOKEN`, `AWS_SECRET_ACCESS_KEY`,
 * `MLFLOW_TRACKING_PASSWORD`). None of these programs needs one, and a secret goes only where the user
 * bound it; a program that does need one gets it added explicitly by its plugin.
 */
export function programEnv(env: NodeJS.ProcessEnv = process.env, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!looksSecret(name)) out[name] = value;
  return { ...out, ...extra };
}
