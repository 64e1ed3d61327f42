// docs/benchmarks.md, made from bench/results/*.json alone (`npm run bench:docs`; `npm run bench`
// calls it at the end), so the page never shows a figure that is not in a results file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIN_ROUNDS } from './harness';
import { machineLine } from './machine';
import type { BenchResult, Comparison } from './report';
import { fmt, fmtStat } from './stats';

const ROOT = path.join(__dirname, '..');
export const RESULTS_DIR = path.join(__dirname, 'results');
const DOCS = path.join(ROOT, 'docs', 'benchmarks.md');

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function ratioCell(c: Comparison): string {
  return c.ratio ? `**${fmt(c.ratio.median)}×** (${fmt(c.ratio.min)}–${fmt(c.ratio.max)})` : '';
}

/** The other side by its contender name in a benchmark's own table (its contenders are listed below it), by label in the summary. */
function againstCell(c: Comparison, byLabel = false): string {
  if (!c.against) return '—';
  return `${byLabel ? cell(c.against.label) : `\`${c.against.contender}\``}: ${fmtStat(c.against.stat, c.unit)}`;
}

function section(r: BenchResult): string[] {
  const few = r.rounds < MIN_ROUNDS ? ` — **only ${r.rounds} processes per contender: not a headline**` : '';
  const lines = [
    `## ${r.title}`,
    '',
    `\`npm run bench -- ${r.name}\` · measured ${r.date.slice(0, 16).replace('T', ' ')} UTC in ${Math.round(r.durationSeconds)} s · ${r.rounds} processes per contender${few}  `,
    `Machine: ${machineLine(r.machine)}`,
    '',
    '| figure | ours: median (min–max) | peer or baseline: median (min–max) | ours better by, round by round (below 1: worse) |',
    '|---|---|---|---|',
  ];
  for (const c of r.comparisons) {
    const label = `${c.headline ? '**Headline:** ' : ''}${cell(c.label)} (${c.better} is better)`;
    const ours = c.ours.contender === 'ours' ? '' : `\`${c.ours.contender}\`: `;
    lines.push(`| ${label} | ${ours}${fmtStat(c.ours.stat, c.unit)} | ${againstCell(c)} | ${ratioCell(c)} |`);
  }
  lines.push('', 'Contenders:', '');
  for (const c of r.contenders) lines.push(`- \`${c.name}\` (${c.role}): ${c.label}`);
  if (r.settings && Object.keys(r.settings).length > 0) {
    lines.push(
      '',
      `Settings: ${Object.entries(r.settings)
        .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
        .join(' · ')}`,
    );
  }
  if (r.notes?.length) lines.push('', ...r.notes);
  return [...lines, ''];
}

function renderDocs(results: readonly BenchResult[]): string {
  const out = [
    '# Benchmarks',
    '',
    '<!-- Generated from bench/results/*.json by `npm run bench:docs` (and at the end of `npm run bench`). Edit bench/docs.ts, not this file. -->',
    '',
    "`npm run bench` runs every `bench/*.bench.ts` (`npm run bench -- stdout` only those whose file name contains `stdout`), writes each one's figures to `bench/results/<name>.json` and regenerates this page; `npm run bench:docs` regenerates it from those files alone. The results files are committed: this page is made from them alone, so running one benchmark updates its own section and leaves the others as last measured (each says when and where).",
    '',
    "How every figure here is made (`bench/harness.ts`): each contender runs in its own process and warms up before it measures; the contenders take turns, process by process (A B A B …); a figure is the **median over the processes, with min–max** beside it, never a best; the ratio is taken round by round (our process against the other side's process of the same round) and shown as its median with min–max. Where a peer exists (systeminformation, the Python MLflow client, Guild AI) it is measured in the same run doing the same work. Ratios carry over from machine to machine; absolute figures move with the machine and its load.",
    '',
    'A new benchmark is a `bench/<name>.bench.ts` exporting `title` and `run()`: run() hands `measure()` (bench/harness.ts) its contenders, each a command for one process (a TypeScript worker via `nodeWorker()`, or any program) that warms up, measures and ends by printing one JSON line of figures (`emit()` in bench/worker.ts); it returns `outcome()` (bench/report.ts) with the comparisons to make. `bench/pipeline.bench.ts` with `bench/pipelineWorker.ts` is the shortest example.',
    '',
    '## Headlines',
    '',
    '| benchmark | headline figure | ours | against | ours better by | measured |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const c of r.comparisons.filter((x) => x.headline)) {
      out.push(
        `| [${r.name}](#${anchor(r.title)}) | ${cell(c.label)} | ${fmtStat(c.ours.stat, c.unit)} | ${againstCell(c, true)} | ${ratioCell(c)} | ${r.date.slice(0, 10)}, ${r.machine.cores} cores |`,
      );
    }
  }
  out.push('');
  for (const r of results) out.push(...section(r));
  return `${out.join('\n').trimEnd()}\n`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function readResults(): BenchResult[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as BenchResult);
}

export function writeDocs(): string {
  fs.writeFileSync(DOCS, renderDocs(readResults()));
  return path.relative(ROOT, DOCS);
}

if (require.main === module) console.log(`wrote ${writeDocs()}`);
