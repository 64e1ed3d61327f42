import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../store/atomicFile';

/** How far a backend has acknowledged the run's metrics log: a block boundary and the sequence number there. */
export interface Cursor {
  offset: number;
  seq: number;
}

/** The acknowledged positions of every backend of a run, kept in `cursors.json`. */
export class CursorStore {
  private readonly file: string;
  private cursors: Record<string, Cursor>;

  constructor(runDir: string) {
    this.file = path.join(runDir, 'cursors.json');
    try {
      this.cursors = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, Cursor>;
    } catch {
      this.cursors = {};
    }
  }

  get(backend: string): Cursor {
    return this.cursors[backend] ?? { offset: 0, seq: 0 };
  }

  all(): Record<string, Cursor> {
    return { ...this.cursors };
  }

  set(backend: string, cursor: Cursor): void {
    this.cursors[backend] = cursor;
    writeFileAtomic(this.file, JSON.stringify(this.cursors));
  }
}
