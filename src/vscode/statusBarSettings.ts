// Pure: the status bar's settings, their defaults and how raw values from settings.json are cleaned.

export const STATUS_FIELDS = ['cpu', 'mem', 'swap', 'load', 'gpu', 'gpuMem', 'disk', 'io', 'net', 'proc'] as const;
export type StatusField = (typeof STATUS_FIELDS)[number];

export interface Levels {
  warning: number;
  error: number;
}

/** cpu: total CPU %; mem: memory used %; gpu: the fullest GPU's memory % (full utilisation is what training wants). */
export type Thresholds = Record<'cpu' | 'mem' | 'gpu', Levels>;

export interface StatusBarSettings {
  enabled: boolean;
  intervalMs: number;
  fields: StatusField[];
  thresholds: Thresholds;
  pauseWhenUnfocused: boolean;
}

export const MIN_INTERVAL_MS = 250;

export const DEFAULT_STATUS_BAR: StatusBarSettings = {
  enabled: true,
  intervalMs: 2000,
  fields: ['cpu', 'mem', 'gpu'],
  thresholds: { cpu: { warning: 85, error: 95 }, mem: { warning: 85, error: 95 }, gpu: { warning: 90, error: 97 } },
  pauseWhenUnfocused: true,
};

/** The raw values as `vscode.workspace.getConfiguration('tracelet')` returns them. */
export interface RawStatusBarSettings {
  enabled?: unknown;
  interval?: unknown;
  fields?: unknown;
  thresholds?: unknown;
  pauseWhenUnfocused?: unknown;
}

function levels(raw: unknown, fallback: Levels): Levels {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Levels, unknown>>;
  const pick = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return { warning: pick(r.warning, fallback.warning), error: pick(r.error, fallback.error) };
}

/** Settings with wrong types fall back to the defaults; unknown fields are dropped, duplicates kept once. */
export function normaliseStatusBarSettings(raw: RawStatusBarSettings): StatusBarSettings {
  const d = DEFAULT_STATUS_BAR;
  const interval = typeof raw.interval === 'number' && Number.isFinite(raw.interval) ? Math.max(MIN_INTERVAL_MS, raw.interval) : d.intervalMs;
  const fields = Array.isArray(raw.fields)
    ? [...new Set(raw.fields.filter((f): f is StatusField => (STATUS_FIELDS as readonly unknown[]).includes(f)))]
    : d.fields;
  const t = (typeof raw.thresholds === 'object' && raw.thresholds !== null ? raw.thresholds : {}) as Record<string, unknown>;
  return {
    enabled: typeof raw.enabled === 'boolean' ? raw.enabled : d.enabled,
    intervalMs: interval,
    fields,
    thresholds: { cpu: levels(t.cpu, d.thresholds.cpu), mem: levels(t.mem, d.thresholds.mem), gpu: levels(t.gpu, d.thresholds.gpu) },
    pauseWhenUnfocused: typeof raw.pauseWhenUnfocused === 'boolean' ? raw.pauseWhenUnfocused : d.pauseWhenUnfocused,
  };
}
