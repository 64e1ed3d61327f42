import type * as SystemInformation from 'systeminformation';

export type Si = typeof SystemInformation;

let loading: Promise<Si> | undefined;

/**
 * systeminformation, loaded on first use only: on Linux the collectors read /proc
 * directly and never call this, so the library costs neither start-up time
 * (about 21 ms to load) nor the child processes most of its calls spawn.
 */
export function loadSystemInformation(): Promise<Si> {
  // require, not import(): the extension bundle maps it to dist/vendor/systeminformation.js (esbuild.mjs).
  loading ??= Promise.resolve().then(() => require('systeminformation') as Si);
  return loading;
}
