// The Run view and Compare Runs page: header, notices, the toolbar (x axis, y scale, smoothing, search, paging) and the
// chart grid grouped by prefix. The x range is shared across the grid; each chart asks the host for its metric at its
// pixel width, again on zoom (full resolution in the range) and when the run stored new points.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { XAxis } from '../../src/core/series/api';
import {
  X_AXES,
  type HostMessage,
  type MetricInfo,
  type Notice,
  type RunHeader,
  type SeriesMessage,
  type ViewKind,
} from '../../src/webviewProtocol/runViewProtocol';
import { el } from '../dom';
import { post, saveState } from './api';
import { Chart, type ChartContext } from './chart';
import { groupMetrics, pageOf, X_LABELS, zoomRange } from './chartModel';
import { compareHeaderView, runHeaderView, tickDurations } from './header';
import { onThemeChange, readTheme, type ChartTheme } from './theme';

export const PAGE_SIZE = 24;

export interface RunPageState {
  x: XAxis;
  logY: boolean;
  smoothing: number;
  search: string;
  page: number;
}

export const DEFAULT_STATE: RunPageState = { x: 'step', logY: false, smoothing: 0, search: '', page: 0 };

/** Saved state is ours, but checked anyway: a bad value falls back to the default. */
export function checkState(s: RunPageState): RunPageState {
  return {
    x: X_AXES.includes(s.x) ? s.x : 'step',
    logY: s.logY === true,
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0,
    search: typeof s.search === 'string' ? s.search.slice(0, 200) : '',
    page: Number.isInteger(s.page) && s.page >= 0 ? s.page : 0,
  };
}

export class RunPage {
  private runs: RunHeader[] = [];
  private metrics: MetricInfo[] = [];
  private readonly charts = new Map<string, Chart>();
  private range: [number, number] | undefined;
  private readonly hidden = new Set<string>();
  private theme: ChartTheme = readTheme();
  private nextRequest = 1;
  /** The latest request of each chart, and charts to ask again once their answer arrives. */
  private readonly inFlight = new Map<string, number>();
  private readonly again = new Set<string>();
  private readonly header = el('div', { class: 'header-box' });
  private readonly notices = el('div', { class: 'notices', role: 'status' });
  private readonly grid = el('div', { class: 'groups' });
  private readonly pager = el('div', { class: 'pager' });
  private readonly status = el('span', { class: 'toolbar-status', 'aria-live': 'polite' });
  private readonly smoothingValue = el('span', { class: 'smoothing-value' });

  constructor(
    root: HTMLElement,
    private readonly kind: Exclude<ViewKind, 'table'>,
    private state: RunPageState,
  ) {
    this.state = checkState(state);
    root.replaceChildren(this.header, this.notices, this.toolbar(), this.grid, this.pager);
    root.removeAttribute('aria-busy');
    onThemeChange(() => {
      this.theme = readTheme();
      this.renderHeader();
      this.requestAll();
    });
    // The host sends a run's header again only when its run.json changes; a live duration moves every second anyway.
    window.setInterval(() => tickDurations(this.header, Date.now()), 1000);
    let resize: number | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resize);
      resize = window.setTimeout(() => this.requestAll(), 250);
    });
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'runs':
        this.runs = message.runs;
        this.renderHeader();
        return;
      case 'metrics': {
        const before = this.metrics.map((m) => m.name).join('\n');
        this.metrics = message.metrics;
        if (this.metrics.map((m) => m.name).join('\n') !== before) this.renderGrid();
        return;
      }
      case 'series':
        this.series(message);
        return;
      case 'changed':
        for (const name of message.metrics) if (this.charts.has(name)) this.request(name);
        return;
      case 'notices':
        this.renderNotices(message.notices);
        return;
      case 'exported':
        this.status.textContent = message.message;
        return;
      default:
        return;
    }
  }

  private persist(): void {
    saveState(this.state);
  }

  private select(label: string, id: string, options: [string, string][], value: string, change: (v: string) => void): HTMLElement {
    const select = el(
      'vscode-single-select',
      { id, 'aria-label': label },
      options.map(([v, text]) => el('vscode-option', { value: v, selected: v === value }, [text])),
    );
    select.addEventListener('change', () => change((select as unknown as { value: string }).value));
    return el('label', { class: 'tool', for: id }, [el('span', {}, [label]), select]);
  }

  private toolbar(): HTMLElement {
    const x = this.select(
      'X axis',
      'x-axis',
      X_AXES.map((a) => [a, X_LABELS[a]]),
      this.state.x,
      (v) => {
        this.state.x = X_AXES.includes(v as XAxis) ? (v as XAxis) : 'step';
        this.range = undefined;
        this.changed();
      },
    );
    const y = this.select(
      'Y axis',
      'y-scale',
      [
        ['linear', 'Linear'],
        ['log', 'Log'],
      ],
      this.state.logY ? 'log' : 'linear',
      (v) => {
        this.state.logY = v === 'log';
        this.changed();
      },
    );
    const slider = el('input', { type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: this.state.smoothing, 'aria-label': 'Smoothing' });
    this.smoothingValue.textContent = this.state.smoothing.toFixed(2);
    let pending: number | undefined;
    slider.addEventListener('input', () => {
      this.state.smoothing = Math.min(0.99, Math.max(0, Number(slider.value) || 0));
      this.smoothingValue.textContent = this.state.smoothing.toFixed(2);
      clearTimeout(pending);
      pending = window.setTimeout(() => this.changed(), 150);
    });
    const search = el('vscode-textfield', {
      id: 'metric-search',
      placeholder: 'Filter metrics',
      value: this.state.search,
      'aria-label': 'Filter metrics by name',
    });
    search.addEventListener('input', () => {
      this.state.search = (search as unknown as { value: string }).value;
      this.state.page = 0;
      this.persist();
      this.renderGrid();
    });
    const reset = el('vscode-button', { secondary: true, id: 'reset-zoom', title: 'Show the whole series in every chart' }, ['Reset zoom']);
    reset.addEventListener('click', () => this.setRange(undefined));
    return el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart options' }, [
      x,
      y,
      el('label', { class: 'tool', for: 'smoothing' }, [el('span', {}, ['Smoothing']), slider, this.smoothingValue]),
      search,
      reset,
      this.status,
    ]);
  }

  /** An option changed: every chart asks again. */
  private changed(): void {
    this.persist();
    this.requestAll();
  }

  private renderHeader(): void {
    if (this.runs.length === 0) return;
    const now = Date.now();
    this.header.replaceChildren(this.kind === 'run' ? runHeaderView(this.runs[0]!, now) : compareHeaderView(this.runs, this.theme, now));
  }

  private renderNotices(notices: Notice[]): void {
    this.notices.replaceChildren(...notices.map((n) => el('div', { class: `notice ${n.level}`, role: n.level === 'error' ? 'alert' : undefined }, [n.text])));
  }

  private renderGrid(): void {
    const groups = groupMetrics(this.metrics, this.state.search);
    const page = pageOf(groups, this.state.page, PAGE_SIZE);
    const wanted = new Set(page.groups.flatMap((g) => g.metrics.map((m) => m.name)));
    for (const [name, chart] of this.charts) {
      if (!wanted.has(name)) {
        chart.destroy();
        this.charts.delete(name);
      }
    }
    const fresh: string[] = [];
    const sections: HTMLElement[] = page.groups.map((g) => {
      const grid = el('div', { class: 'grid' });
      for (const m of g.metrics) {
        let chart = this.charts.get(m.name);
        if (!chart) {
          chart = this.makeChart(m.name);
          this.charts.set(m.name, chart);
          fresh.push(m.name);
        }
        grid.append(chart.root);
      }
      return el('details', { class: 'group', open: true, 'data-group': g.name }, [el('summary', {}, [`${g.name} (${g.metrics.length})`]), grid]);
    });
    if (sections.length === 0)
      sections.push(
        el('p', { class: 'muted empty' }, [
          this.metrics.length === 0 ? 'No metrics stored yet. Charts appear as the run logs points.' : 'No metric matches the filter.',
        ]),
      );
    this.grid.replaceChildren(...sections);
    this.renderPager(page.pages, page.total);
    for (const name of fresh) this.request(name);
  }

  private renderPager(pages: number, total: number): void {
    if (pages <= 1) {
      this.pager.replaceChildren();
      return;
    }
    const page = Math.min(this.state.page, pages - 1);
    const go = (to: number): void => {
      this.state.page = Math.max(0, Math.min(pages - 1, to));
      this.persist();
      this.renderGrid();
      this.grid.scrollIntoView();
    };
    const prev = el('vscode-button', { secondary: true, disabled: page === 0, id: 'page-prev' }, ['Previous']);
    const next = el('vscode-button', { secondary: true, disabled: page >= pages - 1, id: 'page-next' }, ['Next']);
    prev.addEventListener('click', () => go(page - 1));
    next.addEventListener('click', () => go(page + 1));
    this.pager.replaceChildren(
      prev,
      el('span', { class: 'page-info' }, [`Page ${page + 1} of ${pages} (${total.toLocaleString()} metrics, ${PAGE_SIZE} per page)`]),
      next,
    );
  }

  private makeChart(metric: string): Chart {
    return new Chart(metric, {
      zoom: (range) => this.setRange(range),
      zoomBy: (current, extent, factor, shift) => this.setRange(zoomRange(current, extent, factor, shift)),
      reset: () => this.setRange(undefined),
      toggleRun: (id) => {
        if (this.hidden.has(id)) this.hidden.delete(id);
        else this.hidden.add(id);
        for (const c of this.charts.values()) c.applyHidden(this.context());
      },
      exportCsv: (m) => post({ type: 'exportCsv', metric: m, x: this.state.x, ...(this.range ? { range: this.range } : {}) }),
      exportPng: (m, dataUrl) => post({ type: 'exportPng', metric: m, dataUrl }),
    });
  }

  /** Zooms every chart to `range` (the whole series when undefined): each asks for its range again at full resolution. */
  private setRange(range: [number, number] | undefined): void {
    this.range = range;
    // What an export covers, readable by tests and by anyone inspecting the page.
    document.body.dataset.range = range ? `${range[0]},${range[1]}` : '';
    this.requestAll();
  }

  private context(): ChartContext {
    return {
      x: this.state.x,
      logY: this.state.logY,
      smoothing: this.state.smoothing,
      runs: this.runs,
      theme: this.theme,
      hidden: this.hidden,
      range: this.range,
    };
  }

  private requestAll(): void {
    for (const name of this.charts.keys()) this.request(name);
  }

  /** Asks for a chart's data; while one request of that chart is out, a newer one waits for its answer (no pile-up on a live run). */
  private request(metric: string): void {
    const chart = this.charts.get(metric);
    if (!chart) return;
    if (this.inFlight.has(metric)) {
      this.again.add(metric);
      return;
    }
    const requestId = this.nextRequest++;
    this.inFlight.set(metric, requestId);
    post({
      type: 'query',
      requestId,
      metric,
      x: this.state.x,
      columns: chart.width(),
      smoothing: this.state.smoothing,
      ...(this.range ? { range: this.range } : {}),
    });
  }

  private series(message: SeriesMessage): void {
    if (this.inFlight.get(message.metric) !== message.requestId) return;
    this.inFlight.delete(message.metric);
    const chart = this.charts.get(message.metric);
    if (chart && message.x === this.state.x) chart.setData(message, this.context());
    if (this.again.delete(message.metric) || message.x !== this.state.x) this.request(message.metric);
  }
}
