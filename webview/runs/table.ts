// The Runs table: a row per run, sortable columns, the filter box, the column chooser, "only columns that differ",
// and rows selected to compare. The host filters and sorts (the core's language, over its cached run summaries) and
// answers with the rows' order; only the rows in view are in the DOM (10,000 runs scroll as smoothly as 10).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { FilterProblem, HostMessage, TableColumn, TableRunRow } from '../../src/webviewProtocol/runViewProtocol';
import { post, saveState } from '../charts/api';
import { mark, TABLE_QUERY_MARK, TABLE_VIEW_MARK } from '../charts/marks';
import { el } from '../dom';
import { cellText, DEFAULT_HIDDEN_COLUMNS, headerText, isNumeric, nextSort, shownColumns, visibleWindow } from './rows';

export const ROW_HEIGHT = 26;

export interface TableState {
  filter: string;
  /** A column's key (its filter name) and direction; newest first when absent. */
  sort: { column: string; direction: 'asc' | 'desc' } | undefined;
  /** Columns switched off in the chooser. */
  hiddenColumns: string[];
  onlyDiffering: boolean;
}

export const DEFAULT_TABLE_STATE: TableState = {
  filter: '',
  sort: { column: 'start', direction: 'desc' },
  hiddenColumns: DEFAULT_HIDDEN_COLUMNS,
  onlyDiffering: false,
};

/** The state as saved may be from an older page (or edited): every field checked. */
function checkState(s: TableState): TableState {
  const sort =
    s.sort && typeof s.sort.column === 'string' && (s.sort.direction === 'asc' || s.sort.direction === 'desc')
      ? { column: s.sort.column.slice(0, 2000), direction: s.sort.direction }
      : DEFAULT_TABLE_STATE.sort;
  return {
    filter: typeof s.filter === 'string' ? s.filter.slice(0, 2000) : '',
    sort,
    hiddenColumns: Array.isArray(s.hiddenColumns) ? s.hiddenColumns.filter((c) => typeof c === 'string').slice(0, 10_000) : DEFAULT_HIDDEN_COLUMNS,
    onlyDiffering: s.onlyDiffering === true,
  };
}

function widthOf(column: TableColumn): number {
  if (column.kind !== 'field') return column.kind === 'metric' ? 130 : 100;
  return { name: 220, command: 280, start: 190, end: 190, status: 90, branch: 120, commit: 90, dirty: 60, id: 160 }[column.name] ?? 100;
}

export class RunsTable {
  private rows: TableRunRow[] = [];
  private generation = -1;
  private columns: TableColumn[] = [];
  private shown: TableRunRow[] = [];
  private differing: Set<string> | null = null;
  private visible: TableColumn[] = [];
  private readonly selected = new Set<string>();
  private requestId = 0;
  private readonly scroller = el('div', { class: 'table-scroller', tabindex: 0, 'aria-label': 'Runs' });
  private readonly table = el('table', { class: 'runs-table', role: 'grid' });
  private readonly colgroup = el('colgroup');
  private readonly thead = el('thead');
  private readonly tbody = el('tbody');
  private readonly count = el('span', { class: 'count', 'aria-live': 'polite' });
  private readonly filterError = el('div', { class: 'filter-error', role: 'alert', hidden: true });
  private readonly filterField: HTMLElement;
  private readonly compareButton = el('vscode-button', { id: 'compare-selected', disabled: true }, ['Compare selected']);
  private readonly chooser = el('div', { class: 'column-chooser', hidden: true });
  private frame = 0;

  constructor(
    root: HTMLElement,
    private state: TableState,
  ) {
    this.state = checkState(state);
    this.filterField = el('vscode-textfield', {
      id: 'filter',
      value: this.state.filter,
      placeholder: 'Filter: lr < 0.01 and status = finished, command ~ resnet',
      'aria-label': 'Filter runs',
    });
    let pending: number | undefined;
    this.filterField.addEventListener('input', () => {
      clearTimeout(pending);
      pending = window.setTimeout(() => {
        this.state.filter = (this.filterField as unknown as { value: string }).value;
        this.query();
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
      this.query();
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
      el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table options' }, [this.filterField, chooseButton, differ, this.compareButton]),
      this.filterError,
      this.chooser,
      this.scroller,
    );
    root.removeAttribute('aria-busy');
    this.query();
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'tableRows': {
        if (message.first === 0) {
          // A new set of rows, in chunks: what is shown stays until the view of this set comes.
          this.rows = new Array<TableRunRow>(message.total);
          this.generation = message.generation;
          const before = this.columns.map((c) => c.key).join('\n');
          this.columns = message.columns ?? [];
          if (!this.chooser.hidden && before !== this.columns.map((c) => c.key).join('\n')) this.renderChooser();
        } else if (message.generation !== this.generation) return;
        message.rows.forEach((row, i) => {
          this.rows[message.first + i] = row;
        });
        if (message.first + message.rows.length >= message.total) {
          const ids = new Set(this.rows.map((r) => r.id));
          for (const id of this.selected) if (!ids.has(id)) this.selected.delete(id);
        }
        return;
      }
      case 'tableRowsChanged':
        if (message.generation !== this.generation + 1) return;
        this.generation = message.generation;
        for (const [i, row] of message.changed) if (i < this.rows.length) this.rows[i] = row;
        return;
      case 'tableView':
        // Only the answer to the latest query, about the rows the page has.
        if (message.requestId !== this.requestId || message.generation !== this.generation) return;
        this.shown = message.order.map((i) => this.rows[i]).filter((r): r is TableRunRow => r !== undefined);
        this.differing = message.differing ? new Set(message.differing) : null;
        this.showError(message.error);
        this.render();
        mark(TABLE_VIEW_MARK, { requestId: message.requestId, rows: this.shown.length });
        return;
      default:
        return;
    }
  }

  /** Asks the host for the rows of the current filter and sort. */
  private query(): void {
    saveState(this.state);
    this.requestId++;
    mark(TABLE_QUERY_MARK, { requestId: this.requestId });
    post({
      type: 'tableQuery',
      requestId: this.requestId,
      filter: this.state.filter,
      onlyDiffering: this.state.onlyDiffering,
      ...(this.state.sort ? { sort: this.state.sort } : {}),
    });
  }

  /** A filter that does not read: the text with the place marked, and what was expected there. */
  private showError(error: FilterProblem | null): void {
    this.filterField.toggleAttribute('invalid', error !== null);
    if (!error) {
      this.filterError.replaceChildren();
      this.filterError.hidden = true;
      return;
    }
    const text = this.state.filter;
    const at = Math.min(error.position, text.length);
    const where = el('code', { class: 'filter-at' }, [text.slice(0, at), el('mark', {}, [text.slice(at, at + 1) || ' ']), text.slice(at + 1)]);
    where.style.whiteSpace = 'pre';
    this.filterError.replaceChildren(
      el('div', {}, [`The filter does not read at ${at + 1}: ${error.expected}. The rows are those of the last filter that did.`]),
      where,
    );
    this.filterError.hidden = false;
  }

  /** Columns and rows again, after an answer from the host. */
  private render(): void {
    this.visible = shownColumns(this.columns, new Set(this.state.hiddenColumns), this.differing);
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
        const sorted = sort?.column === c.key;
        const label = headerText(c);
        const button = el('button', { class: `sort ${c.kind}`, title: `Sort by ${label} (in a filter: ${label})`, 'data-column': c.key }, [
          label,
          sorted ? (sort!.direction === 'desc' ? ' ▼' : ' ▲') : '',
        ]);
        button.addEventListener('click', () => {
          this.state.sort = nextSort(this.state.sort, c);
          this.query();
        });
        return el(
          'th',
          {
            scope: 'col',
            class: c.key === 'name' ? 'name-col' : undefined,
            'aria-sort': sorted ? (sort!.direction === 'desc' ? 'descending' : 'ascending') : 'none',
          },
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

  private rowView(row: TableRunRow, index: number): HTMLElement {
    const selected = this.selected.has(row.id);
    const box = el('input', { type: 'checkbox', 'aria-label': `Select ${row.name}`, checked: selected });
    box.addEventListener('change', () => this.toggle(row.id, box.checked));
    const cells = this.visible.map((c) => {
      if (c.key === 'name') {
        const open = el('button', { class: 'run-link', title: `Open ${row.name}` }, [row.name]);
        open.addEventListener('click', () => post({ type: 'openRun', runId: row.id }));
        return el('td', { class: 'name' }, [open]);
      }
      const text = cellText(row, c);
      const cls = c.key === 'status' ? `status status-${/^[a-z]+$/.test(row.status) ? row.status : 'other'}` : isNumeric(row, c) ? 'num' : undefined;
      return el('td', { class: cls, title: text }, [text]);
    });
    return el('tr', { class: selected ? 'selected' : undefined, 'aria-rowindex': index + 2, 'aria-selected': String(selected), 'data-run': row.id }, [
      el('td', { class: 'select-col' }, [box]),
      ...cells,
    ]);
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
      const shown = this.columns.filter((c) => !n || c.key.toLowerCase().includes(n)).slice(0, 500);
      list.replaceChildren(
        ...shown.map((c) => {
          const box = el('vscode-checkbox', { checked: !hidden.has(c.key), 'data-column': c.key, label: headerText(c) });
          box.addEventListener('change', () => {
            if ((box as unknown as { checked: boolean }).checked) hidden.delete(c.key);
            else hidden.add(c.key);
            this.state.hiddenColumns = [...hidden];
            saveState(this.state);
            this.render();
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
