// Pure and browser-safe: what a configuration captures from a stored output, summarised for the form's Try panel,
// and how two captures (the draft's and the saved settings') differ.
import type { MetricRecord } from '../parse/metricRecord';

/** A value as the webview receives it: messages go through JSON, which has no NaN or Infinity. */
export type PreviewValue = number | 'NaN' | 'Infinity' | '-Infinity';

export interface SeriesSummary {
  name: string;
  count: number;
  firstStep: number | undefined;
  lastStep: number | undefined;
  /** The epoch of its last record that had one (a table with an epoch column gives epochs and no steps). */
  lastEpoch: number | undefined;
  lastValue: PreviewValue;
}

export interface PreviewRecord {
  name: string;
  value: PreviewValue;
  step: number | undefined;
  epoch: number | undefined;
  /** The line of the text that was read (not of the whole output when only its tail was read). */
  line: number;
}

/** What one configuration captured: every series (first seen first), and the first records as a table. */
export interface Capture {
  series: SeriesSummary[];
  /** Series past PREVIEW_LIMITS.series are counted here, not listed. */
  moreSeries: number;
  records: PreviewRecord[];
  recordCount: number;
}

export interface SeriesDiff {
  added: string[];
  removed: string[];
  /** Series both capture, with a different number of records. */
  changed: { name: string; draft: number; saved: number }[];
}

export const PREVIEW_LIMITS = { series: 500, records: 50 } as const;

export function previewValue(value: number): PreviewValue {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/** Summarises records as they come, holding one entry per series and the first records only. */
export class CaptureCollector {
  private readonly series = new Map<string, SeriesSummary>();
  private readonly records: PreviewRecord[] = [];
  private recordCount = 0;
  private moreSeries = 0;
  private readonly unlisted = new Set<string>();

  add(records: readonly MetricRecord[]): void {
    for (const r of records) {
      this.recordCount++;
      if (this.records.length < PREVIEW_LIMITS.records)
        this.records.push({ name: r.name, value: previewValue(r.value), step: r.step, epoch: r.epoch, line: r.line });
      const known = this.series.get(r.name);
      if (known) {
        known.count++;
        known.lastValue = previewValue(r.value);
        if (r.step !== undefined) {
          known.lastStep = r.step;
          known.firstStep ??= r.step;
        }
        if (r.epoch !== undefined) known.lastEpoch = r.epoch;
      } else if (this.series.size < PREVIEW_LIMITS.series) {
        this.series.set(r.name, { name: r.name, count: 1, firstStep: r.step, lastStep: r.step, lastEpoch: r.epoch, lastValue: previewValue(r.value) });
      } else if (!this.unlisted.has(r.name)) {
        this.unlisted.add(r.name);
        this.moreSeries++;
      }
    }
  }

  result(): Capture {
    return { series: [...this.series.values()], moreSeries: this.moreSeries, records: this.records, recordCount: this.recordCount };
  }
}

/** Series the draft captures that the saved settings do not, the other way round, and those captured a different number of times. */
export function diffCaptures(draft: Capture, saved: Capture): SeriesDiff {
  const before = new Map(saved.series.map((s) => [s.name, s.count]));
  const after = new Map(draft.series.map((s) => [s.name, s.count]));
  return {
    added: draft.series.filter((s) => !before.has(s.name)).map((s) => s.name),
    removed: saved.series.filter((s) => !after.has(s.name)).map((s) => s.name),
    changed: draft.series.flatMap((s) => {
      const was = before.get(s.name);
      return was !== undefined && was !== s.count ? [{ name: s.name, draft: s.count, saved: was }] : [];
    }),
  };
}

/** "+3 series, −1 series, 2 with other counts", or "the same series as the saved settings". */
export function diffSummary(diff: SeriesDiff): string {
  const parts = [
    diff.added.length > 0 ? `+${diff.added.length} series` : '',
    diff.removed.length > 0 ? `−${diff.removed.length} series` : '',
    diff.changed.length > 0 ? `${diff.changed.length} with ${diff.changed.length === 1 ? 'another count' : 'other counts'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `${parts.join(', ')} against the saved settings` : 'The same series and counts as the saved settings';
}
