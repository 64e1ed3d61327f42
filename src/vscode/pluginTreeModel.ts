// Pure: builds what the Plugins tree shows from the manager's plugin list, so tests need no VS Code.
import { perPoint, type ProcessorCostSummary } from '../core/pipeline/processors';
import type { PluginInfo } from '../core/registry';
import type { PluginState, PluginType } from '../core/types';
import type { IconSpec, TreeNodeView } from './treeNode';

export interface PluginTreeNode extends TreeNodeView {
  pluginName?: string;
  children?: PluginTreeNode[];
}

const GROUPS: { type: PluginType; label: string; icon: string }[] = [
  { type: 'backend', label: 'Backends', icon: 'database' },
  { type: 'collector', label: 'Collectors', icon: 'pulse' },
  { type: 'framework', label: 'Frameworks', icon: 'symbol-event' },
  { type: 'processor', label: 'Processors', icon: 'filter' },
];

const STATE_ICONS: Record<PluginState, IconSpec> = {
  discovered: { id: 'circle-large-outline' },
  loaded: { id: 'circle-large-outline' },
  validated: { id: 'circle-outline' },
  initialized: { id: 'circle-filled' },
  active: { id: 'pass-filled', color: 'testing.iconPassed' },
  stopped: { id: 'debug-stop' },
  error: { id: 'error', color: 'errorForeground' },
};

/** Escapes what would change meaning inside a table cell of a MarkdownString with theme icons on. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<|$]/g, (c) => `\\${c}`);
}

export function pluginTooltip(p: PluginInfo, disabled = false, cost?: ProcessorCostSummary): string {
  const lines = [`**${escapeMarkdown(p.name)}**${p.version ? ` ${escapeMarkdown(p.version)}` : ''} — ${disabled ? 'disabled' : p.state}`];
  if (p.description) lines.push('', escapeMarkdown(p.description));
  if (p.error) lines.push('', `$(error) ${escapeMarkdown(p.error)}`);
  if (p.errorKind === 'config') lines.push('', 'Fix it with **Configure Plugin** (the gear).');
  if (disabled) lines.push('', `Disabled in settings (\`tracelet.plugins.${escapeMarkdown(p.name)}.enabled\`); **Enable Plugin** starts it.`);
  const m = p.metadata;
  const rows: [string, string][] = [];
  if (m) {
    rows.push(['Type', m.pluginType]);
    if (m.author) rows.push(['Author', m.author]);
    if (m.dependencies.length > 0) rows.push(['Dependencies', m.dependencies.join(', ')]);
    if (m.engines?.tracelet) rows.push(['Tracelet', m.engines.tracelet]);
    if (m.capabilities.length > 0) rows.push(['Capabilities', m.capabilities.join(', ')]);
  }
  if (cost) {
    rows.push(['Cost', `${perPoint(cost)} over ${cost.points} points in ${cost.runs} run${cost.runs === 1 ? '' : 's'}`]);
    if (cost.lastOff) rows.push(['Switched off', cost.lastOff]);
  }
  rows.push(['Source', p.source === 'package' ? (p.packageDir ?? 'package') : p.source]);
  lines.push('', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdown(v)} |`));
  return lines.join('\n');
}

/**
 * `plugin.<state>`, then `.configError` for a config error (the view offers Configure),
 * `.disabled` when settings disable it, `.unloaded` when it did not load (no type: nothing to configure or start).
 */
export function pluginContextValue(p: PluginInfo, disabled: boolean): string {
  const marks = [p.errorKind === 'config' ? '.configError' : '', disabled ? '.disabled' : '', p.type === undefined ? '.unloaded' : '', p.fix ? '.fixable' : ''];
  return `plugin.${p.state}${marks.join('')}`;
}

/**
 * The reason alone, for the one-line description: the plugin's name (it is the label),
 * its package and the file that failed to load are in the tooltip.
 */
export function shortReason(error: string): string {
  return error
    .replace(/^plugin "[^"]*"(?: \([^)]*\))?(?: failed in (\w+))?: /, (_m, phase: string | undefined) => (phase ? `${phase}: ` : ''))
    .replace(/^failed to load \S+: /, '');
}

function pluginNode(p: PluginInfo, disabled: boolean, cost: ProcessorCostSummary | undefined): PluginTreeNode {
  const shown = p.state === 'error' ? `error: ${shortReason(p.error ?? '')}` : disabled ? 'disabled' : p.state;
  const description = [p.version, shown, cost && perPoint(cost)].filter(Boolean).join(' · ');
  return {
    id: `plugin:${p.name}`,
    label: p.name,
    description,
    tooltip: pluginTooltip(p, disabled, cost),
    icon: disabled && p.state !== 'error' ? { id: 'circle-slash' } : STATE_ICONS[p.state],
    contextValue: pluginContextValue(p, disabled),
    pluginName: p.name,
  };
}

/**
 * One group per plugin type that has plugins, plus "Failed to load" for plugins whose type is unknown.
 * `costs` are processors' measured costs, shown beside them.
 */
export function buildPluginTree(
  plugins: readonly PluginInfo[],
  disabled: ReadonlySet<string> = new Set(),
  costs: ReadonlyMap<string, ProcessorCostSummary> = new Map(),
): PluginTreeNode[] {
  const sorted = [...plugins].sort((a, b) => a.name.localeCompare(b.name));
  const groups: PluginTreeNode[] = [];
  for (const g of GROUPS) {
    const members = sorted.filter((p) => p.type === g.type);
    if (members.length === 0) continue;
    const failing = members.filter((p) => p.state === 'error').length;
    groups.push({
      id: `group:${g.type}`,
      label: g.label,
      description: `${members.length}${failing > 0 ? ` · ${failing} failing` : ''}`,
      tooltip: `${members.length} ${g.type} plugin${members.length === 1 ? '' : 's'}`,
      icon: { id: g.icon },
      contextValue: 'group',
      children: members.map((p) => pluginNode(p, disabled.has(p.name), costs.get(p.name))),
    });
  }
  const unloaded = sorted.filter((p) => p.type === undefined);
  if (unloaded.length > 0) {
    groups.push({
      id: 'group:unloaded',
      label: 'Failed to load',
      description: String(unloaded.length),
      tooltip: 'Plugin packages that could not be loaded; hover each for the reason.',
      icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
      contextValue: 'group',
      children: unloaded.map((p) => pluginNode(p, disabled.has(p.name), undefined)),
    });
  }
  return groups;
}

/**
 * Brings the shown groups up to date with `next` in place, each keeping its object (VS Code knows the rows by
 * them), and returns those that changed; undefined when the groups themselves differ and the whole tree is new.
 */
export function updateGroups(shown: readonly PluginTreeNode[], next: readonly PluginTreeNode[]): PluginTreeNode[] | undefined {
  if (shown.length !== next.length || shown.some((group, i) => group.id !== next[i]!.id)) return undefined;
  const changed: PluginTreeNode[] = [];
  shown.forEach((group, i) => {
    if (JSON.stringify(group) === JSON.stringify(next[i])) return;
    Object.assign(group, next[i]);
    changed.push(group);
  });
  return changed;
}
