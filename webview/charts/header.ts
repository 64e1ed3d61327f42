// The top of the Run view (status, command, duration, git, params) and of Compare Runs (the runs with their colours,
// and a params table that marks the params whose values differ). All run data goes in as text.
import type { RunHeader } from '../../src/webviewProtocol/runViewProtocol';
import { el } from '../dom';
import { formatDuration, paramsTable } from './chartModel';
import type { ChartTheme } from './theme';

function gitText(run: RunHeader): string {
  const g = run.git;
  if (!g || (!g.branch && !g.commit)) return 'unknown';
  return `${g.branch ?? '(detached)'}${g.commit ? ` @ ${g.commit.slice(0, 10)}` : ''}${g.dirty ? ' (uncommitted changes)' : ''}`;
}

function durationText(run: RunHeader, now: number): string {
  return formatDuration((run.endTime ?? now) - run.startTime) + (isLive(run) ? ' so far' : '');
}

function isLive(run: RunHeader): boolean {
  return run.endTime === undefined && run.status === 'running';
}

/** A run's duration; a live run's is marked for tickDurations, which moves it on between the host's updates. */
function duration(run: RunHeader, now: number): HTMLElement {
  const span = el('span', { class: 'duration' }, [durationText(run, now)]);
  if (isLive(run)) span.dataset.liveSince = String(run.startTime);
  return span;
}

/** Moves every live duration under `root` on to `now`, in place: a re-render would close what the user opened. */
export function tickDurations(root: HTMLElement, now: number): void {
  for (const span of root.querySelectorAll<HTMLElement>('span.duration[data-live-since]'))
    span.textContent = `${formatDuration(now - Number(span.dataset.liveSince))} so far`;
}

function statusBadge(run: RunHeader): HTMLElement {
  const exit = run.exitCode !== undefined && run.exitCode !== null ? ` (exit ${run.exitCode})` : '';
  return el('span', { class: `status status-${/^[a-z]+$/.test(run.status) ? run.status : 'other'}`, 'data-status': run.status }, [`${run.status}${exit}`]);
}

function row(label: string, value: Node | string): HTMLElement {
  return el('div', { class: 'fact' }, [el('dt', {}, [label]), el('dd', {}, [value])]);
}

export function runHeaderView(run: RunHeader, now: number): HTMLElement {
  const facts = el('dl', { class: 'facts' }, [
    row('Status', statusBadge(run)),
    row('Command', el('code', {}, [run.command])),
    row('Started', new Date(run.startTime).toLocaleString()),
    row('Duration', duration(run, now)),
    row('Git', gitText(run)),
  ]);
  if (run.statusReason) facts.append(row('Note', run.statusReason));
  const params =
    run.params.length === 0
      ? el('p', { class: 'muted' }, ['No params recorded.'])
      : el('table', { class: 'params' }, [
          el('thead', {}, [el('tr', {}, [el('th', {}, ['Param']), el('th', {}, ['Value'])])]),
          el(
            'tbody',
            {},
            run.params.map(([k, v]) => el('tr', {}, [el('td', {}, [k]), el('td', {}, [v])])),
          ),
        ]);
  return el('header', { class: 'run-header' }, [
    el('h1', {}, [run.name]),
    facts,
    el('details', { class: 'params-box', open: run.params.length <= 12 }, [el('summary', {}, [`Params (${run.params.length})`]), params]),
  ]);
}

export function compareHeaderView(runs: readonly RunHeader[], theme: ChartTheme, now: number): HTMLElement {
  const table = paramsTable(runs);
  const differing = table.filter((p) => p.differs).length;
  const swatch = (i: number): HTMLElement => {
    const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    s.style.background = theme.run(i);
    return s;
  };
  const head = el('tr', {}, [el('th', {}, ['']), ...runs.map((r, i) => el('th', { scope: 'col' }, [swatch(i), r.name]))]);
  const facts = (label: string, value: (r: RunHeader) => Node | string): HTMLElement =>
    el('tr', { class: 'fact-row' }, [el('th', { scope: 'row' }, [label]), ...runs.map((r) => el('td', {}, [value(r)]))]);
  const body = el('tbody', {}, [
    facts('Status', statusBadge),
    facts('Command', (r) => el('code', {}, [r.command])),
    facts('Duration', (r) => duration(r, now)),
    facts('Git', gitText),
    ...table.map((p) =>
      el('tr', { class: p.differs ? 'param differs' : 'param', 'data-param': p.name, 'data-differs': String(p.differs) }, [
        el('th', { scope: 'row' }, [p.differs ? '≠ ' : '', p.name]),
        ...p.values.map((v) => el('td', {}, [v ?? '—'])),
      ]),
    ),
  ]);
  return el('header', { class: 'run-header compare' }, [
    el('h1', {}, [`Compare ${runs.length} runs`]),
    el('p', { class: 'muted' }, [table.length === 0 ? 'No params recorded.' : `${differing} of ${table.length} params differ (marked ≠).`]),
    el('div', { class: 'table-scroll' }, [el('table', { class: 'params compare-table' }, [el('thead', {}, [head]), body])]),
  ]);
}
