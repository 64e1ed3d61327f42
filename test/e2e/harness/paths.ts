import * as path from 'node:path';

/** Folders the e2e harness reads from and writes to; all under the repository. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CODE_SERVER_DIR = path.join(REPO_ROOT, '.cache', 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.TRACELET_E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots of every scenario, kept after the run so a person can look at them (git-ignored). */
export const SCREENSHOTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.screenshots');
/** What a failed scenario leaves behind: screenshot, code-server log, extension host log (git-ignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.artifacts');
export const FIXTURE_PLUGINS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins');
export const EXAMPLE_PLUGIN_DIR = path.join(REPO_ROOT, 'examples', 'plugin-package');
