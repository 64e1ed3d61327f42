import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_BIN } from './paths';
import { freePort } from '../../../src/plugins/tensorboard/freePort';

export interface CodeServerOptions {
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout and stderr go here. */
  logFile: string;
  /** Fixed port; default a free one. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Let VS Code's workspace trust decide (the workspace then opens untrusted); default: trust switched off. */
  workspaceTrust?: boolean;
}

export interface CodeServer {
  readonly port: number;
  /** The workbench with the workspace open. */
  readonly url: string;
  readonly logFile: string;
  readonly userDataDir: string;
  stop(): Promise<void>;
}

export function workbenchUrl(port: number, workspace: string): string {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
}

export function codeServerArgs(o: { port: number; userDataDir: string; extensionsDir: string; workspace: string; workspaceTrust?: boolean }): string[] {
  return [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${o.port}`,
    // Its own config file, so that nothing is written to ~/.config/code-server.
    '--config',
    path.join(o.userDataDir, 'code-server.yaml'),
    '--user-data-dir',
    o.userDataDir,
    '--extensions-dir',
    o.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    o.workspace,
  ];
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Starts code-server and resolves once it listens; rejects with its log's tail if it exits or stalls. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}: run bash scripts/install-e2e.sh`);
  }
  const port = options.port ?? (await freePort());
  fs.mkdirSync(options.userDataDir, { recursive: true });
  fs.writeFileSync(path.join(options.userDataDir, 'code-server.yaml'), '# written by the Tracelet e2e harness; the flags say the rest\nauth: none\n');
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(CODE_SERVER_BIN, codeServerArgs({ port, ...options }), {
    cwd: options.workspace,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stop() also ends the extension host and the other children.
    detached: true,
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));

  const listening = `HTTP server listening on http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`code-server did not listen on port ${port} within 60 s; log: ${options.logFile}\n${seen}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      if (seen.includes(listening)) return;
      seen += chunk.toString();
      if (seen.includes(listening)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      log.end();
      reject(new Error(`code-server exited (${code ?? signal}) before listening; log: ${options.logFile}\n${seen}`));
    });
  });

  return {
    port,
    url: workbenchUrl(port, options.workspace),
    logFile: options.logFile,
    userDataDir: options.userDataDir,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
