import * as fs from 'node:fs';
import { readFrom } from '../tailing/pollingWatch';
import { decodeEvent, type DecodedEvent } from './eventProto';
import { decodeRecords } from './tfRecord';
import { errorText } from '../../core/errors';

export interface TailedScalar {
  tag: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch (the event's wall_time). */
  time: number;
}

/**
 * Reads an event file as it grows: each read() decodes the records appended since
 * the last one. A record still being written is read again next time; a checksum
 * error throws (TfRecordCorruptError) and the file is not read further.
 */
export class EventFileTail {
  private offset = 0;
  /** Writers may send a tag's plugin metadata with its first value only. */
  private readonly pluginByTag = new Map<string, string>();
  private broken: Error | undefined;

  constructor(readonly path: string) {}

  async read(): Promise<TailedScalar[]> {
    if (this.broken) return [];
    const { size } = await fs.promises.stat(this.path);
    if (size < this.offset) this.offset = 0; // replaced by a new file of the same name
    const data = await readFrom(this.path, this.offset);
    let decoded: ReturnType<typeof decodeRecords>;
    try {
      decoded = decodeRecords(data);
    } catch (err) {
      this.broken = err as Error;
      throw new Error(`tfevents: ${this.path}: ${errorText(err)} (after byte ${this.offset}); the rest of the file is skipped`);
    }
    this.offset += decoded.consumed;
    const out: TailedScalar[] = [];
    for (const record of decoded.records) {
      let event: DecodedEvent;
      try {
        event = decodeEvent(record);
      } catch {
        continue; // a record that is not an Event we understand
      }
      for (const v of event.values) {
        if (v.pluginName) this.pluginByTag.set(v.tag, v.pluginName);
        const value = v.simpleValue ?? (this.pluginByTag.get(v.tag) === 'scalars' ? v.tensorValue : undefined);
        if (value !== undefined) out.push({ tag: v.tag, value, step: event.step, time: event.wallTime * 1000 });
      }
    }
    return out;
  }
}
