// One chart of the grid: a uPlot canvas for one metric, with its crosshair readout, drag-to-zoom, double-click reset,
// keyboard zoom and pan, legend toggles and PNG/CSV export. Every name is set as text (textContent), never as HTML.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { XAxis } from '../../src/core/series/api';
import type { RunHeader, SeriesMessage, SliceData } from '../../src/webviewProtocol/runViewProtocol';
import { el } from '../dom';
import { formatDuration, formatNumber, formatX, plotColumns, valueNear, type PlotColumns } from './chartModel';
import { DRAW_MARK, mark, newestPoint, type DrawDetail } from './marks';
import type { ChartTheme } from './theme';

export const CHART_HEIGHT = 220;

export interface ChartContext {
  x: XAxis;
  logY: boolean;
  smoothing: number;
  runs: readonly RunHeader[];
  theme: ChartTheme;
  /** Runs switched off in a legend: hidden in every chart. */
  hidden: ReadonlySet<string>;
  /** The x range the grid is zoomed to; the whole series when absent. */
  range: [number, number] | undefined;
}

export interface ChartEvents {
  zoom(range: [number, number]): void;
  /** Zoom by a factor around the middle, or pan by a share of the width (keyboard). */
  zoomBy(current: [number, number], extent: [number, number], factor: number, shift: number): void;
  reset(): void;
  toggleRun(runId: string): void;
  exportCsv(metric: string): void;
  exportPng(metric: string, dataUrl: string): void;
}

function isPowerOfTen(v: number): boolean {
  const e = Math.log10(Math.abs(v));
  return Math.abs(e - Math.round(e)) < 1e-9;
}

/** A tick label: short, an exponent only for very small or large values. */
function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return Number(v.toPrecision(3)).toExponential();
  return formatNumber(v);
}

/** At most this many points on a chart, each is drawn as a dot too. */
const FEW_POINTS = 40;

const KEY_ZOOM: Record<string, [number, number]> = { '+': [0.5, 0], '=': [0.5, 0], '-': [2, 0], ArrowLeft: [1, -0.25], ArrowRight: [1, 0.25] };

export class Chart {
  readonly root: HTMLElement;
  private readonly plotBox: HTMLElement;
  private readonly count: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly note: HTMLElement;
  private readonly legend: HTMLElement;
  private plot: uPlot | undefined;
  private signature = '';
  private columns: PlotColumns | undefined;
  private slices: SliceData[] = [];
  private ctx: ChartContext | undefined;
  /** Whether the chart has data from the host since it was made (the e2e and screen readers wait on it). */
  loaded = false;
  /** The draw mark of data set but not drawn yet (uPlot draws on its own schedule). */
  private pendingMark: Omit<DrawDetail, 'wall'> | undefined;

  constructor(
    readonly metric: string,
    private readonly events: ChartEvents,
  ) {
    this.count = el('span', { class: 'count' });
    this.plotBox = el('div', { class: 'plot' });
    this.readout = el('div', { class: 'readout', 'aria-live': 'polite' });
    this.note = el('div', { class: 'chart-note' });
    this.legend = el('div', { class: 'legend', role: 'group', 'aria-label': `Runs in ${metric}` });
    const button = (label: string, title: string, run: () => void): HTMLElement => {
      const b = el('vscode-button', { secondary: true, title, 'aria-label': `${title}: ${metric}` }, [label]);
      b.addEventListener('click', run);
      return b;
    };
    const heading = el('h3', { class: 'metric-name', title: metric }, [metric]);
    this.root = el('section', { class: 'chart', tabindex: 0, 'aria-label': `Chart of ${metric}`, 'data-metric': metric }, [
      el('header', {}, [
        heading,
        this.count,
        el('span', { class: 'chart-buttons' }, [
          button('Reset', 'Reset zoom', () => this.events.reset()),
          button('PNG', 'Export as PNG', () => this.exportPng()),
          button('CSV', 'Export the visible points as CSV', () => this.events.exportCsv(this.metric)),
        ]),
      ]),
      this.plotBox,
      this.readout,
      this.note,
      this.legend,
    ]);
    this.root.addEventListener('keydown', (e) => this.key(e));
  }

  /** Pixel columns of the plot: what the host decimates to. */
  width(): number {
    return Math.max(50, Math.floor(this.plotBox.clientWidth || this.root.clientWidth || 400));
  }

  private key(e: KeyboardEvent): void {
    if (e.target !== this.root) return;
    const extent = this.extent();
    if (e.key === '0' || e.key === 'Escape') {
      this.events.reset();
      e.preventDefault();
      return;
    }
    const move = KEY_ZOOM[e.key];
    if (!move || !extent) return;
    this.events.zoomBy(this.ctx?.range ?? extent, extent, move[0], move[1]);
    e.preventDefault();
  }

  /** The series' whole x extent over every run. */
  extent(): [number, number] | undefined {
    let out: [number, number] | undefined;
    for (const s of this.slices) {
      if (!s.extent) continue;
      out = out ? [Math.min(out[0], s.extent[0]), Math.max(out[1], s.extent[1])] : [s.extent[0], s.extent[1]];
    }
    return out;
  }

  setData(message: SeriesMessage, ctx: ChartContext): void {
    this.loaded = true;
    this.root.dataset.loaded = 'true';
    this.slices = message.slices;
    this.ctx = ctx;
    const order = ctx.runs.map((r) => r.id);
    const columns = plotColumns(message.slices, order, ctx.logY);
    this.columns = columns;
    const inRange = message.slices.reduce((n, s) => n + s.inRange, 0);
    const total = message.slices.reduce((n, s) => n + s.total, 0);
    const drawn = message.slices.reduce((n, s) => n + s.xs.length, 0);
    this.count.textContent = `${inRange.toLocaleString()}${inRange !== total ? ` of ${total.toLocaleString()}` : ''} point${total === 1 ? '' : 's'}${drawn < inRange ? ` (${drawn.toLocaleString()} drawn, every extreme kept)` : ''}`;
    this.root.dataset.points = String(total);
    this.root.dataset.inRange = String(inRange);
    this.root.dataset.smoothed = String(message.slices.some((s) => s.smoothed !== undefined));
    this.root.dataset.series = String(message.slices.length);
    this.root.dataset.x = message.x;
    this.notes(columns);
    const newest = newestPoint(message.slices);
    this.pendingMark = { metric: this.metric, lastX: newest.x, lastY: newest.y, points: drawn };
    const signature = [
      ctx.x,
      ctx.logY,
      columns.xs.length <= FEW_POINTS,
      ctx.theme.foreground,
      ctx.theme.run(0),
      this.width(),
      columns.meta.map((m) => `${m.run}${m.raw ? 'r' : ''}${m.smoothed ? 's' : ''}`),
    ].join('|');
    const data = [columns.xs, ...columns.series] as unknown as uPlot.AlignedData;
    if (this.plot && signature === this.signature) {
      this.plot.setData(data, true);
    } else {
      this.plot?.destroy();
      this.signature = signature;
      this.plot = new uPlot(this.options(columns, ctx), data, this.plotBox);
    }
    this.applyHidden(ctx);
  }

  private markDrawn(): void {
    if (!this.pendingMark) return;
    mark(DRAW_MARK, { ...this.pendingMark, wall: Date.now() });
    this.pendingMark = undefined;
  }

  private notes(columns: PlotColumns): void {
    const lines: string[] = [];
    if (columns.hiddenOnLog > 0)
      lines.push(
        `${columns.hiddenOnLog} value${columns.hiddenOnLog === 1 ? ' is' : 's are'} zero or negative: a log axis cannot show ${columns.hiddenOnLog === 1 ? 'it' : 'them'} (gaps).`,
      );
    const nonFinite = this.slices.reduce((n, s) => n + s.nonFinite.length, 0);
    if (nonFinite > 0) {
      const kinds = [...new Set(this.slices.flatMap((s) => s.nonFinite.map((p) => p[1])))].join(', ');
      lines.push(
        `${nonFinite}${nonFinite >= 1000 ? '+' : ''} value${nonFinite === 1 ? ' is' : 's are'} not finite (${kinds}): drawn as gaps, named in the hover.`,
      );
    }
    if (this.slices.length === 0) lines.push('No points in this range.');
    else if (this.slices.length === 1 && this.slices[0]!.total === 1) lines.push('One point so far.');
    this.note.textContent = lines.join(' ');
    this.note.hidden = lines.length === 0;
  }

  private drawLegend(ctx: ChartContext): void {
    const present = new Set(this.slices.map((s) => s.runId));
    this.legend.replaceChildren(
      ...ctx.runs
        .map((run, i) => ({ run, i }))
        .filter(({ run }) => present.has(run.id))
        .map(({ run, i }) => {
          const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
          swatch.style.background = ctx.theme.run(i);
          const shown = !ctx.hidden.has(run.id);
          const b = el('button', { class: 'legend-item', 'aria-pressed': String(shown), title: shown ? `Hide ${run.name}` : `Show ${run.name}` }, [
            swatch,
            run.name,
          ]);
          b.addEventListener('click', () => this.events.toggleRun(run.id));
          return b;
        }),
    );
  }

  /** Shows and hides runs as the legends say (a toggle in one chart applies to all). */
  applyHidden(ctx: ChartContext): void {
    if (this.ctx) this.ctx = { ...this.ctx, hidden: ctx.hidden };
    this.drawLegend(ctx);
    if (!this.plot || !this.columns) return;
    this.columns.meta.forEach((m, i) => {
      const show = !ctx.hidden.has(ctx.runs[m.run]?.id ?? '');
      if (this.plot!.series[i + 1]?.show !== show) this.plot!.setSeries(i + 1, { show });
    });
  }

  private options(columns: PlotColumns, ctx: ChartContext): uPlot.Options {
    const { theme } = ctx;
    const axis = (values?: uPlot.Axis['values']): uPlot.Axis => ({
      stroke: theme.axis,
      font: theme.font,
      grid: { stroke: theme.grid, width: 1 },
      ticks: { stroke: theme.grid, width: 1 },
      ...(values ? { values } : {}),
    });
    const xValues: uPlot.Axis['values'] | undefined = ctx.x === 'relative' ? (_u, splits) => splits.map((v) => formatDuration(v)) : undefined;
    return {
      width: this.width(),
      height: CHART_HEIGHT,
      ms: 1,
      pxAlign: 0,
      legend: { show: false },
      scales: {
        x: {
          time: ctx.x === 'wall',
          range: (_u, min, max) => {
            const r = this.ctx?.range;
            if (r) return [r[0], r[1] > r[0] ? r[1] : r[0] + 1];
            return min === max ? [min - 1, max + 1] : [min, max];
          },
        },
        y: ctx.logY ? { distr: 3 } : {},
      },
      axes: [
        axis(xValues),
        {
          ...axis(),
          size: 72,
          values: (_u, splits) => splits.map((v) => (v === null ? '' : formatTick(v))),
          // A log axis labels and grids the powers of ten only: uPlot's minor lines would fill a small chart.
          ...(ctx.logY ? { filter: (_u: uPlot, splits: number[]) => splits.map((v) => (isPowerOfTen(v) ? v : null)) } : {}),
        },
      ],
      series: [
        {},
        ...columns.meta.map((m) => ({
          label: ctx.runs[m.run]?.name ?? '',
          stroke: theme.run(m.run),
          width: m.smoothed ? 2 : m.raw ? 1 : 1.5,
          alpha: m.raw ? 0.3 : 1,
          spanGaps: false,
          // A line of one point draws nothing: few points are marked each with a dot.
          points: { show: columns.xs.length <= FEW_POINTS && !m.raw, size: 6 },
        })),
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        bind: { dblclick: () => null },
      },
      hooks: {
        setCursor: [(u) => this.showReadout(u)],
        setSelect: [
          (u) => {
            if (u.select.width > 3) {
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              this.events.zoom([from, to]);
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        ready: [(u) => u.over.addEventListener('dblclick', () => this.events.reset())],
        draw: [() => this.markDrawn()],
      },
    };
  }

  /** The crosshair's readout: x, then every run's value at the cursor, and any NaN/±Infinity there. */
  private showReadout(u: uPlot): void {
    const i = u.cursor.idx;
    const columns = this.columns;
    const ctx = this.ctx;
    if (i === null || i === undefined || !columns || !ctx || u.cursor.left === undefined || u.cursor.left < 0) {
      this.readout.textContent = '';
      return;
    }
    const x = columns.xs[i]!;
    const parts: string[] = [`${ctx.x === 'step' ? 'step' : ctx.x === 'relative' ? 'at' : ''} ${formatX(x, ctx.x)}`.trim()];
    columns.meta.forEach((m, s) => {
      const run = ctx.runs[m.run];
      if (!run || ctx.hidden.has(run.id) || m.raw) return;
      const v = valueNear(columns.series[s]!, i);
      const raw = m.smoothed ? valueNear(columns.series[s - 1]!, i) : undefined;
      const name = ctx.runs.length > 1 ? `${run.name}: ` : '';
      parts.push(`${name}${formatNumber(v)}${m.smoothed ? ` (raw ${formatNumber(raw)})` : ''}`);
    });
    // Non-finite values within a few pixels of the cursor.
    const left = u.cursor.left;
    const tolerance = Math.abs(u.posToVal(left + 4, 'x') - u.posToVal(left, 'x'));
    const cursorX = u.posToVal(left, 'x');
    for (const s of this.slices) {
      const hit = s.nonFinite.find(([nx]) => Math.abs(nx - cursorX) <= tolerance);
      if (hit) {
        const run = ctx.runs.find((r) => r.id === s.runId);
        parts.push(`${ctx.runs.length > 1 && run ? `${run.name}: ` : ''}${hit[1]} at ${formatX(hit[0], ctx.x)}`);
      }
    }
    this.readout.textContent = parts.join('  ·  ');
  }

  /** The chart as a PNG: the canvas on the editor's background, with the metric's name above it. */
  private exportPng(): void {
    const canvas = this.plot?.ctx.canvas;
    if (!canvas) return;
    const titleHeight = 28;
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height + titleHeight;
    const g = out.getContext('2d');
    if (!g) return;
    const style = getComputedStyle(document.body);
    g.fillStyle = style.getPropertyValue('--vscode-editor-background').trim() || '#fff';
    g.fillRect(0, 0, out.width, out.height);
    g.fillStyle = style.getPropertyValue('--vscode-foreground').trim() || '#000';
    g.font = `bold 14px ${style.getPropertyValue('--vscode-font-family') || 'sans-serif'}`;
    g.fillText(this.metric, 8, 19);
    g.drawImage(canvas, 0, titleHeight);
    this.events.exportPng(this.metric, out.toDataURL('image/png'));
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.root.remove();
  }
}
