import { percentOf } from './counters';

export interface MemoryValues {
  total: number;
  available: number;
  used: number;
  percent: number | undefined;
}

export interface MemInfo {
  memory: MemoryValues;
  swap: MemoryValues;
}

const FIELDS = /^(MemTotal|MemFree|MemAvailable|Buffers|Cached|SwapTotal|SwapFree):\s+(\d+)/gm;

/** Parses /proc/meminfo into bytes. Without MemAvailable (kernels before 3.14) available is free + buffers + page cache. */
export function parseMeminfo(text: string): MemInfo | undefined {
  const kb = new Map<string, number>();
  for (const m of text.matchAll(FIELDS)) kb.set(m[1]!, Number(m[2]) * 1024);
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  const swapTotal = kb.get('SwapTotal') ?? 0;
  const swapFree = kb.get('SwapFree') ?? 0;
  const used = Math.max(0, total - available);
  const swapUsed = Math.max(0, swapTotal - swapFree);
  return {
    memory: { total, available, used, percent: percentOf(used, total) },
    swap: { total: swapTotal, available: swapFree, used: swapUsed, percent: percentOf(swapUsed, swapTotal) },
  };
}
