import * as vscode from 'vscode';
import { autoTrackMatcher, type AutoTrackMatcher } from '../../core/run/autoTrack';
import { statusFromExit } from '../../core/run/exitStatus';
import { LOST_OUTPUT_START, lostOutputStart, marksOutputStart } from '../../core/run/outputStart';
import { childPids } from '../../core/run/processes';
import type { RunSession } from '../../core/run/runSession';
import { OutputBuffer } from './outputBuffer';
import { errorText } from '../../core/errors';
import * as messages from '../messages';
import { showError, showWarning } from '../messages';

export interface SessionRequest {
  command: string;
  cwd: string;
  pid: number | undefined;
  terminalName: string;
  /** When the command started, for a run attached while it was already going. */
  startTime?: number;
  /** A name for the run; default: the script and the time. */
  name?: string;
}

export interface TrackerDeps {
  log: vscode.LogOutputChannel;
  /** Starts a session for a command (or, without shell integration, for the terminal's process tree). */
  startSession(request: SessionRequest): Promise<RunSession>;
  autoTrackPatterns(): string[] | undefined;
  /** The command line with its secrets masked, for messages. */
  maskCommand(commandLine: string): string;
}

interface Running {
  execution: vscode.TerminalShellExecution;
  startedAt: number;
  buffer: OutputBuffer;
  /** Settles when read() has yielded the command's last output. */
  pumped?: Promise<void>;
  /** Settles when the run's session has started (or failed to): a command may end before that. */
  attached?: Promise<void>;
  session?: RunSession;
  /** Whether VS Code dropped the start of the output: known at the first chunk, or at the end when none came. */
  lostStart?: boolean;
  /** Tracked when it starts, whatever the auto-track patterns say (a command run by runTracked). */
  track?: boolean;
}

/**
 * Maps terminals to runs. Every command's output is read from its start into
 * a bounded buffer, so a run started while the command is already going still
 * sees its output from the beginning.
 */
export class TerminalTracker implements vscode.Disposable {
  private readonly running = new Map<vscode.TerminalShellExecution, Running>();
  /** Commands this window ran (runTracked) that have not started yet: their output is read from before their start. */
  private readonly pending = new Map<vscode.TerminalShellExecution, Running>();
  private readonly executionTerminals = new WeakMap<vscode.TerminalShellExecution, vscode.Terminal>();
  /** Terminals whose next command is tracked, with the status-bar message that says so. */
  private readonly armed = new Map<vscode.Terminal, vscode.Disposable>();
  private readonly processOnly = new Map<vscode.Terminal, RunSession>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The matcher of the patterns in force, kept while they stay the same (a slow pattern stays off). */
  private matcher: { key: string; matcher: AutoTrackMatcher } | undefined;
  /** Whether this VS Code's output shows that it dropped a command's first chunk (see outputStart.ts). */
  private readonly seesLostStart = marksOutputStart(vscode.version);

  /** Fires when a run starts or ends. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: TrackerDeps) {
    this.disposables.push(
      vscode.window.onDidStartTerminalShellExecution((e) => void this.onStart(e.terminal, e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => void this.onEnd(e.execution, e.exitCode)),
      vscode.window.onDidCloseTerminal((t) => void this.onClose(t)),
      this.changed,
    );
  }

  /** Every run this window is tracking now. */
  sessions(): RunSession[] {
    const out = [...this.running.values()].flatMap((r) => (r.session && !r.session.isEnded ? [r.session] : []));
    return [...out, ...[...this.processOnly.values()].filter((s) => !s.isEnded)];
  }

  /** Start Tracking Active Terminal: the running command, or else the next one. */
  async trackActiveTerminal(): Promise<void> {
    const terminal = vscode.window.activeTerminal ?? (await this.pickTerminal());
    if (!terminal) {
      // None picked among several: the user changed their mind.
      if (vscode.window.terminals.length > 1) return;
      void showWarning('Tracelet: open a terminal and run your training command, then track it.', messages.newTerminal());
      return;
    }
    const current = [...this.running.values()].find((r) => r.execution && this.terminalOf(r) === terminal);
    if (current) {
      if (current.session) {
        void vscode.window.showInformationMessage(`Tracelet: "${current.session.record.name}" is already tracked.`);
        return;
      }
      await this.attach(terminal, current);
      return;
    }
    if (!(await this.waitForShellIntegration(terminal))) {
      await this.trackProcesses(
        terminal,
        `Tracelet: terminal "${terminal.name}" has no shell integration, so Tracelet records only its processes' CPU and memory — not the command, its output, metrics or exit code. Turn on "terminal.integrated.shellIntegration.enabled" and use bash, zsh, fish or PowerShell; stop this run with "Tracelet: Stop Tracking".`,
        messages.openSetting('terminal.integrated.shellIntegration.enabled'),
      );
      return;
    }
    this.armed.set(terminal, vscode.window.setStatusBarMessage(`$(record) Tracelet will track the next command in "${terminal.name}"`));
    // A command that started before this window (a reload while it ran) has no execution here: VS Code passes a
    // command's output on only from its start, so all Tracelet can follow of it is its processes.
    const shellPid = await terminal.processId;
    if (shellPid && childPids(shellPid).length > 0 && !this.processOnly.has(terminal))
      void messages.offerInfo(
        `Tracelet: "${terminal.name}" is running a command that started before this window, so Tracelet cannot read its output; it will track the next command there.`,
        {
          title: 'Track Its Processes',
          run: () =>
            this.trackProcesses(
              terminal,
              `Tracelet: recording the CPU and memory of the processes in "${terminal.name}", not the output of the command that started before this window; stop this run with "Tracelet: Stop Tracking".`,
            ),
        },
      );
  }

  /**
   * Runs a command line in `terminal` and tracks it, reading its output from before it starts so that VS Code
   * cannot drop its first part (see outputStart.ts); false when the terminal (a new one, still starting its shell)
   * has no shell integration within 10 s.
   */
  async runTracked(terminal: vscode.Terminal, commandLine: string): Promise<boolean> {
    if (!(await this.waitForShellIntegration(terminal, 10_000))) return false;
    const execution = terminal.shellIntegration!.executeCommand(commandLine);
    const entry = this.reading(terminal, execution);
    entry.track = true;
    this.pending.set(execution, entry);
    return true;
  }

  /**
   * The terminal to track when none is active, as after a window reload (VS Code restores the terminals, but none
   * is active until one is focused): the only one, or the one picked; undefined when there is none.
   */
  private async pickTerminal(): Promise<vscode.Terminal | undefined> {
    const terminals = vscode.window.terminals.length > 0 ? vscode.window.terminals : await this.restoredTerminals();
    if (terminals.length <= 1) return terminals[0];
    const picked = await vscode.window.showQuickPick(
      terminals.map((terminal, i) => ({ label: terminal.name, description: `terminal ${i + 1}`, terminal })),
      { title: 'Start Tracking', placeHolder: 'Track which terminal?' },
    );
    return picked?.terminal;
  }

  /**
   * The terminals VS Code restores after a window reload, which reach the extension host seconds after the
   * window shows them: the first within 5 s (with the window's progress showing), or none.
   */
  private async restoredTerminals(timeoutMs = 5000): Promise<readonly vscode.Terminal[]> {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Tracelet: looking for the terminal' },
      () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, timeoutMs);
          const sub = vscode.window.onDidOpenTerminal(done);
          function done(): void {
            clearTimeout(timer);
            sub.dispose();
            resolve();
          }
        }),
    );
    return vscode.window.terminals;
  }

  /** Stop Tracking: ends a run early; its process goes on. */
  async stop(session: RunSession): Promise<void> {
    await session.end('stopped', undefined, 'tracking was stopped by the user; the process went on');
    for (const [t, s] of this.processOnly) if (s === session) this.processOnly.delete(t);
    this.changed.fire();
  }

  /** Window closing: leave unfinished runs to the next window's recovery. */
  async suspendAll(): Promise<void> {
    await Promise.all(this.sessions().map((s) => s.suspend()));
  }

  private matcherFor(patterns: string[] | undefined): AutoTrackMatcher | undefined {
    if (patterns === undefined) return undefined;
    const key = JSON.stringify(patterns);
    if (this.matcher?.key !== key) {
      const matcher = autoTrackMatcher(patterns, (message) => {
        this.deps.log.warn(message);
        void showWarning(`Tracelet: ${message}.`, messages.openSetting('tracelet.autoTrack.patterns'));
      });
      for (const { pattern, error } of matcher.invalid)
        this.deps.log.warn(`tracelet.autoTrack.patterns entry ${JSON.stringify(pattern)} is not used: ${error}`);
      this.matcher = { key, matcher };
    }
    return this.matcher.matcher;
  }

  /** Forgets that the terminal's next command is to be tracked; true if it was. */
  private disarm(terminal: vscode.Terminal): boolean {
    const message = this.armed.get(terminal);
    message?.dispose();
    return this.armed.delete(terminal);
  }

  private terminalOf(r: Running): vscode.Terminal | undefined {
    return this.executionTerminals.get(r.execution);
  }

  private async onStart(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const entry = this.pending.get(execution) ?? this.reading(terminal, execution);
    this.pending.delete(execution);
    entry.startedAt = Date.now();
    this.running.set(execution, entry);
    const auto = this.matcherFor(this.deps.autoTrackPatterns());
    const wanted = this.disarm(terminal) || entry.track || auto?.matches(execution.commandLine.value);
    if (wanted) await this.attach(terminal, entry);
  }

  /** A command's entry, its output read from now on. */
  private reading(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Running {
    const entry: Running = { execution, startedAt: Date.now(), buffer: new OutputBuffer() };
    this.executionTerminals.set(execution, terminal);
    entry.pumped = this.pump(entry);
    return entry;
  }

  /** Reads the command's output for as long as it runs, into the buffer or the run. */
  private async pump(entry: Running): Promise<void> {
    try {
      for await (const chunk of entry.execution.read()) {
        if (entry.lostStart === undefined) this.checkStart(entry, chunk);
        if (entry.session) entry.session.feed(chunk);
        else entry.buffer.push(chunk);
      }
    } catch (err) {
      this.deps.log.warn(`reading terminal output failed: ${String(err)}`);
    }
  }

  private attach(terminal: vscode.Terminal, entry: Running): Promise<void> {
    entry.attached ??= this.startRun(terminal, entry);
    return entry.attached;
  }

  private async startRun(terminal: vscode.Terminal, entry: Running): Promise<void> {
    const shellPid = await terminal.processId;
    const commandPid = shellPid ? childPids(shellPid)[0] : undefined;
    try {
      const session = await this.deps.startSession({
        command: entry.execution.commandLine.value,
        cwd: entry.execution.cwd?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(),
        pid: commandPid ?? shellPid,
        terminalName: terminal.name,
        startTime: entry.startedAt,
      });
      for (const chunk of entry.buffer.drain()) session.feed(chunk);
      entry.session = session;
      this.noteGaps(entry);
      this.changed.fire();
    } catch (err) {
      void showError(`Tracelet could not start tracking "${this.deps.maskCommand(entry.execution.commandLine.value)}": ${errorText(err)}`, messages.showLog());
    }
  }

  private async onEnd(execution: vscode.TerminalShellExecution, exitCode: number | undefined): Promise<void> {
    const entry = this.running.get(execution);
    this.running.delete(execution);
    // A short command can end while its run is still starting (backends answering, git): end it once started.
    await entry?.attached;
    if (!entry?.session || entry.session.isEnded) return;
    // read() ends with the execution but may still hold its last output: end the run after it,
    // or after a second at most should the stream never close.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([entry.pumped, new Promise<void>((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    if (entry.lostStart === undefined) this.checkStart(entry, undefined);
    await entry.session.end(statusFromExit(exitCode), exitCode ?? null, exitCode === undefined ? 'the shell did not report an exit code' : undefined);
    this.changed.fire();
  }

  /** Sees from the output's first chunk (undefined: none came) whether VS Code dropped its start. */
  private checkStart(entry: Running, firstChunk: string | undefined): void {
    entry.lostStart = this.seesLostStart && lostOutputStart(firstChunk);
    this.noteGaps(entry);
  }

  /** Records in the run, once each, the parts of its output that never reached it. */
  private noteGaps(entry: Running): void {
    const session = entry.session;
    if (!session) return;
    const notes: string[] = [];
    if (entry.lostStart) notes.push(LOST_OUTPUT_START);
    if (entry.buffer.dropped > 0)
      notes.push(
        `The first ${entry.buffer.dropped} characters of the command's output came before tracking began and did not fit in the ${entry.buffer.limit} kept until then; they are not in this run.`,
      );
    for (const note of notes) if (session.pipeline.noteOutput(note)) this.deps.log.warn(`run ${session.id}: ${note}`);
  }

  private async onClose(terminal: vscode.Terminal): Promise<void> {
    this.disarm(terminal);
    const processOnly = this.processOnly.get(terminal);
    this.processOnly.delete(terminal);
    const ends: Promise<unknown>[] = [];
    if (processOnly) ends.push(processOnly.end('stopped', undefined, 'the terminal was closed'));
    for (const execution of this.pending.keys()) if (this.executionTerminals.get(execution) === terminal) this.pending.delete(execution);
    for (const [execution, entry] of this.running) {
      if (this.executionTerminals.get(execution) !== terminal) continue;
      this.running.delete(execution);
      ends.push(
        (async () => {
          await entry.attached;
          if (entry.session && !entry.session.isEnded) await entry.session.end('killed', null, 'the terminal was closed while the command ran');
        })(),
      );
    }
    await Promise.all(ends);
    if (ends.length > 0) this.changed.fire();
  }

  private async waitForShellIntegration(terminal: vscode.Terminal, timeoutMs = 3000): Promise<boolean> {
    if (terminal.shellIntegration) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(false);
      }, timeoutMs);
      const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      });
    });
  }

  /** A run of the terminal's processes alone, its command and output out of reach, and `message` saying so (with `fix`). */
  private async trackProcesses(terminal: vscode.Terminal, message: string, fix?: messages.MessageAction): Promise<void> {
    const pid = await terminal.processId;
    const session = await this.deps.startSession({
      command: `(terminal "${terminal.name}")`,
      name: `${terminal.name} processes ${new Date().toLocaleTimeString()}`,
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd(),
      pid,
      terminalName: terminal.name,
    });
    this.processOnly.set(terminal, session);
    this.changed.fire();
    await (fix ? showWarning(message, fix, messages.stopTracking()) : showWarning(message, messages.stopTracking()));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
