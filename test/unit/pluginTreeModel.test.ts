import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { PluginInfo } from '../../src/core/registry';
import { buildPluginTree, pluginTooltip, shortReason, updateGroups } from '../../src/vscode/pluginTreeModel';
import { renderStatusMarkdown } from '../../src/vscode/statusDocument';

function info(overrides: Partial<PluginInfo>): PluginInfo {
  return {
    name: 'x',
    type: 'backend',
    version: '1.0.0',
    description: '',
    metadata: undefined,
    state: 'active',
    error: undefined,
    errorKind: undefined,
    configErrors: [],
    source: 'builtin',
    packageDir: undefined,
    dependencies: undefined,
    ...overrides,
  };
}

describe('buildPluginTree', () => {
  const plugins = [
    info({ name: 'system', type: 'collector' }),
    info({ name: 'mlflow', type: 'backend', state: 'error', errorKind: 'config', error: 'plugin "mlflow": invalid configuration: /url is required' }),
    info({ name: 'local', type: 'backend' }),
    info({
      name: 'broken',
      type: undefined,
      version: undefined,
      state: 'error',
      errorKind: 'load',
      error: 'syntax error at index.js:3',
      source: 'package',
      packageDir: '/p/broken',
    }),
  ];
  const tree = buildPluginTree(plugins);

  it('groups by type in a fixed order, with unloadable packages last', () => {
    assert.deepEqual(
      tree.map((g) => g.label),
      ['Backends', 'Collectors', 'Failed to load'],
    );
    assert.deepEqual(
      tree[0]!.children!.map((c) => c.label),
      ['local', 'mlflow'],
    );
    assert.equal(tree[0]!.description, '2 · 1 failing');
  });

  it('shows state with an icon and the error in the description', () => {
    const [local, mlflow] = tree[0]!.children!;
    assert.deepEqual(local!.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.equal(local!.description, '1.0.0 · active');
    assert.deepEqual(mlflow!.icon, { id: 'error', color: 'errorForeground' });
    assert.equal(mlflow!.description, '1.0.0 · error: invalid configuration: /url is required');
  });

  it('marks config errors in the context value so the view can offer Configure', () => {
    assert.equal(tree[0]!.children![1]!.contextValue, 'plugin.error.configError');
    assert.equal(tree[2]!.children![0]!.contextValue, 'plugin.error.unloaded');
  });

  it('marks disabled plugins, which show "disabled" instead of their state unless they are in error', () => {
    const withMeta = info({
      name: 'gpu',
      type: 'collector',
      state: 'validated',
      metadata: {
        name: 'gpu',
        version: '1.0.0',
        description: '',
        author: '',
        pluginType: 'collector',
        entryPoint: '',
        dependencies: [],
        configSchema: {},
        capabilities: [],
        metricPrefix: 'gpu',
        enabledByDefault: true,
      },
    });
    const [group] = buildPluginTree([withMeta], new Set(['gpu']));
    const node = group!.children![0]!;
    assert.equal(node.contextValue, 'plugin.validated.disabled');
    assert.equal(node.description, '1.0.0 · disabled');
    assert.deepEqual(node.icon, { id: 'circle-slash' });
    assert.match(node.tooltip, /Disabled in settings/);
    const [enabled] = buildPluginTree([withMeta]);
    assert.equal(enabled!.children![0]!.contextValue, 'plugin.validated');
  });

  it('matches the menus of package.json: configure loaded plugins, enable disabled ones, restart enabled ones', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const items = manifest.contributes.menus['view/item/context'] as { command: string; when: string; group: string }[];
    const regexOf = (command: string): RegExp => {
      const when = items.find((i) => i.command === command && !i.group.startsWith('inline'))!.when;
      const m = /viewItem =~ \/(.*)\/$/.exec(when)!;
      return new RegExp(m[1]!);
    };
    const cases: [string, Record<string, boolean>][] = [
      ['plugin.active', { 'tracelet.configurePlugin': true, 'tracelet.enablePlugin': false, 'tracelet.disablePlugin': true, 'tracelet.restartPlugin': true }],
      [
        'plugin.error.configError',
        { 'tracelet.configurePlugin': true, 'tracelet.enablePlugin': false, 'tracelet.disablePlugin': true, 'tracelet.restartPlugin': true },
      ],
      [
        'plugin.validated.disabled',
        { 'tracelet.configurePlugin': true, 'tracelet.enablePlugin': true, 'tracelet.disablePlugin': false, 'tracelet.restartPlugin': false },
      ],
      [
        'plugin.error.configError.disabled',
        { 'tracelet.configurePlugin': true, 'tracelet.enablePlugin': true, 'tracelet.disablePlugin': false, 'tracelet.restartPlugin': false },
      ],
      [
        'plugin.error.unloaded',
        { 'tracelet.configurePlugin': false, 'tracelet.enablePlugin': false, 'tracelet.disablePlugin': false, 'tracelet.restartPlugin': false },
      ],
    ];
    for (const [contextValue, expected] of cases) {
      for (const [command, shown] of Object.entries(expected)) assert.equal(regexOf(command).test(contextValue), shown, `${command} on ${contextValue}`);
    }
    for (const command of ['tracelet.showPluginStatus', 'tracelet.showPluginLog']) assert.ok(regexOf(command).test('plugin.error.unloaded'), command);
  });

  it('puts the reason and the source in the tooltip, escaped for Markdown', () => {
    const tooltip = tree[2]!.children![0]!.tooltip;
    assert.match(tooltip, /syntax error at index\.js:3/);
    assert.match(tooltip, /\| Source \| \/p\/broken \|/);
  });

  it('lists metadata and dependencies in the tooltip', () => {
    const tooltip = pluginTooltip(
      info({
        name: 'c',
        metadata: {
          name: 'c',
          version: '1.0.0',
          description: 'd',
          author: 'Ann',
          pluginType: 'collector',
          entryPoint: '',
          dependencies: ['a>=1'],
          configSchema: {},
          engines: { tracelet: '^0.1.0' },
          capabilities: [],
          metricPrefix: 'c',
          enabledByDefault: true,
        },
      }),
    );
    assert.match(tooltip, /\| Author \| Ann \|/);
    assert.match(tooltip, /\| Dependencies \| a>=1 \|/);
    assert.match(tooltip, /\| Tracelet \| \^0\.1\.0 \|/);
  });
});

describe('updateGroups', () => {
  const starting = [info({ name: 'local', state: 'validated' }), info({ name: 'system', type: 'collector', state: 'validated' })];

  it('updates the shown groups in place and returns those that changed, so that VS Code keeps the rows it knows', () => {
    const shown = buildPluginTree(starting);
    const [backends, collectors] = shown;
    const changed = updateGroups(shown, buildPluginTree([starting[0]!, info({ name: 'system', type: 'collector', state: 'error', error: 'boom' })]));
    assert.deepEqual(changed, [collectors]);
    assert.equal(shown[1], collectors, 'the same group object');
    assert.equal(collectors!.description, '1 · 1 failing');
    assert.equal(collectors!.children![0]!.description, '1.0.0 · error: boom');
    assert.equal(shown[0], backends);
    assert.deepEqual(updateGroups(shown, buildPluginTree([starting[0]!, info({ name: 'system', type: 'collector', state: 'error', error: 'boom' })])), []);
  });

  it('gives up when a group comes, goes or moves: the root changes', () => {
    const shown = buildPluginTree(starting);
    assert.equal(updateGroups(shown, buildPluginTree([...starting, info({ name: 'bad', type: undefined, state: 'error' })])), undefined);
    assert.equal(updateGroups(shown, buildPluginTree(starting.slice(0, 1))), undefined);
    assert.equal(updateGroups([], buildPluginTree(starting)), undefined);
    assert.equal(shown[0]!.children!.length, 1, 'left as it was');
  });
});

describe('renderStatusMarkdown', () => {
  it('renders counts, a table and each plugin’s own status', () => {
    const md = renderStatusMarkdown({
      counts: { discovered: 0, loaded: 0, validated: 0, initialized: 0, active: 1, stopped: 0, error: 1 },
      plugins: {
        local: { type: 'backend', version: '0.1.0', state: 'active', error: undefined, status: { points: 3 } },
        bad: { type: undefined, version: undefined, state: 'error', error: 'a | b', status: undefined },
      },
    });
    assert.match(md, /2 plugins: 1 active, 1 error\./);
    assert.match(md, /\| bad \| — \| — \| error \| a \\\| b \|/);
    assert.match(md, /## local\n\n```json\n\{\n {2}"points": 3\n\}\n```/);
  });
});

describe('shortReason', () => {
  it('leaves the reason and the phase, not the name, package or file', () => {
    assert.equal(
      shortReason('plugin "bad" (package p): failed to load /a/b/index.js: syntax error on line 3: Unexpected token'),
      'syntax error on line 3: Unexpected token',
    );
    assert.equal(shortReason('plugin "x" failed in start: did not finish within 300 ms'), 'start: did not finish within 300 ms');
    assert.equal(shortReason('plugin "m" (/p/m): backend plugin is missing method logArtifact()'), 'backend plugin is missing method logArtifact()');
    assert.equal(shortReason('no plugin named "y"'), 'no plugin named "y"');
  });
});
