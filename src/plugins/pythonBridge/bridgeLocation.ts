import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

/** The folder holding the `tracelet_bridge` package: `python/` beside `dist/` (the extension) or `src/` (tests). */
export function bridgePythonPath(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'python');
    if (fs.existsSync(path.join(candidate, 'tracelet_bridge', '__main__.py'))) return (cached = candidate);
    if (path.dirname(dir) === dir) throw new Error(`the Python bridge (python/tracelet_bridge) is missing from ${__dirname} and the folders above it`);
  }
}
