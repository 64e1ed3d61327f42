import * as fs from 'node:fs';
import type { Session } from './session';
import { hoverText, runCommand, waitForOutputLine } from './workbench';

export interface ActivationFigures {
  /** activate() itself, as Tracelet's own log says. */
  activateMs: number;
  /** VS Code's activation time (Developer: Show Running Extensions): loading the bundle and activate(). */
  vscodeMs: number;
  /** The hover of that figure: what activated it, and when. */
  detail: string;
  /** From VS Code starting the activation (extension host log) to activate() returning (Tracelet's log). */
  untilReturnMs: number;
  event: string;
}

/** Reads the activation figures a person would look up: Tracelet's log line and VS Code's Running Extensions view. */
export async function activationFigures(s: Session): Promise<ActivationFigures> {
  await runCommand(s.page, 'Tracelet: Open Logs');
  const own = await waitForOutputLine(s.page, 'activated in', /Tracelet \S+ \(core \S+\) activated in [\d.]+ ms/);
  const activateMs = Number(/activated in ([\d.]+) ms/.exec(own)![1]);

  await runCommand(s.page, 'Developer: Show Running Extensions');
  const timeCell = s.page.locator(`.part.editor .monaco-list-row[aria-label="${s.manifest.name}"]`).locator('.activation-time');
  await timeCell.waitFor({ state: 'visible' });
  const shown = (await timeCell.innerText()).trim();
  const vm = /^(?:Startup )?Activation: (\d+)ms$/.exec(shown);
  if (!vm) throw new Error(`unexpected activation cell: ${shown}`);
  const detail = (await hoverText(s.page, timeCell)).replace(/\s+/g, ' ');

  const begin = await s.waitForActivation();
  const ownLine = /^(\S+ \S+) \[info\] Tracelet \S+ \(core \S+\) activated in/m.exec(fs.readFileSync(s.traceletLog()!, 'utf8'))!;
  const untilReturnMs = Date.parse(ownLine[1]!.replace(' ', 'T')) - Date.parse(begin.time.replace(' ', 'T'));
  return { activateMs, vscodeMs: Number(vm[1]), detail, untilReturnMs, event: begin.event };
}
