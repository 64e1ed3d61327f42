// "Try on the last run's output": the run to read, the button, and what the draft captures from it. Everything shown
// comes from a run's output (names a script printed) and goes in as text, never as HTML.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { diffSummary, type Capture, type PreviewValue } from '../src/core/form/outputPreview';
import type { OutputPreview, OutputRunOption } from '../src/webviewProtocol/configTry';
import { el } from './dom';
import type { FormState } from './formState';

export interface TryHandlers {
  pickRun(id: string | null): void;
  tryOutput(): void;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function when(startTime: number): string {
  return new Date(startTime).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function runLabel(run: OutputRunOption): string {
  return `${run.name} · ${run.status} · ${when(run.startTime)} · ${size(run.outputBytes)}`;
}

function value(v: PreviewValue | number | undefined): string {
  if (v === undefined) return '–';
  return typeof v === 'number' ? String(Number(v.toPrecision(8))) : v;
}

function table(caption: string, headers: string[], rows: (string | number | undefined)[][], attrs: Record<string, string>): HTMLElement {
  return el('table', { class: 'try-table', ...attrs }, [
    el('caption', {}, [caption]),
    el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col' }, [h])),
      ),
    ]),
    el(
      'tbody',
      {},
      rows.map((r) =>
        el(
          'tr',
          {},
          r.map((c) => el('td', {}, [typeof c === 'number' ? value(c) : (c ?? '–')])),
        ),
      ),
    ),
  ]);
}

function runPicker(state: FormState, handlers: TryHandlers): HTMLElement | undefined {
  const runs = state.outputRuns ?? [];
  if (runs.length === 0) return undefined;
  const select = el('vscode-single-select', { id: 'try-run', 'aria-label': 'Run to read' });
  runs.forEach((run, i) =>
    select.append(el('vscode-option', { value: run.id, selected: state.tryRunId === null ? i === 0 : run.id === state.tryRunId }, [runLabel(run)])),
  );
  select.addEventListener('change', () => handlers.pickRun(select.value === runs[0]?.id ? null : select.value));
  return select;
}

function diffLines(preview: OutputPreview): HTMLElement[] {
  const diff = preview.diff;
  if (!diff) return [];
  const lines = [el('p', { class: 'try-diff', 'data-try-diff': '' }, [`${diffSummary(diff)} (${preview.savedRecordCount ?? 0} records with them).`])];
  if (diff.added.length > 0) lines.push(el('p', { class: 'try-added' }, [`+ ${diff.added.join(', ')}`]));
  if (diff.removed.length > 0) lines.push(el('p', { class: 'try-removed' }, [`− ${diff.removed.join(', ')}`]));
  for (const c of diff.changed) lines.push(el('p', { class: 'help' }, [`${c.name}: ${c.draft} records (saved settings: ${c.saved})`]));
  return lines;
}

function captureTables(capture: Capture): HTMLElement[] {
  if (capture.recordCount === 0) return [el('p', { class: 'empty' }, ['These settings capture nothing from this output.'])];
  return [
    table(
      'Per series',
      ['Series', 'Records', 'First step', 'Last step', 'Last epoch', 'Last value'],
      capture.series.map((s) => [s.name, String(s.count), s.firstStep, s.lastStep, s.lastEpoch, value(s.lastValue)]),
      { 'data-try-series': '' },
    ),
    capture.moreSeries > 0 ? el('p', { class: 'help' }, [`and ${capture.moreSeries} more series not listed`]) : undefined,
    table(
      capture.records.length < capture.recordCount
        ? `The first ${capture.records.length} of ${capture.recordCount} records`
        : `All ${capture.recordCount} records`,
      ['Line', 'Name', 'Value', 'Step', 'Epoch'],
      capture.records.map((r) => [String(r.line), r.name, value(r.value), r.step, r.epoch]),
      { 'data-try-records': '' },
    ),
  ].filter((e): e is HTMLElement => e !== undefined);
}

function previewView(preview: OutputPreview, stale: boolean): HTMLElement[] {
  const read =
    preview.bytesRead < preview.totalBytes
      ? `its last ${size(preview.bytesRead)} of ${size(preview.totalBytes)} (Try reads at most ${size(preview.limitBytes)})`
      : `all ${size(preview.bytesRead)}`;
  const cut =
    preview.parsedChars < preview.textChars
      ? ` Stopped after ${Math.round((100 * preview.parsedChars) / preview.textChars)} % of it: Try gives the reading ${preview.limitMs / 1000} s.`
      : '';
  const count = `${preview.draft.recordCount} records in ${preview.draft.series.length + preview.draft.moreSeries} series`;
  return [
    el('p', { class: 'try-summary', 'data-try-summary': '' }, [`Run "${preview.run.name}": read ${read}. With the form’s settings: ${count}.${cut}`]),
    stale ? el('p', { class: 'help warning' }, ['The form changed since: try again to see what it captures now.']) : undefined,
    preview.note ? el('p', { class: 'callout' }, [preview.note]) : undefined,
    ...diffLines(preview),
    ...captureTables(preview.draft),
  ].filter((e): e is HTMLElement => e !== undefined);
}

/** The section, rebuilt whenever its runs, its result or the busy state change. */
export function tryPanel(state: FormState, handlers: TryHandlers): HTMLElement {
  const picker = runPicker(state, handlers);
  const button = el('vscode-button', { id: 'try', secondary: true, disabled: state.busy !== undefined }, [
    state.tryRunId === null ? "Try on the last run's output" : "Try on this run's output",
  ]);
  button.addEventListener('click', () => handlers.tryOutput());
  const result = state.tryResult;
  const body =
    state.busy === 'try'
      ? [el('p', { class: 'loading' }, ['Reading the run’s output…'])]
      : result === undefined
        ? state.outputRuns?.length === 0
          ? [el('p', { class: 'help' }, ['No run has stored output yet: track a run in a terminal, then try.'])]
          : []
        : result.ok
          ? previewView(result.preview, state.tryStale)
          : [el('p', { class: 'try-error', role: 'alert' }, [result.message])];
  return el('section', { class: 'try', id: 'try-section', 'aria-labelledby': 'try-title' }, [
    el('h2', { id: 'try-title' }, ['Try on a run’s output']),
    el('p', { class: 'help' }, ['See what the settings in this form capture from a recent run’s stored output, before saving them.']),
    el('div', { class: 'try-controls' }, [picker, button]),
    el('div', { class: 'try-result', 'aria-live': 'polite', 'data-try-result': '' }, body),
  ]);
}
