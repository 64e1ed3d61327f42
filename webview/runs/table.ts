// The Runs table: a row per run, sortable columns, the filter box, the column chooser, "only columns that differ",
// and rows selected to compare. Only the rows in view are in the DOM (10,000 runs scroll as smoothly as 10).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { HostMessage, TableRow } from '../../src/webviewProtocol/runViewProtocol';
import { post, saveState } from '../charts/api';
import { el } from '../dom';
import { FilterError } from './filter';
import { allColumns, cellText, differingColumns, viewRows, visibleWindow, type Column } from './tableModel';

export const ROW_HEIGHT = 26;

export interface TableState {
  filter: string;
  sort: { key: string; descending: boolean } | undefined;
  /** Columns switched off in the chooser. */
  hiddenColumns: string[];
  onlyDiffering: boolean;
}

export const DEFAULT_TABLE_STATE: TableState = { filter: '', sort: { key: 'start', descending: true }, hiddenColumns: [], onlyDiffering: false };

function checkState(s: TableState): TableState {
  const sort = s.sort && typeof s.sort.key === 'string' ? { key: s.sort.key.slice(0, 2000), descending: s.sort.descending === true } : undefined;
  return {
    filter: typeof s.filter === 'string' ? s.filter.slice(0, 2000) : '',
    sort,
    hiddenColumns: Array.isArray(s.hiddenColumns) ? s.hiddenColumns.filter((c) => typeof c === 'string').slice(0, 10_000) : [],
    onlyDiffering: s.onlyDiffering === true,
  };
}

function widthOf(column: Column): number {
  if (column.key === 'name') return 220;
  if (column.key === 'command') return 280;
  if (column.key === 'start') return 200;
  if (column.key === 'status') return 90;
  if (column.key === 'git') return 150;
  return column.group === 'metric' ? 120 : 100;
}

export class RunsTable {
  private rows: TableRow[] = [];
  private shown: TableRow[] = [];
  private columns: Column[] = [];
  private visible: Column[] = [];
  private readonly selected = new Set<string>();
  private readonly scroller = el('div', { class: 'table-scroller', tabindex: 0, 'aria-label': 'Runs' });
  private readonly table = el('table', { class: 'runs-table', role: 'grid' });
  private readonly colgroup = el('colgroup');
  private readonly thead = el('thead');
  private readonly tbody = el('tbody');
  private readonly count = el('span', { class: 'count', 'aria-live': 'polite' });
  private readonly filterError = el('div', { class: 'filter-error', role: 'alert' });
  private readonly compareButton = el('vscode-button', { id: 'compare-selected', disabled: true }, ['Compare selected']);
  private readonly chooser = el('div', { class: 'column-chooser', hidden: true });
  private frame = 0;

  constructor(
    root: HTMLElement,
    private state: TableState,
  ) {
    this.state = checkState(state);
    const filter = el('vscode-textfield', {
      id: 'filter',
      value: this.state.filter,
      placeholder: 'Filter: lr < 0.01 and status = finished, command ~ resnet',
      'aria-label': 'Filter runs',
    });
    let pending: number | undefined;
    filter.addEventListener('input', () => {
      clearTimeout(pending);
      pending = window.setTimeout(() => {
        this.state.filter = (filter as unknown as { value: string }).value;
        this.refresh();
      }, 120);
    });
    const chooseButton = el('vscode-button', { secondary: true, id: 'choose-columns', 'aria-expanded': 'false' }, ['Columns…']);
    chooseButton.addEventListener('click', () => {
      this.chooser.hidden = !this.chooser.hidden;
      chooseButton.setAttribute('aria-expanded', String(!this.chooser.hidden));
      if (!this.chooser.hidden) this.renderChooser();
    });
    const differ = el('vscode-checkbox', { id: 'only-differing', checked: this.state.onlyDiffering, label: 'Only columns that differ' });
    differ.addEventListener('change', () => {
      this.state.onlyDiffering = (differ as unknown as { checked: boolean }).checked;
      this.refresh();
    });
    this.compareButton.addEventListener('click', () => {
      if (this.selected.size > 0) post({ type: 'compare', runIds: [...this.selected] });
    });
    this.table.append(this.colgroup, this.thead, this.tbody);
    this.scroller.append(this.table);
    this.scroller.addEventListener('scroll', () => this.schedule());
    window.addEventListener('resize', () => this.schedule());
    root.replaceChildren(
      el('header', { class: 'table-header' }, [el('h1', {}, ['Runs']), this.count]),
      el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table options' }, [filter, chooseButton, differ, this.compareButton]),
      this.filterError,
      this.chooser,
      this.scroller,
    );
    root.removeAttribute('aria-busy');
  }

  handle(message: HostMessage): void {
    if (message.type !== 'table') return;
    this.rows = message.rows;
    const ids = new Set(this.rows.map((r) => r.id));
    for (const id of this.selected) if (!ids.has(id)) this.selected.delete(id);
    this.columns = allColumns(this.rows);
    this.refresh();
  }

  /** Filter, sort and columns again, then draw the rows in view. */
  private refresh(): void {
    saveState(this.state);
    try {
      this.shown = viewRows(this.rows, this.state.filter, this.state.sort, this.columns);
      this.filterError.textContent = '';
      this.filterError.hidden = true;
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      this.shown = viewRows(this.rows, '', this.state.sort, this.columns);
      this.filterError.textContent = `The filter does not read: ${err.message}. Showing every run.`;
      this.filterError.hidden = false;
    }
    const hidden = new Set(this.state.hiddenColumns);
    const chosen = this.columns.filter((c) => !hidden.has(c.key));
    this.visible = this.state.onlyDiffering ? differingColumns(chosen, this.shown) : chosen;
    this.count.textContent = `${this.shown.length.toLocaleString()} of ${this.rows.length.toLocaleString()} runs`;
    this.table.dataset.rows = String(this.shown.length);
    this.renderHead();
    this.draw();
  }

  private renderHead(): void {
    const cols = [el('col', { class: 'select-col' }), ...this.visible.map(() => el('col'))];
    this.visible.forEach((c, i) => {
      cols[i + 1]!.style.width = `${widthOf(c)}px`;
    });
    this.colgroup.replaceChildren(...cols);
    this.table.style.width = `${36 + this.visible.reduce((w, c) => w + widthOf(c), 0)}px`;
    const sort = this.state.sort;
    const header = el('tr', {}, [
      el('th', { class: 'select-col', scope: 'col' }, [el('span', { class: 'visually-hidden' }, ['Selected'])]),
      ...this.visible.map((c) => {
        const sorted = sort?.key === c.key;
        const button = el('button', { class: `sort ${c.group}`, title: `Sort by ${c.label}`, 'data-column': c.key }, [
          c.label,
          sorted ? (sort!.descending ? ' ▼' : ' ▲') : '',
        ]);
        button.addEventListener('click', () => {
          this.state.sort = { key: c.key, descending: sorted ? !sort!.descending : c.numeric && c.key !== 'start' ? false : c.key === 'start' };
          this.refresh();
        });
        return el(
          'th',
          { scope: 'col', class: c.key === 'name' ? 'name-col' : undefined, 'aria-sort': sorted ? (sort!.descending ? 'descending' : 'ascending') : 'none' },
          [button],
        );
      }),
    ]);
    this.thead.replaceChildren(header);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws the rows in view between two spacer rows that stand for the others. */
  private draw(): void {
    const { first, last } = visibleWindow(this.scroller.scrollTop, this.scroller.clientHeight || 600, ROW_HEIGHT, this.shown.length);
    const top = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
    top.style.height = `${first * ROW_HEIGHT}px`;
    const bottom = el('tr', { class: 'spacer', 'aria-hidden': 'true' });
    bottom.style.height = `${(this.shown.length - last) * ROW_HEIGHT}px`;
    const rows: HTMLElement[] = [top];
    for (let i = first; i < last; i++) rows.push(this.rowView(this.shown[i]!, i));
    rows.push(bottom);
    if (this.shown.length === 0)
      rows.splice(
        1,
        0,
        el('tr', {}, [
          el('td', { colspan: this.visible.length + 1, class: 'empty' }, [this.rows.length === 0 ? 'No runs yet.' : 'No run matches the filter.']),
        ]),
      );
    this.tbody.replaceChildren(...rows);
  }

  private rowView(row: TableRow, index: number): HTMLElement {
    const selected = this.selected.has(row.id);
    const box = el('input', { type: 'checkbox', 'aria-label': `Select ${row.name}`, checked: selected });
    box.addEventListener('change', () => this.toggle(row.id, box.checked));
    const cells = this.visible.map((c) => {
      if (c.key === 'name') {
        const open = el('button', { class: 'run-link', title: `Open ${row.name}` }, [row.name]);
        open.addEventListener('click', () => post({ type: 'openRun', runId: row.id }));
        return el('td', { class: 'name' }, [open]);
      }
      const text = cellText(c, row);
      return el(
        'td',
        { class: c.numeric ? 'num' : c.key === 'status' ? `status status-${/^[a-z]+$/.test(row.status) ? row.status : 'other'}` : undefined, title: text },
        [text],
      );
    });
    const tr = el('tr', { class: selected ? 'selected' : undefined, 'aria-rowindex': index + 2, 'aria-selected': String(selected), 'data-run': row.id }, [
      el('td', { class: 'select-col' }, [box]),
      ...cells,
    ]);
    return tr;
  }

  private toggle(id: string, on: boolean): void {
    if (on) this.selected.add(id);
    else this.selected.delete(id);
    const n = this.selected.size;
    this.compareButton.textContent = n > 0 ? `Compare selected (${n})` : 'Compare selected';
    if (n > 0) this.compareButton.removeAttribute('disabled');
    else this.compareButton.setAttribute('disabled', '');
    this.draw();
  }

  private renderChooser(): void {
    const hidden = new Set(this.state.hiddenColumns);
    const search = el('vscode-textfield', { placeholder: 'Find a column', 'aria-label': 'Find a column', id: 'column-search' });
    const list = el('div', { class: 'chooser-list' });
    const fill = (needle: string): void => {
      const n = needle.toLowerCase();
      const shown = this.columns.filter((c) => !n || c.label.toLowerCase().includes(n)).slice(0, 500);
      list.replaceChildren(
        ...shown.map((c) => {
          const box = el('vscode-checkbox', { checked: !hidden.has(c.key), 'data-column': c.key, label: c.label });
          box.addEventListener('change', () => {
            if ((box as unknown as { checked: boolean }).checked) hidden.delete(c.key);
            else hidden.add(c.key);
            this.state.hiddenColumns = [...hidden];
            this.refresh();
          });
          return box;
        }),
      );
    };
    search.addEventListener('input', () => fill((search as unknown as { value: string }).value));
    fill('');
    this.chooser.replaceChildren(search, list);
  }
}
