import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import type { Logger } from '../../core/types';
import { bridgePythonPath } from './bridgeLocation';
import { parseReply, request, type BridgeError, type BridgeOp } from './bridgeProtocol';

export interface BridgeProcessOptions {
  /** `wandb`, `clearml` or `aim`: the adapter the bridge loads. */
  backend: string;
  interpreter: string;
  /** The bridge's whole environment: the host's without secrets, plus this plugin's own (see programEnv). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  logger: Logger;
  /** How long a call may wait for its reply before the bridge is taken for hung and killed. */
  callTimeoutMs: number;
}

/** A failed call: the SDK's error (`wandb run.log: ValueError: …`) or the bridge's own end. */
export class BridgeCallError extends Error {
  constructor(
    message: string,
    /** The SDK call when the SDK raised; undefined when the bridge died or hung. */
    readonly sdkCall: string | undefined,
    /** True when the bridge is gone: the next call starts a new one. */
    readonly bridgeLost: boolean,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

interface Pending {
  op: BridgeOp;
  resolve(body: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/** How long after the bridge exits its output is still read while a process it started holds the pipes open. */
const PIPE_GRACE_MS = 1000;

/**
 * One bridge process (`python -m tracelet_bridge <backend>`): requests go out as lines on its stdin, replies
 * come back as lines on its stdout, its stderr goes to the plugin's log. A call that gets no reply within
 * `callTimeoutMs`, or a process that exits, fails every waiting call with an error saying so.
 */
export class BridgeProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended: string | undefined;
  readonly exited: Promise<void>;

  constructor(private readonly options: BridgeProcessOptions) {
    const pythonPath = [bridgePythonPath(), options.env.PYTHONPATH].filter((p) => p).join(process.platform === 'win32' ? ';' : ':');
    this.child = spawn(options.interpreter, ['-u', '-m', 'tracelet_bridge', options.backend], {
      cwd: options.cwd,
      env: { ...options.env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child.stdin.on('error', () => undefined); // a dead bridge is reported by 'exit'
    const replies = readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.onLine(line));
    const messages = readline.createInterface({ input: this.child.stderr }).on('line', (line) => {
      if (line.trim()) options.logger.info(`python: ${line}`);
    });
    const read = Promise.all([replies, messages].map((lines) => new Promise((done) => lines.once('close', done))));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.end(`${options.backend} bridge could not start ${options.interpreter}: ${err.message}`);
        resolve();
      });
      this.child.on('exit', (code, signal) => {
        // What it wrote last may still be in the pipes: replies that settle calls, the message that says why it
        // exited. They are read first, unless a process it started (an SDK's service) holds the pipes open.
        const finish = (): void => {
          clearTimeout(grace);
          this.end(`${options.backend} bridge exited (${signal ? `signal ${signal}` : `code ${code}`})`);
          resolve();
        };
        const grace = setTimeout(finish, PIPE_GRACE_MS);
        void read.then(finish);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  /** Sends one request and resolves with the reply's body; `line` makes the request line from its id. */
  call(op: BridgeOp, body: Record<string, unknown> | ((id: number) => string) = {}, timeoutMs = this.options.callTimeoutMs): Promise<Record<string, unknown>> {
    if (this.ended) return Promise.reject(new BridgeCallError(`${this.ended}; it will be started again`, undefined, true));
    const id = this.nextId++;
    const line = typeof body === 'function' ? body(id) : request(id, op, body);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new BridgeCallError(
            `${this.options.backend} bridge: no answer to "${op}" within ${timeoutMs} ms; the bridge was stopped and will be started again`,
            undefined,
            true,
          ),
        );
        this.kill();
      }, timeoutMs);
      this.pending.set(id, { op, resolve, reject, timer });
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Closes stdin (the bridge then makes what it took durable and exits) and waits; kills it after `graceMs`. */
  async close(graceMs = 30_000): Promise<void> {
    if (!this.ended) this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onLine(line: string): void {
    const reply = parseReply(line);
    if (!reply) {
      this.options.logger.warn(`${this.options.backend} bridge wrote a line that is not a reply: ${line.slice(0, 200)}`);
      return;
    }
    const waiting = reply.id === null ? undefined : this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id!);
    clearTimeout(waiting.timer);
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(sdkError(this.options.backend, reply.error));
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new BridgeCallError(`${reason} during "${p.op}"; it will be started again`, undefined, true));
      this.pending.delete(id);
    }
  }
}

function sdkError(backend: string, error: BridgeError): BridgeCallError {
  const call = error.call.startsWith(backend) ? error.call : `${backend} ${error.call}`;
  return new BridgeCallError(`${call}: ${error.type}: ${error.message}`, error.call, false);
}
