/** The fields asked of nvidia-smi, in the order its CSV lines give them. */
export const GPU_QUERY_FIELDS = ['index', 'name', 'utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu', 'power.draw'] as const;

/** The arguments of the one long-lived nvidia-smi process: a CSV line per GPU every `intervalMs`. */
export function nvidiaSmiArgs(intervalMs: number): string[] {
  return [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(Math.round(intervalMs))];
}

/** One GPU's reading; a field the GPU does not report (`[N/A]`, `[Not Supported]`) is left out. */
export interface GpuReading {
  index: number;
  name: string;
  utilizationPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  memoryPercent?: number;
  temperatureC?: number;
  powerW?: number;
}

const MIB = 1024 * 1024;

function number(field: string | undefined): number | undefined {
  if (field === undefined || field === '' || field.startsWith('[') || /^n\/?a$/i.test(field)) return undefined;
  const n = Number(field);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Parses one line of `--format=csv,noheader,nounits` output, e.g.
 * `0, NVIDIA A100-SXM4-80GB, 87, 61234, 81920, 64, 312.45` (memory in MiB,
 * power in W). Lines that are not such a row (warnings, "No devices were
 * found") give undefined.
 */
export function parseGpuLine(line: string): GpuReading | undefined {
  const f = line.split(',').map((s) => s.trim());
  if (f.length < GPU_QUERY_FIELDS.length) return undefined;
  const index = Number(f[0]);
  if (!/^\d+$/.test(f[0]!) || !Number.isInteger(index)) return undefined;
  // A name with a comma in it would shift the fields: take the numbers from the end.
  const tail = f.slice(-5);
  const name = f.slice(1, f.length - 5).join(', ');
  const reading: GpuReading = { index, name };
  const [util, used, total, temp, power] = tail.map(number);
  if (util !== undefined) reading.utilizationPercent = util;
  if (used !== undefined) reading.memoryUsedBytes = used * MIB;
  if (total !== undefined) reading.memoryTotalBytes = total * MIB;
  if (used !== undefined && total) reading.memoryPercent = (100 * used) / total;
  if (temp !== undefined) reading.temperatureC = temp;
  if (power !== undefined) reading.powerW = power;
  return reading;
}
