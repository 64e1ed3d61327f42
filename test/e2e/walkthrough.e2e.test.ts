// The Get Started walkthrough: it is listed, its steps start unchecked, and each completes by itself when
// the user does what it asks (the demo run tracked, the system details opened, a plugin created).
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Session } from './harness/session';
import { runCommand } from './harness/workbench';

let s: Session;

before(async () => {
  s = await Session.open({ name: 'walkthrough' });
});

after(async () => {
  await s?.close();
});

/** The walkthrough's step buttons, by title, with whether each shows as done. */
async function steps(): Promise<Map<string, boolean>> {
  const rows = await s.page.locator('.getting-started-step').evaluateAll((els) =>
    els.map((el) => ({
      title: el.querySelector('.step-title')?.textContent?.trim() ?? '',
      // The step's check mark gets the class (and the step aria-checked) once it is done.
      done: el.querySelector('.complete') !== null,
    })),
  );
  return new Map(rows.map((r) => [r.title, r.done]));
}

async function waitForStep(title: string, done: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await steps()).get(title) === done) return;
    await s.page.waitForTimeout(250);
  }
  assert.fail(`step "${title}" is not ${done ? 'done' : 'open'}; steps: ${JSON.stringify([...(await steps())])}`);
}

async function openWalkthrough(): Promise<void> {
  await runCommand(s.page, 'Welcome: Open Walkthrough...', { opensPicker: true });
  const pick = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Get started with Tracelet' });
  await pick.first().click();
  await s.page.locator('.getting-started-step .step-title', { hasText: 'Track your first run' }).first().waitFor({ state: 'visible' });
}

test('the walkthrough lists its four steps, and each completes when the user has done it', { timeout: 240_000 }, () =>
  s.scenario('steps', async () => {
    await openWalkthrough();
    const before = await steps();
    assert.deepEqual([...before.keys()], ['Track your first run', 'Read the status bar', 'Connect MLflow', 'Write a plugin']);
    assert.ok(
      [...before.values()].every((done) => !done),
      `a step is done before anything happened: ${JSON.stringify([...before])}`,
    );
    await s.screenshot('walkthrough-start');

    // Its first step's own button: the demo training runs in a terminal, is tracked, and the step is checked.
    await s.page.locator('.getting-started-step', { hasText: 'Track your first run' }).first().click();
    await s.page.getByText('Run the demo training', { exact: true }).first().click();
    await waitForStep('Track your first run', true);

    // What the step asks: a click on the status bar item. Not the command palette, whose helper presses Escape
    // first, which the walkthrough (focused again after its button ran the demo) takes as going back to the
    // Welcome page (CI, once; every time on a faster machine).
    await s.page.locator('.part.statusbar .statusbar-item[aria-label^="System metrics:"]').click();
    await s.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Tracelet: System Details' }).waitFor({ state: 'visible' });
    await waitForStep('Read the status bar', true);
    assert.equal((await steps()).get('Write a plugin'), false);
    await s.screenshot('walkthrough-progress');
  }),
);
