/**
 * Polls `check` until it holds or `timeoutMs` passes (then throws, saying what was awaited). For tests that
 * wait on something asynchronous: the deadline is generous so that a loaded 2-core machine passes too,
 * and a fast machine passes as soon as the condition holds.
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
