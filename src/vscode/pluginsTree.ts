import * as vscode from 'vscode';
import type { ProcessorCostSummary } from '../core/pipeline/processors';
import type { PluginInfo } from '../core/registry';
import { HAS_PLUGIN_FIX, setContextKey } from './contextKeys';
import { buildPluginTree, type PluginTreeNode } from './pluginTreeModel';
import { toTreeItem } from './treeItem';

/** Shows the plugin model; rebuilt from the manager's list on every refresh. */
export class PluginsTreeProvider implements vscode.TreeDataProvider<PluginTreeNode> {
  private readonly changed = new vscode.EventEmitter<PluginTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: PluginTreeNode[] = [];

  constructor(
    private readonly list: () => PluginInfo[],
    private readonly enabled: (name: string) => boolean = () => true,
    private readonly costs: () => ReadonlyMap<string, ProcessorCostSummary> = () => new Map(),
  ) {}

  private build(): PluginTreeNode[] {
    const plugins = this.list();
    setContextKey(
      HAS_PLUGIN_FIX,
      plugins.some((p) => p.fix !== undefined),
    );
    return buildPluginTree(plugins, new Set(plugins.filter((p) => !this.enabled(p.name)).map((p) => p.name)), this.costs());
  }

  refresh(): void {
    this.roots = this.build();
    this.changed.fire(undefined);
  }

  getChildren(element?: PluginTreeNode): PluginTreeNode[] {
    if (!element) this.roots = this.build();
    return element ? (element.children ?? []) : this.roots;
  }

  getTreeItem(node: PluginTreeNode): vscode.TreeItem {
    return toTreeItem(node, node.children !== undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
