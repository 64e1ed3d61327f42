// Tracking a real `python3 train.py` in a real terminal through the commands a person uses, and what the
// run store and a backend registered through the API hold afterwards.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { readAllPoints } from '../../../src/core/store/metricsLog';
import { listRuns, outputNotesOf, type RunRecord } from '../../../src/core/store/runRecord';
import { assertStoredAsPrinted, printedCounts, storedCounts } from '../../support/storedAsPrinted';
import { received, RecordingBackend } from './recordingBackend';
import { EXTENSION_ID, nextEvent, runsRoot, setWorkspaceSetting, traceletApi, uniqueSeed, waitFor, WAIT_MS, workspaceDir } from './support';

// It starts as a real script does, importing for a moment, so that its first line usually comes after its start.
const FAIL_SCRIPT = `import sys, time\ntime.sleep(0.3)\nfor i in range(3):\n    print(f"step={i} loss={1.0 / (i + 1):.3f}", flush=True)\nprint("diverged", file=sys.stderr)\nsys.exit(3)\n`;

let terminal: vscode.Terminal;

function waitForRun(what: string, accept: (r: RunRecord) => boolean, timeoutMs = WAIT_MS): Promise<RunRecord> {
  return waitFor(`a run in ${runsRoot()} that is ${what}`, () => listRuns(runsRoot()).find(accept), timeoutMs);
}

/** Runs `command` in the suite's terminal through its shell integration: when it has started, and its exit code once it ends. */
function execute(command: string): { started: Promise<unknown>; ended: Promise<number | undefined> } {
  const same = (e: { execution: vscode.TerminalShellExecution }): boolean => e.execution.commandLine.value === command;
  const started = nextEvent(vscode.window.onDidStartTerminalShellExecution, `"${command}" to start`, same);
  const ended = nextEvent(vscode.window.onDidEndTerminalShellExecution, `"${command}" to end`, same, 3 * WAIT_MS);
  terminal.shellIntegration!.executeCommand(command);
  return { started, ended: ended.then((e) => e.exitCode) };
}

describe('Tracking a terminal', () => {
  before(async () => {
    const api = await traceletApi();
    const recorder = await api.registerPlugin(RecordingBackend);
    assert.equal(recorder.state, 'active', recorder.error);
    terminal = vscode.window.createTerminal({ name: 'integration', shellPath: '/bin/bash', cwd: workspaceDir() });
    terminal.show();
    await waitFor('shell integration in the bash terminal', () => terminal.shellIntegration);
    await waitFor('the bash terminal to be the active one', () => vscode.window.activeTerminal === terminal);
  });

  after(() => terminal?.dispose());

  describe('Start Tracking, then a command', () => {
    const seed = uniqueSeed();
    const args = ['--epochs', '6', '--seed', String(seed)];
    let run: RunRecord;

    it('stores the next command as a finished run holding every metric it printed', async () => {
      const expected = printedCounts(execFileSync('python3', [path.join(workspaceDir(), 'train.py'), ...args], { encoding: 'utf8' }));
      await vscode.commands.executeCommand('tracelet.startTracking');
      const command = `python3 train.py ${args.join(' ')}`;
      assert.equal(await execute(command).ended, 0);
      run = await waitForRun(`finished for "${command}"`, (r) => r.command === command && r.status !== 'running');
      assert.equal(run.status, 'finished');
      assert.equal(run.exitCode, 0);
      assert.equal(fs.realpathSync(run.cwd), fs.realpathSync(workspaceDir()));
      assert.equal(run.versions.vscode, vscode.version);
      assert.deepEqual(run.params, { epochs: 6, seed });
      assertStoredAsPrinted(path.join(runsRoot(), run.id), run, expected);
    });

    it('sends the run to a backend registered through the API, which gets the same points and the outcome', async () => {
      assert.ok(run.backends.includes('integration_recorder'), `the run went to ${run.backends.join(', ')}`);
      const got = await waitFor('the recording backend to be told the outcome', () => received.find((r) => r.runId === run.id && r.finished));
      assert.equal(got.finished, 'finished');
      const loss = got.points.filter((p) => p.name === 'loss').map((p) => p.value);
      const stored = readAllPoints(path.join(runsRoot(), run.id, 'metrics.bin'))
        .points.filter((p) => p.name === 'loss')
        .map((p) => p.value);
      assert.deepEqual(loss, stored);
    });

    it('Export Run Metrics as CSV writes one row per stored point and opens the file', async () => {
      await vscode.commands.executeCommand('tracelet.exportRunCsv', { runId: run.id, label: run.name });
      const csv = path.join(runsRoot(), run.id, 'metrics.csv');
      const rows = fs.readFileSync(csv, 'utf8').trimEnd().split('\n').slice(1);
      assert.equal(rows.length, readAllPoints(path.join(runsRoot(), run.id, 'metrics.bin')).points.length);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, csv);
    });
  });

  it('Stop Tracking ends a tracked run as stopped while its process goes on', async () => {
    const command = `python3 train.py --epochs 400 --delay 0.2 --seed ${uniqueSeed()}`;
    const { started, ended } = execute(command);
    let over = false;
    void ended.then(() => (over = true));
    // Started late: tracking attaches to the command already running in the active terminal.
    await started;
    await vscode.commands.executeCommand('tracelet.startTracking');
    const running = await waitForRun('running with a few points', (r) => r.command === command && (r.metrics.loss?.count ?? 0) >= 2);
    await vscode.commands.executeCommand('tracelet.stopTracking');
    const stopped = await waitForRun('stopped', (r) => r.id === running.id && r.status !== 'running');
    assert.equal(stopped.status, 'stopped');
    assert.equal(over, false, 'the training process was still running when tracking stopped');
    terminal.sendText('\x03', false);
    await ended;
  });

  it('with auto-track turned on in the workspace settings, a failing script is tracked and ends as failed with its exit code', async () => {
    fs.writeFileSync(path.join(workspaceDir(), 'fail_train.py'), FAIL_SCRIPT);
    const restore = await setWorkspaceSetting('autoTrack.enabled', true);
    try {
      const command = `python3 fail_train.py --seed ${uniqueSeed()}`;
      assert.equal(await execute(command).ended, 3);
      const failed = await waitForRun('ended', (r) => r.command === command && r.status !== 'running');
      assert.equal(failed.status, 'failed');
      assert.equal(failed.exitCode, 3);
      assertStoredAsPrinted(path.join(runsRoot(), failed.id), failed, { loss: 3 });
    } finally {
      await restore();
    }
  });

  it('a command that prints as it starts: its metric is stored, or the run says VS Code did not pass on the start of its output', async () => {
    for (let i = 0; i < 3; i++) {
      await vscode.commands.executeCommand('tracelet.startTracking');
      const command = `echo "step=0 loss=${i + 0.5}" # ${uniqueSeed()}`;
      assert.equal(await execute(command).ended, 0);
      const run = await waitForRun(`finished for "${command}"`, (r) => r.command === command && r.status !== 'running');
      assertStoredAsPrinted(path.join(runsRoot(), run.id), run, { loss: 1 });
    }
  });

  it('Run the Demo (the walkthrough’s button) tracks the demo in a terminal of its own, auto-track off, its output read from before it starts', async () => {
    const script = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'demo', 'train.py');
    const expected = printedCounts(execFileSync('python3', [script, '--epochs', '40', '--delay', '0.1'], { encoding: 'utf8' }));
    await vscode.commands.executeCommand('tracelet.runDemo');
    try {
      const run = await waitForRun(
        'the demo, finished',
        (r) => r.command.includes(path.join('dist', 'demo', 'train.py')) && r.status !== 'running',
        2 * WAIT_MS,
      );
      assert.equal(run.status, 'finished');
      assert.deepEqual(outputNotesOf(run), [], 'no part of its output was dropped');
      assert.deepEqual(storedCounts(path.join(runsRoot(), run.id)), expected);
    } finally {
      for (const t of vscode.window.terminals) if (t.name === 'Tracelet demo') t.dispose();
      // The tests after this one track the active terminal: the suite's own again.
      terminal.show();
      await waitFor('the bash terminal to be the active one again', () => vscode.window.activeTerminal === terminal);
    }
  });
});
