import * as vscode from 'vscode';
import type { TreeNodeView } from './treeNode';

/** The VS Code tree item for a node of a pure tree model. */
export function toTreeItem(node: TreeNodeView, collapsible: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, collapsible ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = new vscode.MarkdownString(node.tooltip, true);
  item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  item.contextValue = node.contextValue;
  return item;
}
