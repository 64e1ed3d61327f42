import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export interface ExtensionManifest {
  name: string;
  publisher: string;
  version: string;
  displayName: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

export function readManifest(): ExtensionManifest {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as ExtensionManifest;
}

/** `npm run build`: the tests always run the extension built from the current sources. */
export function buildExtension(): void {
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** What a packaged extension holds; code-server loads it from `<extensionsDir>/<publisher>.<name>-<version>/`. */
const SHIPPED = ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/** Copies the built extension into a fresh extensions folder and returns the folder it made. */
export function stageExtension(extensionsDir: string): string {
  const m = readManifest();
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run npm run build');
  const target = path.join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  fs.mkdirSync(target, { recursive: true });
  for (const entry of SHIPPED) {
    const from = path.join(REPO_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
  }
  return target;
}
