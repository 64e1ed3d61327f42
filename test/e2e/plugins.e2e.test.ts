// The Plugins view: built-ins and a third-party package grouped by type, a broken package as an error item.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { findFiles } from './harness/artifacts';
import { EXAMPLE_PLUGIN_DIR, FIXTURE_PLUGINS_DIR } from './harness/paths';
import { Session } from './harness/session';
import { hoverText, openActivityBarView, treeRows, waitForTreeRow, type TreeRow } from './harness/workbench';

const GROUP_ORDER = ['Backends', 'Collectors', 'Frameworks', 'Processors', 'Failed to load'];

let s: Session;

before(async () => {
  s = await Session.open({ name: 'plugins', pluginPackages: [EXAMPLE_PLUGIN_DIR, path.join(FIXTURE_PLUGINS_DIR, 'bad-syntax')] });
});

after(async () => {
  await s?.close();
});

/** Top-level rows and the rows under each, from the flat list the tree renders. */
function groups(rows: TreeRow[]): Map<string, { description: string; children: TreeRow[] }> {
  const out = new Map<string, { description: string; children: TreeRow[] }>();
  let current: TreeRow[] | undefined;
  for (const row of rows) {
    if (row.level === 1) {
      current = [];
      out.set(row.label, { description: row.description, children: current });
    } else {
      assert.ok(current, `row ${row.label} before any group`);
      current.push(row);
    }
  }
  return out;
}

test('the Tracelet view lists plugins by type, with a third-party package and a broken one', { timeout: 90_000 }, () =>
  s.scenario('tree', async () => {
    const view = await openActivityBarView(s.page, 'Tracelet', 'Plugins');
    await waitForTreeRow(view, 'csv_backend', /active/);
    await waitForTreeRow(view, 'bad_syntax', /error/);
    const tree = groups(await treeRows(view));

    const labels = [...tree.keys()];
    assert.deepEqual(
      labels,
      GROUP_ORDER.filter((g) => labels.includes(g)),
      'groups in order',
    );
    for (const [label, group] of tree) {
      assert.ok(group.children.length > 0, `${label} has plugins`);
      assert.match(group.description, new RegExp(`^${group.children.length}\\b`), `${label} counts its plugins`);
    }
    const names = (g: string): string[] => tree.get(g)?.children.map((c) => c.label) ?? [];
    assert.ok(names('Backends').includes('local'), 'built-in backend "local"');
    assert.ok(names('Backends').includes('csv_backend'), 'third-party backend "csv_backend"');
    assert.ok(names('Collectors').includes('system'), 'built-in collector "system"');
    assert.deepEqual(names('Failed to load'), ['bad_syntax']);

    const byName = new Map([...tree.values()].flatMap((g) => g.children).map((c) => [c.label, c.description]));
    assert.equal(byName.get('csv_backend'), '0.1.0 · active');
    assert.match(byName.get('local') ?? '', /· active$/);
    assert.match(byName.get('system') ?? '', /· active$/);
    assert.match(byName.get('bad_syntax') ?? '', /^error: syntax error on line 3: Unexpected token/);

    // The third-party plugin really ran in the extension host: its start() wrote the CSV header.
    const storage = path.join(s.userDataDir, 'User', 'globalStorage', `${s.manifest.publisher}.${s.manifest.name}`, 'plugins', 'csv_backend');
    const csv = findFiles(storage, (f) => path.basename(f) === 'metrics.csv');
    assert.equal(csv.length, 1, `one metrics.csv under ${storage}`);
    assert.equal(fs.readFileSync(csv[0]!, 'utf8'), 'time,step,name,value\n');

    const okTip = await hoverText(s.page, await waitForTreeRow(view, 'csv_backend'));
    assert.match(okTip, /csv_backend 0\.1\.0 — active/);
    assert.match(okTip, /Writes metrics to a CSV file per run/);
    assert.match(okTip, /Type\s+backend/);
    assert.match(okTip, /Author\s+Tracelet examples/);
    await s.screenshot('tree-plugin-tooltip');

    const tip = await hoverText(s.page, await waitForTreeRow(view, 'bad_syntax'));
    assert.match(tip, /bad_syntax — error/);
    assert.match(tip, /bad-syntax[\\/]index\.js: syntax error on line 3: Unexpected token/);
    assert.match(tip, /Source\s+\S*bad-syntax/);
    await s.screenshot('tree-error-tooltip');

    // The plugins changed state while the view listed them: had the root been refreshed meanwhile, VS Code
    // would have forgotten the groups whose rows it was fetching, and logged it.
    assert.deepEqual(s.exthostLines(/No tree item with id/), []);
  }),
);
