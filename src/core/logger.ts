import type { Logger } from './types';

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Prefixes every line with `[name]` so a plugin's lines can be found in a shared log. */
export function scopedLogger(base: Logger, name: string): Logger {
  const tag = `[${name}] `;
  return {
    trace: (m) => base.trace(tag + m),
    debug: (m) => base.debug(tag + m),
    info: (m) => base.info(tag + m),
    warn: (m) => base.warn(tag + m),
    error: (m) => base.error(tag + m),
  };
}
