import { MLFLOW_LIMITS } from './mlflowConfig';

// MLflow's validate_param_and_metric_name: ^[/\w.\- :]*$ (Python's \w: Unicode letters and digits, underscore).
const NOT_ALLOWED = /[^\p{L}\p{N}_/.\- :]/gu;

/**
 * A metric, param or tag name the server accepts: characters it rejects become `_`,
 * the name must stay a normalised relative path (no empty, `.` or `..` segments, no
 * leading `..`) and at most 250 characters. A rejected name would fail its whole
 * batch on every retry, so it is mended here instead.
 */
export function mlflowKey(name: string): string {
  let key = name
    .replace(NOT_ALLOWED, '_')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .map((segment) => (segment === '..' ? '__' : segment))
    .join('/');
  if (key.startsWith('..')) key = `_${key}`;
  if (key.length > MLFLOW_LIMITS.keyLength) key = key.slice(0, MLFLOW_LIMITS.keyLength).replace(/\/+$/, '');
  return key === '' ? '_' : key;
}

/** Remembers each mended name (a run logs few names many times) and says which ones changed, once each. */
export class KeyCache {
  private readonly keys = new Map<string, string>();

  constructor(private readonly onChanged: (original: string, key: string) => void) {}

  get(name: string): string {
    let key = this.keys.get(name);
    if (key === undefined) {
      key = mlflowKey(name);
      this.keys.set(name, key);
      if (key !== name) this.onChanged(name, key);
    }
    return key;
  }
}
