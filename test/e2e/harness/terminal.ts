// Driving the integrated terminal as a person does: open it, type a command, read what it shows.
import type { Page } from 'playwright-core';
import { runCommand } from './workbench';

/**
 * Opens a new terminal (Ctrl+Shift+`) and waits for its prompt to take input. A workbench that has just
 * started can drop the key (CI saw no terminal open within 30 s once), so the palette's command follows.
 */
export async function openTerminal(page: Page): Promise<void> {
  const terminal = page.locator('.part.panel .xterm').first();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+Backquote');
  const opened = await terminal.waitFor({ state: 'visible', timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  if (!opened) {
    await runCommand(page, 'Terminal: Create New Terminal');
    await terminal.waitFor({ state: 'visible' });
  }
  await page.locator('.part.panel .terminal-wrapper.active .xterm-helper-textarea').first().focus();
}

/**
 * Focuses the active terminal (Terminal: Focus Terminal), types a command line and presses Enter.
 * Keys typed while focus is still moving can be lost, so the line is checked on screen before
 * Enter, and cleared (Ctrl+U) and typed again if it did not arrive whole.
 */
export async function typeCommand(page: Page, line: string): Promise<void> {
  await runCommand(page, 'Terminal: Focus Terminal');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+U');
    await page.keyboard.type(line, { delay: 5 });
    if (await lineShown(page, line)) break;
    if (attempt === 3) throw new Error(`could not type "${line}" into the terminal; it shows:\n${await terminalText(page)}`);
  }
  await page.keyboard.press('Enter');
}

/** True once the terminal ends with `line` (compared without white space: a long prompt line wraps). */
async function lineShown(page: Page, line: string, timeout = 3000): Promise<boolean> {
  const want = line.replace(/\s+/g, '');
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await terminalText(page)).replace(/\s+/g, '').endsWith(want)) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

/** The active terminal's visible text (xterm's DOM renderer rows: the session must set terminal.integrated.gpuAcceleration to off). */
export async function terminalText(page: Page): Promise<string> {
  return (await page.locator('.part.panel .xterm-rows').filter({ visible: true }).first().innerText()).replace(/\u00a0/g, ' ');
}

/** Waits until the active terminal shows text matching `pattern`. */
export async function waitForTerminalText(page: Page, pattern: RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await terminalText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the terminal did not show ${pattern} within ${timeout} ms; it shows:\n${text}`);
    await page.waitForTimeout(200);
  }
}
