import * as fs from 'node:fs';
import { resolveWithin } from '../paths/confine';
import { errorText } from '../errors';

function scalar(raw: string): unknown {
  const v = raw.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return Number(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (/^(null|~)$/.test(v)) return null;
  return v;
}

/**
 * Reads params from a file the user points at: JSON (nested objects become
 * dotted keys), or flat `key: value` / `key = value` lines (YAML of one level
 * with nesting by indentation, .env, .cfg). Comments (#) and sections are skipped.
 */
export function parseParamsText(text: string, fileName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (fileName.endsWith('.json')) {
    const walk = (value: unknown, prefix: string): void => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
      } else if (prefix) out[prefix] = value;
    };
    walk(JSON.parse(text) as unknown, '');
    return out;
  }
  const parents: { indent: number; key: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\s*)([A-Za-z_][\w.-]*)\s*[:=]\s*(.*?)\s*(#.*)?$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (parents.length > 0 && parents[parents.length - 1]!.indent >= indent) parents.pop();
    const key = [...parents.map((p) => p.key), m[2]!].join('.');
    if (m[3] === '') parents.push({ indent, key: m[2]! });
    else out[key] = scalar(m[3]!);
  }
  return out;
}

/**
 * Params from every readable file in `files` (relative to `cwd`); unreadable ones are reported, not
 * thrown. With `within`, a file outside that folder is refused (files named by a workspace setting).
 */
export function readParamsFiles(files: readonly string[], cwd: string, within?: string): { params: Record<string, unknown>; errors: string[] } {
  const params: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const file of files) {
    let full: string;
    try {
      full = resolveWithin('tracelet.run.paramsFiles entry', cwd, file, within);
    } catch (err) {
      errors.push(errorText(err));
      continue;
    }
    try {
      Object.assign(params, parseParamsText(fs.readFileSync(full, 'utf8'), full));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') errors.push(`${full}: ${errorText(err)}`);
    }
  }
  return { params, errors };
}
