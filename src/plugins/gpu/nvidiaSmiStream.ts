import { spawn, type ChildProcess } from 'node:child_process';
import { programEnv } from '../../core/secrets/programEnv';
import type { Logger } from '../../core/types';
import { nvidiaSmiArgs, parseGpuLine, type GpuReading } from './nvidiaSmiCsv';
import { errorText } from '../../core/errors';

/**
 * `starting`/`streaming`: the process runs; `restarting`: it died and will be started again after a pause;
 * `absent`: no such program; `no-gpu`: it runs but finds no GPU (or no driver); `idle`: stopped because
 * nobody read a value for a while, started again by the next read; `stopped`.
 */
export type GpuStreamState = 'stopped' | 'starting' | 'streaming' | 'restarting' | 'absent' | 'no-gpu' | 'idle';

export interface NvidiaSmiStreamOptions {
  command: string;
  intervalMs: number;
  env?: NodeJS.ProcessEnv;
  /** First pause before a restart; doubled after each death, up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop the process when nobody has read for this long (0: never). */
  idleStopMs?: number;
  logger?: Logger;
}

/** Lines in nvidia-smi's output that mean there is nothing to watch on this machine, so restarting is pointless. */
const NOTHING_TO_WATCH = /No devices were found|couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i;

/** A process that ran at least this long had a real run: its death restarts the back-off from the start. */
const HEALTHY_RUN_MS = 30_000;

/**
 * One long-lived `nvidia-smi --query-gpu=... -lms N` whose output lines are
 * parsed as they arrive; reading the latest values costs nothing. Not a spawn
 * per sample: starting nvidia-smi (driver and NVML initialisation) costs far more
 * than one of its loop iterations.
 */
export class NvidiaSmiStream {
  private child: ChildProcess | undefined;
  private readonly latest = new Map<number, { reading: GpuReading; at: number }>();
  private current: GpuStreamState = 'stopped';
  private note = '';
  private lastExit = '';
  private restartCount = 0;
  private deaths = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private lastReadAt = Date.now();
  private waiters: (() => void)[] = [];

  constructor(private readonly options: NvidiaSmiStreamOptions) {}

  get state(): GpuStreamState {
    return this.current;
  }

  /** `lastExit` keeps why the process last died after a restart has cleared `message`. */
  status(): { state: GpuStreamState; message: string; lastExit: string; restarts: number; pid: number | undefined } {
    return { state: this.current, message: this.note, lastExit: this.lastExit, restarts: this.restartCount, pid: this.child?.pid };
  }

  start(): void {
    if (this.child || this.restartTimer) return;
    this.spawnChild();
  }

  stop(): void {
    this.current = 'stopped';
    this.halt();
  }

  /**
   * The GPUs heard from within the last three intervals (at least 5 s), by index.
   * Reading marks the stream as in use; an idle-stopped stream starts again.
   */
  read(): GpuReading[] {
    this.lastReadAt = Date.now();
    if (this.current === 'idle') this.spawnChild();
    return this.peek();
  }

  /** The same as read(), without counting as a use. */
  peek(): GpuReading[] {
    const fresh = Date.now() - Math.max(5000, 3 * this.options.intervalMs);
    return [...this.latest.values()]
      .filter((r) => r.at >= fresh)
      .map((r) => r.reading)
      .sort((a, b) => a.index - b.index);
  }

  /** Resolves at the next GPU line, or after timeoutMs. */
  waitForReadings(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private spawnChild(): void {
    this.restartTimer = undefined;
    this.current = 'starting';
    this.startedAt = Date.now();
    let output = '';
    let buffered = '';
    let child: ChildProcess;
    try {
      child = spawn(this.options.command, nvidiaSmiArgs(this.options.intervalMs), {
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        env: this.options.env ?? programEnv(),
      });
    } catch (err) {
      this.ended(`could not start ${this.options.command}: ${errorText(err)}`, false);
      return;
    }
    this.child = child;
    this.options.logger?.debug(`started ${this.options.command} (pid ${String(child.pid)}), a line per GPU every ${this.options.intervalMs} ms`);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      if (this.child !== child) return;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) this.onLine(line, (text) => (output = `${output + text}\n`.slice(-2000)));
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (output = (output + chunk).slice(-2000)));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (this.child !== child) return;
      this.child = undefined;
      if (err.code === 'ENOENT') {
        this.current = 'absent';
        this.note = `${this.options.command} was not found on PATH: no NVIDIA GPU readout (install the NVIDIA driver, or set the gpu plugin's "command")`;
        this.options.logger?.info(this.note);
      } else {
        this.ended(`${this.options.command} failed: ${err.message}`, true);
      }
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      const text = output.trim().split('\n').pop() ?? '';
      if (NOTHING_TO_WATCH.test(output)) {
        this.current = 'no-gpu';
        this.note = `${this.options.command}: ${text || 'no GPU found'}`;
        this.options.logger?.info(this.note);
        return;
      }
      this.ended(`${this.options.command} exited (${signal ?? `code ${String(code)}`})${text ? `: ${text}` : ''}`, true);
    });
  }

  private onLine(line: string, keep: (text: string) => void): void {
    const reading = parseGpuLine(line);
    if (!reading) {
      if (line.trim()) keep(line.trim());
      return;
    }
    this.latest.set(reading.index, { reading, at: Date.now() });
    if (this.current !== 'streaming') {
      this.current = 'streaming';
      this.note = '';
    }
    for (const w of this.waiters.splice(0)) w();
    const idleMs = this.options.idleStopMs ?? 0;
    if (idleMs > 0 && Date.now() - this.lastReadAt > idleMs) {
      this.options.logger?.debug(`nobody read GPU values for ${Math.round(idleMs / 1000)} s: stopping ${this.options.command} until the next read`);
      this.halt();
      this.current = 'idle';
    }
  }

  /** The process died on its own: restart it after a pause that doubles with each quick death. */
  private ended(message: string, restart: boolean): void {
    this.note = message;
    this.lastExit = message;
    if (!restart) {
      this.current = 'stopped';
      return;
    }
    if (Date.now() - this.startedAt >= HEALTHY_RUN_MS) this.deaths = 0;
    const delay = Math.min(this.options.maxBackoffMs ?? 60_000, (this.options.initialBackoffMs ?? 1000) * 2 ** this.deaths);
    this.deaths += 1;
    this.restartCount += 1;
    this.current = 'restarting';
    this.options.logger?.warn(`${message}; restarting in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.spawnChild(), delay);
    this.restartTimer.unref?.();
  }

  private halt(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    this.child = undefined;
    child?.kill();
  }
}
