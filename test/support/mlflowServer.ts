import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Peers } from './peers';
import { freePort } from '../../src/plugins/tensorboard/freePort';

/**
 * A real `mlflow server` on 127.0.0.1 with a SQLite store and an artifact folder in
 * `dir`. It can be stopped and started again on the same port and database.
 */
export class MlflowServer {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    private readonly peers: Peers,
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(peers: Peers, dir: string): Promise<MlflowServer> {
    const server = new MlflowServer(peers, dir, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return path.join(this.dir, 'server.log');
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const log = fs.openSync(this.logFile, 'a');
    const args = [
      'server',
      '--backend-store-uri',
      `sqlite:///${path.join(this.dir, 'mlflow.db')}`,
      '--artifacts-destination',
      path.join(this.dir, 'artifacts'),
    ];
    args.push('--host', '127.0.0.1', '--port', String(this.port), '--workers', '1');
    const child = spawn(this.peers.bin('mlflow'), args, {
      cwd: this.dir,
      detached: true, // its own process group, so stop() ends the server's workers too
      stdio: ['ignore', log, log],
      // No telemetry, and no background job runner (tracing jobs; not used here and one more process to start).
      env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true', MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mlflow server exited with ${child.exitCode}: ${this.tail()}`);
      try {
        const res = await fetch(`${this.url}/health`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error(`mlflow server did not answer /health within ${timeoutMs} ms: ${this.tail()}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null) return;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
    kill('SIGKILL'); // any worker that outlived the parent
  }

  /** GET/POST JSON against the REST API, for reading back what was logged. */
  async api<T>(call: string, query?: Record<string, string>, body?: unknown): Promise<T> {
    const url = new URL(call.startsWith('/') ? call : `/api/2.0/mlflow/${call}`, this.url);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${call}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  private tail(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
