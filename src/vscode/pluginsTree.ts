import * as vscode from 'vscode';
import type { ProcessorCostSummary } from '../core/pipeline/processors';
import type { PluginInfo } from '../core/registry';
import { HAS_PLUGIN_FIX, setContextKey } from './contextKeys';
import { buildPluginTree, updateGroups, type PluginTreeNode } from './pluginTreeModel';
import { toTreeItem } from './treeItem';

/**
 * Shows the plugin model, built from the manager's list. A change of the root makes VS Code forget every row
 * while the workbench may still be asking for the children of the groups it has just listed, which then fails
 * ("No tree item with id '1/group:…' found"); so the root is listed once the plugins are discovered, and
 * changes after that refresh only the groups that changed, unless the groups themselves change.
 */
export class PluginsTreeProvider implements vscode.TreeDataProvider<PluginTreeNode> {
  private readonly changed = new vscode.EventEmitter<PluginTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: PluginTreeNode[] = [];

  constructor(
    private readonly list: () => PluginInfo[],
    /** Settles when a reload has found its plugins: until then the list lacks those that will be back. */
    private readonly discovered: () => Promise<void>,
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
    void this.discovered().then(() => {
      const next = this.build();
      const changed = updateGroups(this.roots, next);
      if (!changed) {
        this.roots = next;
        this.changed.fire(undefined);
      } else if (changed.length > 0) this.changed.fire(changed);
    });
  }

  async getChildren(element?: PluginTreeNode): Promise<PluginTreeNode[]> {
    if (element) return element.children ?? [];
    await this.discovered();
    this.roots = this.build();
    return this.roots;
  }

  getTreeItem(node: PluginTreeNode): vscode.TreeItem {
    return toTreeItem(node, node.children !== undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
