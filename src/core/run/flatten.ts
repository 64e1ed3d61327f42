/**
 * The finite numbers of a collector's nested record, keyed by path
 * (`{cpu: {percent: 3}, load: [1, 2]}` → `cpu/percent`, `load/0`, `load/1`).
 * Lists of objects (such as top processes) are details, not series, and are left out.
 */
export function flattenNumbers(values: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof values === 'number') {
    if (Number.isFinite(values) && prefix) out[prefix] = values;
    return out;
  }
  if (Array.isArray(values)) {
    if (values.every((v) => typeof v === 'number')) values.forEach((v, i) => flattenNumbers(v, prefix ? `${prefix}/${i}` : String(i), out));
    return out;
  }
  if (typeof values === 'object' && values !== null) {
    for (const [key, value] of Object.entries(values)) flattenNumbers(value, prefix ? `${prefix}/${key}` : key, out);
  }
  return out;
}
