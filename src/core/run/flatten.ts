/**
 * The finite numbers of a collector's nested record, keyed by path
 * (`{cpu: {percent: 3}, load: [1, 2]}` → `cpu/percent`, `load/0`, `load/1`).
 * A list of objects that carry a numeric `index` (GPUs) is keyed by it
 * (`gpus/0/utilizationPercent`); other lists of objects (top processes) are
 * details, not series, and are left out.
 */
export function flattenNumbers(values: unknown, prefix = '', out: Record<string, number> = {}): Record<string, number> {
  const join = (key: string | number): string => (prefix ? `${prefix}/${key}` : String(key));
  if (typeof values === 'number') {
    if (Number.isFinite(values) && prefix) out[prefix] = values;
    return out;
  }
  if (Array.isArray(values)) {
    if (values.every((v) => typeof v === 'number')) values.forEach((v, i) => flattenNumbers(v, join(i), out));
    else if (values.every((v) => typeof (v as { index?: unknown } | null)?.index === 'number')) {
      for (const v of values as { index: number }[]) {
        const { index, ...rest } = v;
        flattenNumbers(rest, join(index), out);
      }
    }
    return out;
  }
  if (typeof values === 'object' && values !== null) {
    for (const [key, value] of Object.entries(values)) flattenNumbers(value, join(key), out);
  }
  return out;
}
