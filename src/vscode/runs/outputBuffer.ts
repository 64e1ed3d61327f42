/** Keeps the most recent output of an untracked command, up to a byte budget, for a run started late. */
export class OutputBuffer {
  private chunks: string[] = [];
  private size = 0;
  private droppedBytes = 0;

  constructor(readonly limit = 4 * 1024 * 1024) {}

  get dropped(): number {
    return this.droppedBytes;
  }

  push(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      const old = this.chunks.shift()!;
      this.size -= old.length;
      this.droppedBytes += old.length;
    }
  }

  /** Hands over everything buffered and empties the buffer. */
  drain(): string[] {
    const out = this.chunks;
    this.chunks = [];
    this.size = 0;
    return out;
  }
}
