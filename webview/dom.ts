// Tiny DOM helpers. Text always goes in as text nodes (schema descriptions come from plugins), never as HTML,
// and no element gets a style attribute (the CSP allows none).

export type Attrs = Record<string, string | number | boolean | undefined>;
export type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, children: Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Stable, selector-safe element ids for JSON Pointers within one rendering. */
export class Ids {
  private readonly byPointer = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  for(pointer: string): string {
    let id = this.byPointer.get(pointer);
    if (!id) {
      id = `${this.prefix}${this.byPointer.size + 1}`;
      this.byPointer.set(pointer, id);
    }
    return id;
  }
}
