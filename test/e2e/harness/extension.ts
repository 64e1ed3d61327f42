import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CODE_SERVER_BIN, REPO_ROOT } from './paths';

export interface ExtensionManifest {
  name: string;
  publisher: string;
  version: string;
  displayName: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

export function readManifest(): ExtensionManifest {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as ExtensionManifest;
}

let packaged: string | undefined;

/**
 * `vsce package` (which builds for production first), once per test process: the tests run the .vsix a
 * user installs, made from the current sources, so a file missing from the package fails them.
 */
export function packageExtension(): string {
  if (packaged) return packaged;
  const out = path.join(os.tmpdir(), `tracelet-e2e-${process.pid}.vsix`);
  try {
    execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--out', out], {
      cwd: REPO_ROOT,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`vsce package failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  process.on('exit', () => fs.rmSync(out, { force: true }));
  packaged = out;
  return out;
}

/** Packages another extension's folder (a test stand-in) as a .vsix in `outDir`. */
export function packageFolder(folder: string, outDir: string): string {
  const out = path.join(outDir, `${path.basename(folder)}.vsix`);
  execFileSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out],
    { cwd: folder, stdio: 'pipe', encoding: 'utf8' },
  );
  return out;
}

/** Installs the .vsix into a fresh extensions folder with code-server's own `--install-extension`, as a user would. */
export function installExtension(vsix: string, extensionsDir: string, userDataDir: string): void {
  try {
    execFileSync(
      CODE_SERVER_BIN,
      ['--config', path.join(userDataDir, 'code-server.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`code-server --install-extension ${vsix} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}
