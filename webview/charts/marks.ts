// Performance marks the e2e reads (test/e2e/runViewFigures.e2e.test.ts, through `performance.getEntriesByType('mark')`
// in this frame): when a chart has drawn a series, and with it the newest point it holds. Nothing else reads them.
import type { SliceData } from '../../src/webviewProtocol/runViewProtocol';

export const DRAW_MARK = 'tracelet:draw';
export const TABLE_QUERY_MARK = 'tracelet:table-query';
export const TABLE_VIEW_MARK = 'tracelet:table-view';

/** What a draw mark says: the chart, the newest point drawn (greatest x over the runs, its value) and the wall clock. */
export interface DrawDetail {
  metric: string;
  lastX: number | null;
  lastY: number | null;
  points: number;
  /** Date.now() when the frame was drawn: the same clock as a script's time.time(). */
  wall: number;
}

/** The newest point of a chart's data: the last finite one of the run whose series reaches furthest along x. */
export function newestPoint(slices: readonly SliceData[]): { x: number | null; y: number | null } {
  let x: number | null = null;
  let y: number | null = null;
  for (const s of slices) {
    for (let i = s.xs.length - 1; i >= 0; i--) {
      const v = s.ys[i];
      if (v === null || v === undefined) continue;
      if (x === null || s.xs[i]! > x) {
        x = s.xs[i]!;
        y = v;
      }
      break;
    }
  }
  return { x, y };
}

/** Marks a frame drawn; cheap (one entry), and the buffer is cleared past 20,000 marks so a long live view does not grow it. */
export function mark(name: string, detail: object): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByType('mark').length > 20_000) performance.clearMarks();
  performance.mark(name, { detail });
}
