// Playwright helpers that drive the VS Code workbench the way a person does: keyboard, clicks, hovers.
import type { FrameLocator, Locator, Page } from 'playwright-core';

const PALETTE = '.quick-input-widget';
const PALETTE_ROWS = `${PALETTE} .quick-input-list .monaco-list-row`;

/** Tries `step` up to 3 times: a webview that takes the focus as it loads or restarts closes the palette as it opens. */
async function withPaletteRetries<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** Opens the command palette (F1) with `query` typed after the `>` and waits for its rows. */
async function openPalette(page: Page, query: string): Promise<Locator> {
  const input = page.locator(`${PALETTE} .quick-input-box input`);
  await withPaletteRetries(async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(`>${query}`, { timeout: 10_000 });
  });
  return page.locator(PALETTE_ROWS);
}

/** The titles the command palette offers for `query`, as shown (e.g. "Tracelet: Reload Plugins"). */
export async function paletteCommands(page: Page, query: string): Promise<string[]> {
  const rows = await openPalette(page, query);
  await rows.first().waitFor({ state: 'visible' });
  // The palette renders only the rows in view: move down through it a row at a time (as the arrow key does),
  // keeping each row by its index, until the focused row is the last one.
  const seen = new Map<number, string>();
  const focused = page.locator(`${PALETTE_ROWS}.focused`);
  let last = -1;
  for (let step = 0; step < 500; step++) {
    const shown = await rows.evaluateAll((els) =>
      els.map((el) => ({ index: Number(el.getAttribute('data-index')), title: el.querySelector('.label-name')?.textContent ?? '' })),
    );
    for (const { index, title } of shown) seen.set(index, title.replace(/\s+/g, ' ').trim());
    const at = Number((await focused.first().getAttribute('data-index')) ?? -1);
    // The last row reached: the key stays there, or wraps round to the first.
    if (at <= last) break;
    last = at;
    await page.keyboard.press('ArrowDown');
    await nextFrame(page);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, title]) => title);
}

/** Waits for the frame after the next one: what a key or a scroll changed is drawn by then. */
async function nextFrame(page: Page): Promise<void> {
  // The tsconfig has no DOM lib: the page's requestAnimationFrame is typed by what the callback uses.
  await page.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    return new Promise<void>((resolve) => raf(() => raf(resolve)));
  });
}

/** Closes the command palette, e.g. after reading it. */
export async function closePalette(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator(PALETTE).waitFor({ state: 'hidden' });
}

/** Runs a command by its palette title ("Tracelet: Open Logs"): F1, type, pick the row with exactly that title. */
export async function runCommand(page: Page, title: string, options: { opensPicker?: boolean } = {}): Promise<void> {
  const exact = page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) });
  await withPaletteRetries(async () => {
    const rows = await openPalette(page, title);
    await rows.filter({ has: exact }).first().click({ timeout: 15_000 });
  });
  // A command that asks for a choice shows its own quick pick in the palette's place.
  if (!options.opensPicker) await page.locator(PALETTE).waitFor({ state: 'hidden' });
}

/**
 * Clicks a view container's icon in the activity bar (e.g. "Tracelet") and returns the view pane
 * named `viewName` in it, once shown. Works whether the container shows one view or several.
 */
export async function openActivityBarView(page: Page, containerTitle: string, viewName: string): Promise<Locator> {
  const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label="${viewName} Section"]`) });
  // A click on the icon of the container already shown would hide the side bar.
  if (!(await pane.locator('.pane-body').isVisible())) {
    await page.locator(`.part.activitybar a.action-label[aria-label="${containerTitle}"]`).click();
  }
  await pane.locator('.pane-body').waitFor({ state: 'visible' });
  return pane;
}

export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level items. */
  level: number;
}

/** The tree's own rows, not the copies its sticky scroll pins above them while it is scrolled. */
const LIST_ROW = '.monaco-list-rows > .monaco-list-row';

/** The rows the tree has rendered now (it renders only those in view), each with its index in the list. */
async function renderedRows(view: Locator): Promise<(TreeRow & { index: number })[]> {
  return view.locator(LIST_ROW).evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      level: Number(row.getAttribute('aria-level') ?? '0'),
      index: Number(row.getAttribute('data-index') ?? '0'),
    })),
  );
}

/**
 * Undoes a native scroll of the view's own elements. The tree scrolls virtually (its rows move, its elements
 * do not), but Playwright scrolls elements natively to bring what it hovers into view, which can leave the
 * list's first rows under the view's header, out of reach of the pointer, whatever the tree's own scrolling.
 */
async function unscroll(view: Locator): Promise<void> {
  await view.evaluate((root) => {
    for (const el of [root, ...root.querySelectorAll('*')]) if (el.scrollTop !== 0) el.scrollTop = 0;
  });
}

/**
 * Scrolls the tree's list by `dy` pixels and waits for the frame that renders the rows now in view. The wheel
 * event goes to the list itself, not to wherever the pointer is: a list taller than its view would otherwise
 * put the pointer over the next view, which would scroll instead.
 */
async function scrollList(view: Locator, dy: number): Promise<void> {
  await unscroll(view);
  await view
    .locator('.pane-body .monaco-list .monaco-scrollable-element')
    .first()
    .evaluate((el, deltaY) => {
      const Wheel = (globalThis as unknown as { WheelEvent: new (type: string, init: object) => unknown }).WheelEvent;
      (el as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(new Wheel('wheel', { deltaY, deltaMode: 0, bubbles: true, cancelable: true }));
    }, dy);
  await nextFrame(view.page());
}

/**
 * Every row of a tree view, top to bottom (collapsed children are not there). The tree renders only the
 * rows in view, so the list is scrolled from its top to its end to read them all, and left at the top.
 */
export async function treeRows(view: Locator): Promise<TreeRow[]> {
  const seen = new Map<number, TreeRow>();
  await scrollList(view, -100_000);
  for (let step = 0; step < 100; step++) {
    const before = seen.size;
    for (const { index, ...row } of await renderedRows(view)) seen.set(index, row);
    if (step > 0 && seen.size === before) break;
    await scrollList(view, 200);
  }
  await scrollList(view, -100_000);
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** The tree row whose label is exactly `label`. */
export function treeRow(view: Locator, label: string): Locator {
  return view.locator(LIST_ROW).filter({
    has: view.page().locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }),
  });
}

/**
 * Scrolls the list until `row` lies wholly inside it: a rendered row can sit partly above the list's top,
 * under the view's header, which then takes the pointer events meant for the row.
 */
async function revealRow(view: Locator, row: Locator): Promise<void> {
  for (let step = 0; step < 10; step++) {
    const [box, list] = await Promise.all([row.boundingBox(), view.locator('.monaco-list').first().boundingBox()]);
    if (!box || !list) return;
    if (box.y < list.y) await scrollList(view, box.y - list.y - box.height);
    else if (box.y + box.height > list.y + list.height) await scrollList(view, box.y + box.height - (list.y + list.height) + box.height);
    else return;
  }
}

/**
 * Waits until the tree shows a row labelled `label` whose description matches `description`, and returns it.
 * The tree renders only the rows in view, so while the row is not there the list is scrolled a step at a
 * time, down to its end and back to the top, until it appears or the time is up.
 */
export async function waitForTreeRow(view: Locator, label: string, description: RegExp = /.*/, timeout = 30_000): Promise<Locator> {
  const row = treeRow(view, label)
    .filter({ has: view.page().locator('.label-description', { hasText: description }) })
    .first();
  const deadline = Date.now() + timeout;
  let down = true;
  while (Date.now() < deadline) {
    try {
      await row.waitFor({ state: 'visible', timeout: 500 });
      await revealRow(view, row);
      return row;
    } catch {
      // not rendered (yet): scroll on
    }
    const before = (await renderedRows(view)).map((r) => r.index).join(',');
    await scrollList(view, down ? 150 : -100_000);
    const after = (await renderedRows(view)).map((r) => r.index).join(',');
    down = !down || after !== before;
  }
  await row.waitFor({ state: 'visible', timeout: 1 });
  return row;
}

/** Hovers an element and returns the text of the hover that appears (any earlier hover is dismissed first). */
export async function hoverText(page: Page, target: Locator): Promise<string> {
  await dismissHover(page);
  await target.hover();
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
  await hover.waitFor({ state: 'visible' });
  const text = await hover.innerText();
  return text;
}

/** Moves the mouse to the editor area and waits for hovers to close. */
export async function dismissHover(page: Page): Promise<void> {
  await page.mouse.move(900, 700);
  await page.keyboard.press('Escape');
  await page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first().waitFor({ state: 'detached', timeout: 5000 });
}

/** The Output panel's editor, showing whichever channel is selected. */
export function outputView(page: Page): Locator {
  return page.locator('.part.panel .output-view .monaco-editor .view-lines');
}

/**
 * Types into the Output panel's Filter box, so that only matching lines show: the editor renders
 * only the lines in view, and a long log would scroll the ones a test looks for out of it.
 */
export async function filterOutput(page: Page, text: string): Promise<void> {
  await page.locator('.part.panel .viewpane-filter input').filter({ visible: true }).first().fill(text);
}

/** The Output panel's visible lines matching `pattern` (written with plain spaces). */
export function outputLines(page: Page, pattern: RegExp): Locator {
  // The editor renders spaces as no-break spaces; `\s` matches both.
  const spaced = new RegExp(pattern.source.replace(/ /g, '\\s'), pattern.flags);
  return outputView(page).locator('.view-line').filter({ hasText: spaced });
}

/** Filters the Output panel on `filter`, waits until it shows a line matching `pattern` and returns that line. */
export async function waitForOutputLine(page: Page, filter: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  await filterOutput(page, filter);
  const line = outputLines(page, pattern).first();
  await line.waitFor({ state: 'visible', timeout });
  return lineText(line);
}

/** A rendered editor line's text, with plain spaces. */
export async function lineText(line: Locator): Promise<string> {
  return (await line.innerText()).replace(/\u00a0/g, ' ');
}

/** The channel the Output panel's channel picker shows. */
export async function selectedOutputChannel(page: Page): Promise<string> {
  const picker = page.locator('.part.panel select.monaco-select-box').filter({ visible: true }).first();
  // The tsconfig has no DOM lib: the element is typed by what the callback uses.
  return (await picker.evaluate((el) => (el as unknown as { selectedOptions: { textContent: string | null }[] }).selectedOptions[0]?.textContent ?? '')).trim();
}

/** Error notifications currently on screen (toasts), as text. */
export async function errorToasts(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-toast')
    .filter({ has: page.locator('.codicon-error') })
    .allInnerTexts();
}

/** The text of the status bar, all entries joined. */
export async function statusBarText(page: Page): Promise<string> {
  return (await page.locator('.part.statusbar').innerText()).replace(/\s+/g, ' ');
}

/** The active editor's cursor in the status bar: `Ln 3, Col 14`, and ` (13 selected)` after it when text is selected. */
export function editorCursor(page: Page): Locator {
  return page.locator('.part.statusbar [id="status.editor.selection"]');
}

/** The active editor tab's title. */
export function activeTab(page: Page): Locator {
  return page.locator('.part.editor .tabs-container .tab.active .label-name');
}

/** The document inside the active webview editor (a Markdown preview, for instance). */
export function activeWebview(page: Page): FrameLocator {
  return page.locator('.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
