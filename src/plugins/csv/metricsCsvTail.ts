import * as fs from 'node:fs';
import type { MetricPoint } from '../../core/types';
import { readFrom } from '../tailing/pollingWatch';
import { parseCsvLine, parseCsvNumber } from './csvLine';

/**
 * Reads a Lightning CSVLogger `metrics.csv` as it grows. The layout: a header of
 * sorted column names (`epoch,step,train_loss,val_loss`), one row per logging call
 * with empty cells for metrics not logged then. When new metric names appear,
 * Lightning rewrites the whole file under a wider header; the rows read before come
 * first again and are skipped. Each non-empty numeric cell is a point at the row's
 * `step`; `epoch` is a point only when it changes. The file has no times: points
 * get the time they were read.
 */
export class MetricsCsvTail {
  private header: string | undefined;
  private columns: string[] = [];
  private offset = 0;
  private rows = 0;
  private skip = 0;
  private lastEpoch: number | undefined;

  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  async read(): Promise<MetricPoint[]> {
    const head = await readFirstLine(this.path);
    if (!head) return []; // empty, or the header is still being written
    const { size } = await fs.promises.stat(this.path);
    if (head.text !== this.header || size < this.offset) {
      if (this.header !== undefined) this.skip = this.rows;
      this.header = head.text;
      this.columns = parseCsvLine(head.text);
      this.offset = head.bytes;
    }
    const data = await readFrom(this.path, this.offset);
    const end = data.lastIndexOf(0x0a);
    if (end < 0) return [];
    this.offset += end + 1;
    const time = this.now();
    const points: MetricPoint[] = [];
    for (const raw of data
      .subarray(0, end + 1)
      .toString('utf8')
      .split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '') continue;
      if (this.skip > 0) {
        this.skip -= 1;
        continue;
      }
      this.rows += 1;
      points.push(...this.rowPoints(parseCsvLine(line), time));
    }
    return points;
  }

  private rowPoints(cells: string[], time: number): MetricPoint[] {
    const stepAt = this.columns.indexOf('step');
    const stepValue = stepAt >= 0 ? parseCsvNumber(cells[stepAt] ?? '') : undefined;
    const step = stepValue !== undefined && Number.isFinite(stepValue) ? Math.trunc(stepValue) : undefined;
    const points: MetricPoint[] = [];
    this.columns.forEach((name, i) => {
      if (i === stepAt) return;
      const value = parseCsvNumber(cells[i] ?? '');
      if (value === undefined) return;
      if (name === 'epoch') {
        if (value === this.lastEpoch) return;
        this.lastEpoch = value;
      }
      points.push(step === undefined ? { name, value, time } : { name, value, step, time });
    });
    return points;
  }
}

/** The first line without its line break, and how many bytes it takes with it; undefined until it is complete. */
async function readFirstLine(file: string): Promise<{ text: string; bytes: number } | undefined> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return undefined;
      const piece = chunk.subarray(0, bytesRead);
      const nl = piece.indexOf(0x0a);
      if (nl >= 0) {
        chunks.push(piece.subarray(0, nl));
        const text = Buffer.concat(chunks).toString('utf8');
        return { text: text.endsWith('\r') ? text.slice(0, -1) : text, bytes: position + nl + 1 };
      }
      chunks.push(piece);
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
