import * as fs from 'node:fs';
import type { Locator } from 'playwright-core';
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
  /** VS Code's activation time of `floor` (another extension's name), in the same window. */
  floorMs?: number;
}

/** VS Code's activation time of an extension, as its row in the open Running Extensions editor shows it. */
async function shownActivation(s: Session, name: string): Promise<{ ms: number; cell: Locator }> {
  const cell = s.page.locator(`.part.editor .monaco-list-row[aria-label="${name}"]`).locator('.activation-time');
  await cell.waitFor({ state: 'visible' });
  const shown = (await cell.innerText()).trim();
  const m = /^(?:Startup )?Activation: (\d+)ms$/.exec(shown);
  if (!m) throw new Error(`unexpected activation cell of ${name}: ${shown}`);
  return { ms: Number(m[1]), cell };
}

/**
 * Reads the activation figures a person would look up: Tracelet's log line and VS Code's Running Extensions
 * view, there also the row of `floor` when named.
 */
export async function activationFigures(s: Session, floor?: string): Promise<ActivationFigures> {
  await runCommand(s.page, 'Tracelet: Open Logs');
  const own = await waitForOutputLine(s.page, 'activated in', /Tracelet \S+ \(core \S+\) activated in [\d.]+ ms/);
  const activateMs = Number(/activated in ([\d.]+) ms/.exec(own)![1]);

  await runCommand(s.page, 'Developer: Show Running Extensions');
  const ours = await shownActivation(s, s.manifest.name);
  const detail = (await hoverText(s.page, ours.cell)).replace(/\s+/g, ' ');
  const floorMs = floor === undefined ? undefined : (await shownActivation(s, floor)).ms;

  const begin = await s.waitForActivation();
  const ownLine = /^(\S+ \S+) \[info\] Tracelet \S+ \(core \S+\) activated in/m.exec(fs.readFileSync(s.traceletLog()!, 'utf8'))!;
  const untilReturnMs = Date.parse(ownLine[1]!.replace(' ', 'T')) - Date.parse(begin.time.replace(' ', 'T'));
  return { activateMs, vscodeMs: ours.ms, detail, untilReturnMs, event: begin.event, ...(floorMs === undefined ? {} : { floorMs }) };
}
