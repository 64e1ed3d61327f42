/**
 * Reads `read` until `ok` holds of its value and returns that value, or throws after `timeout` ms naming what was
 * awaited and the last value seen. The deadline is generous: a loaded 2-core machine must pass too.
 */
export async function waitForValue<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
