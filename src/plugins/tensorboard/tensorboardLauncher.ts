import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from './freePort';
import { programEnv } from '../../core/secrets/programEnv';

const EXE = process.platform === 'win32' ? 'tensorboard.exe' : 'tensorboard';
const BIN = process.platform === 'win32' ? 'Scripts' : 'bin';

/**
 * The `tensorboard` program to run: a virtual environment's in one of `folders`
 * (`.venv/`, `venv/`, `env/`; the workspace's first), else the first on PATH.
 */
export function findTensorBoard(folders: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = folders.flatMap((f) => ['.venv', 'venv', 'env'].map((v) => path.join(f, v, BIN, EXE)));
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean)) candidates.push(path.join(dir, EXE));
  return candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
}

export interface RunningTensorBoard {
  readonly url: string;
  readonly logDir: string;
  /** Resolves when the process has ended. */
  readonly exited: Promise<void>;
  isRunning(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts `tensorboard --logdir <logDir> --host 127.0.0.1 --port <free>` and resolves
 * once it answers HTTP. Its output goes to `onOutput`; if it exits first, the error
 * carries the end of that output.
 */
export async function startTensorBoard(
  exe: string,
  logDir: string,
  options: { timeoutMs?: number; onOutput?: (text: string) => void } = {},
): Promise<RunningTensorBoard> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(exe, ['--logdir', logDir, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // a process group, so stop() also ends its data server
    env: programEnv(process.env, { TF_CPP_MIN_LOG_LEVEL: '2' }),
  });
  let output = '';
  const take = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  let running = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false;
      resolve();
    });
    child.once('error', (err) => {
      output += `\n${err.message}`;
      running = false;
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (!running || !child.pid) return;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (!running) throw new Error(`tensorboard exited before it served ${url}: ${output.trim().split('\n').slice(-5).join(' | ') || '(no output)'}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { url, logDir, exited, isRunning: () => running, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`tensorboard did not answer on ${url} within ${options.timeoutMs ?? 60_000} ms: ${output.trim().split('\n').slice(-5).join(' | ')}`);
}
