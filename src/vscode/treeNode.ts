// Pure: the shape every tree model hands to its provider.
export interface IconSpec {
  id: string;
  color?: string;
}

/** One row of a Tracelet tree, as its pure model describes it. */
export interface TreeNodeView {
  id: string;
  label: string;
  description: string;
  /** Markdown, theme icons allowed. */
  tooltip: string;
  icon: IconSpec;
  contextValue: string;
}
