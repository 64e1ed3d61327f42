// Turns a benchmark's measurements into the figures it prints and the JSON that docs/benchmarks.md is
// made from: per comparison, our median with min–max, the peer's or baseline's beside it, and their
// ratio round by round (each round's processes met the same machine, so their ratio is the steadiest figure).
import type { Machine } from './machine';
import { MIN_ROUNDS, type Measurements, type Role } from './harness';
import { fmt, fmtStat, stat, type Stat } from './stats';

export interface ComparisonSpec {
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  /** Contender names and the figure each reports; `againstFigure` defaults to `figure`. */
  ours: string;
  figure: string;
  against?: string;
  againstFigure?: string;
  headline?: boolean;
  /** false where the other side is a floor to read ours against, not a rival (the pipe under a pipeline). */
  ratio?: boolean;
}

export interface Side {
  contender: string;
  label: string;
  role: Role;
  stat: Stat;
}

export interface Comparison {
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  headline: boolean;
  ours: Side;
  against?: Side;
  /** How many times better ours is, round by round: above 1 ours is faster or cheaper. */
  ratio?: Stat;
}

/** What a benchmark's run() returns; bench/run.ts adds where and when, and writes it to bench/results/<name>.json. */
export interface BenchOutcome {
  rounds: number;
  contenders: { name: string; label: string; role: Role }[];
  comparisons: Comparison[];
  settings?: Record<string, string | number>;
  /** Markdown lines for the docs: what the figures need to be read right (records found, checks made). */
  notes?: string[];
}

export interface BenchResult extends BenchOutcome {
  name: string;
  title: string;
  date: string;
  durationSeconds: number;
  machine: Machine;
}

function side(m: Measurements, name: string, figure: string): Side {
  const c = m.contenders.find((x) => x.name === name);
  const values = m.outputs[name]?.map((o) => o.figures[figure]);
  if (!c || !values || values.some((v) => typeof v !== 'number')) throw new Error(`no figure ${figure} from contender ${name}`);
  return { contender: name, label: c.label, role: c.role, stat: stat(values as number[]) };
}

function compare(m: Measurements, spec: ComparisonSpec): Comparison {
  const ours = side(m, spec.ours, spec.figure);
  const result: Comparison = { label: spec.label, unit: spec.unit, better: spec.better, headline: spec.headline ?? false, ours };
  if (spec.against) {
    const against = side(m, spec.against, spec.againstFigure ?? spec.figure);
    result.against = against;
    if (spec.ratio !== false)
      result.ratio = stat(ours.stat.values.map((o, i) => (spec.better === 'higher' ? o / against.stat.values[i]! : against.stat.values[i]! / o)));
  }
  return result;
}

function ratioText(c: Comparison): string {
  if (!c.ratio) return '';
  const word = c.better === 'higher' ? 'faster' : 'cheaper';
  return `ours ${fmt(c.ratio.median)}× ${c.ratio.median >= 1 ? word : `(below 1: ${c.against!.role} is ${word})`}, ${fmt(c.ratio.min)}–${fmt(c.ratio.max)} round by round`;
}

function printComparison(c: Comparison): void {
  console.log(`\n  ${c.label}${c.headline ? '   ← HEADLINE' : ''}`);
  const width = Math.max(c.ours.label.length, c.against?.label.length ?? 0);
  for (const s of [c.ours, c.against]) {
    if (s) console.log(`    ${s.role.padEnd(8)} ${s.label.padEnd(width)}  ${fmtStat(s.stat, c.unit)}  median (min–max) of ${s.stat.values.length}`);
  }
  if (c.ratio) console.log(`    ${ratioText(c)}`);
}

/** The comparisons, printed; what run() returns. */
export function outcome(m: Measurements, specs: readonly ComparisonSpec[], extra: Pick<BenchOutcome, 'settings' | 'notes'> = {}): BenchOutcome {
  const comparisons = specs.map((s) => compare(m, s));
  if (m.rounds < MIN_ROUNDS) console.log(`\n  only ${m.rounds} processes per contender (BENCH_ROUNDS): not enough for a headline`);
  for (const c of comparisons) printComparison(c);
  for (const n of extra.notes ?? []) console.log(`  ${n}`);
  return { rounds: m.rounds, contenders: m.contenders.map(({ name, label, role }) => ({ name, label, role })), comparisons, ...extra };
}
