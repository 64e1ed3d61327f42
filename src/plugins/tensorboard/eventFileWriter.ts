import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileVersionEvent } from './eventProto';
import { encodeRecord } from './tfRecord';

let filesOpened = 0;

/** `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<n>`, as TensorBoard's own writer names them. */
export function eventFileName(timeMs: number, host: string, pid: number, n: number): string {
  return `events.out.tfevents.${String(Math.floor(timeMs / 1000)).padStart(10, '0')}.${host}.${pid}.${n}`;
}

/**
 * One event file, appended to: the `file_version` record on open, then each call to
 * write() is one append of whole records, so a reader never sees half a batch for long.
 */
export class EventFileWriter {
  private constructor(
    readonly path: string,
    private readonly handle: fs.promises.FileHandle,
  ) {}

  static async open(dir: string, now = Date.now()): Promise<EventFileWriter> {
    await fs.promises.mkdir(dir, { recursive: true });
    const file = path.join(dir, eventFileName(now, os.hostname(), process.pid, filesOpened++));
    const handle = await fs.promises.open(file, 'wx');
    const writer = new EventFileWriter(file, handle);
    await writer.write([fileVersionEvent(now / 1000)]);
    return writer;
  }

  async write(events: readonly Uint8Array[]): Promise<void> {
    if (events.length === 0) return;
    const data = Buffer.concat(events.map(encodeRecord));
    let written = 0;
    while (written < data.length) written += (await this.handle.write(data, written, data.length - written)).bytesWritten;
  }

  async close(): Promise<void> {
    await this.handle.sync().catch(() => undefined);
    await this.handle.close();
  }
}
