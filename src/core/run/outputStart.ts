// Whether VS Code passed on the start of a terminal command's output.
//
// From 1.98 (microsoft/vscode#241491), a command's output as TerminalShellExecution.read() yields it begins with the
// shell's "command executed" mark (OSC 633;C, or 133;C from other shell integrations). VS Code drops the first part
// of that output when it reaches the extension host in the same task as the command's start: read() subscribes in
// a microtask, after that part was emitted. This happens when a command prints as it starts, or when the window is
// too busy to pass its start on first. Output that does not begin with the mark, or no output at all, lost its start.

const EXECUTED_MARK = /^\x1b\][16]33;C\x07/;

/** What a run records when VS Code did not pass on the start of its command's output. */
export const LOST_OUTPUT_START =
  "VS Code did not pass on the start of the command's output: it reached the extension together with the command's start, " +
  'and VS Code drops output that comes then (a race in its terminal API); anything the command printed in that first moment is not in this run.';

/** Whether this VS Code begins a command's output with the mark (1.98 and later), so that a lost start shows. */
export function marksOutputStart(vscodeVersion: string): boolean {
  const [major, minor] = vscodeVersion.split('.').map((part) => Number.parseInt(part, 10));
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return false;
  return major! > 1 || (major === 1 && minor! >= 98);
}

/** Whether the output whose first chunk is `firstChunk` (undefined: none came) lost its start. */
export function lostOutputStart(firstChunk: string | undefined): boolean {
  return firstChunk === undefined || !EXECUTED_MARK.test(firstChunk);
}
