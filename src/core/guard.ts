/** Marks a PluginError made by any copy of this module: each bundle that imports it (dist/lazy/) has its own class. */
const PLUGIN_ERROR = Symbol.for('tracelet.PluginError');

/** A failure inside plugin code, named by plugin and phase so a user knows where to look. */
export class PluginError extends Error {
  /** `instanceof` holds across the bundles' copies of the class, which each catch the others' errors. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [PLUGIN_ERROR]?: unknown })[PLUGIN_ERROR] === true;
  }

  readonly [PLUGIN_ERROR] = true;

  constructor(
    readonly plugin: string,
    readonly phase: string,
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(`plugin "${plugin}" failed in ${phase}: ${reason}`);
  }

  /** The command the plugin's own error offers as its fix (an Error with a string `fix`), if any. */
  get fix(): string | undefined {
    const fix = (this.cause as { fix?: unknown } | undefined)?.fix;
    return typeof fix === 'string' && fix.trim() !== '' ? fix : undefined;
  }
}

/** The fix a plugin's error offers, through the guard's wrapping. */
export function fixOf(err: unknown): string | undefined {
  return err instanceof PluginError ? err.fix : undefined;
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/**
 * Runs a call into plugin code: a throw, a rejection or a call that outlives
 * `timeoutMs` becomes a PluginError. A hung call is abandoned, not cancelled:
 * JavaScript cannot stop it, but the caller moves on.
 */
export async function guard<T>(plugin: string, phase: string, timeoutMs: number, fn: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const call = Promise.resolve().then(fn);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PluginError(plugin, phase, `did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    return await Promise.race([call, timeout]);
  } catch (err) {
    if (err instanceof PluginError) throw err;
    throw new PluginError(plugin, phase, reasonOf(err), err);
  } finally {
    clearTimeout(timer);
  }
}
