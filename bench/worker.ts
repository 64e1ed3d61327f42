// The worker side of bench/harness.ts: a worker measures after its own warm-up and ends by printing
// one JSON line of figures (a Python worker prints the same JSON itself).

/** The process's figures (and anything the benchmark wants to check or show), as the harness reads them. */
export function emit(figures: Record<string, number>, detail?: unknown): void {
  process.stdout.write(`${JSON.stringify(detail === undefined ? { figures } : { figures, detail })}\n`);
}

/** 0-based round this process belongs to (set by the harness). */
export const round = Number(process.env.BENCH_ROUND ?? 0);

/**
 * For workers that run side by side on one schedule: prints `ready` and resolves with the number the
 * harness sends back in a `go <number>` line (an epoch in Date.now() time).
 */
export function startSignal(): Promise<number> {
  process.stdout.write('ready\n');
  return new Promise((resolve) => {
    let input = '';
    process.stdin.setEncoding('utf8').on('data', (d: string) => {
      input += d;
      const m = /^go (\d+)$/m.exec(input);
      if (m) {
        process.stdin.destroy(); // a paused stdin would keep the process alive
        resolve(Number(m[1]));
      }
    });
  });
}
