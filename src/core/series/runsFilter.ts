import type { RunSummary } from './runSummaries';
import { cellOf, columnsOf, METRIC_STATS, RUN_FIELDS, type Cell, type MetricStat, type RunColumn, type RunField } from './runsTable';

/**
 * The runs table's filter language (README, "Runs table filter"):
 *
 *   expr       := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | '(' expr ')' | comparison
 *   comparison := operand op operand          op := = | != | < | <= | > | >= | ~
 *   operand    := number | 'text' | "text" | name | `any name`
 *
 * A name is a column: a field (name, status, start, end, duration in seconds, command, branch,
 * commit, dirty, id), `params.<p>` or a bare param name, `<metric>.last|min|max|count` (also with
 * a `metrics.` prefix). Fields come first: a param called `status` is `params.status`. A name that
 * is no column is a word (`status = finished`), except on the left, where it is an error naming it.
 * Keywords are case-insensitive. `=`, `!=` and `~` (contains) ignore case; `<`… compare numbers as
 * numbers (text that reads as a number too, and dates in quotes against start and end), else text.
 * A run without the column's value matches only `!=`.
 */

export class FilterError extends Error {
  constructor(
    /** Where in the text (0-based) the problem is. */
    readonly position: number,
    /** What was expected there, or what is wrong. */
    readonly expected: string,
  ) {
    super(`at ${position + 1}: ${expected}`);
    this.name = 'FilterError';
  }
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'str'; value: string; at: number }
  | { kind: 'name'; value: string; quoted: boolean; at: number }
  | { kind: 'op'; value: Op; at: number }
  | { kind: 'paren'; value: '(' | ')'; at: number }
  | { kind: 'end'; at: number };
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_./:@-]/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', value: two, at });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>' || c === '~') {
      tokens.push({ kind: 'op', value: c === '=' && text[i + 1] === '=' ? '=' : c, at });
      i += c === '=' && text[i + 1] === '=' ? 2 : 1;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: 'paren', value: c, at });
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new FilterError(at, `a closing ${c} for the text that starts here`);
      i++;
      tokens.push(c === '`' ? { kind: 'name', value, quoted: true, at } : { kind: 'str', value, at });
    } else if (NUMBER.test(text.slice(i)) && (c !== '-' || /[\d.]/.test(text[i + 1] ?? ''))) {
      const m = NUMBER.exec(text.slice(i))!;
      // A number runs into a name (`1e`…, `2x`): it is not a number.
      if (NAME_START.test(text[i + m[0].length] ?? ''))
        throw new FilterError(at, `a number, a name or a quoted text; "${text.slice(i, i + m[0].length + 1)}" is none`);
      tokens.push({ kind: 'num', value: Number(m[0]), at });
      i += m[0].length;
    } else if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i]!)) i++;
      tokens.push({ kind: 'name', value: text.slice(at, i), quoted: false, at });
    } else throw new FilterError(at, `a name, a number, a quoted text, an operator (= != < <= > >= ~) or a parenthesis, not "${c}"`);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

type Operand = { kind: 'column'; column: RunColumn } | { kind: 'literal'; value: number | string };
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode }
  | { kind: 'cmp'; op: Op; left: Operand; right: Operand };

const FIELDS = new Set<string>(RUN_FIELDS);
const STATS = new Set<string>(METRIC_STATS);

/** Resolves a name against the columns the runs have; undefined when it names none. */
function resolve(name: string, params: Set<string>, metrics: Set<string>): RunColumn | undefined {
  if (FIELDS.has(name)) return { kind: 'field', field: name as RunField };
  if (name.startsWith('params.') && params.has(name.slice(7))) return { kind: 'param', name: name.slice(7) };
  const dot = name.lastIndexOf('.');
  if (dot > 0 && STATS.has(name.slice(dot + 1))) {
    let metric = name.slice(0, dot);
    if (!metrics.has(metric) && metric.startsWith('metrics.')) metric = metric.slice(8);
    if (metrics.has(metric)) return { kind: 'metric', name: metric, stat: name.slice(dot + 1) as MetricStat };
  }
  if (params.has(name)) return { kind: 'param', name };
  return undefined;
}

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly params: Set<string>,
    private readonly metrics: Set<string>,
  ) {}

  parse(): FilterNode {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new FilterError(t.at, `"and", "or" or the end of the filter, not ${describe(t)}`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private keyword(word: string): boolean {
    const t = this.peek();
    if (t.kind === 'name' && !t.quoted && t.value.toLowerCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): FilterNode {
    if (this.keyword('not')) return { kind: 'not', inner: this.unary() };
    const t = this.peek();
    if (t.kind === 'paren' && t.value === '(') {
      this.i++;
      const inner = this.or();
      const close = this.peek();
      if (close.kind !== 'paren' || close.value !== ')') throw new FilterError(close.at, `")" to close the "(" at ${t.at + 1}, not ${describe(close)}`);
      this.i++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const start = this.peek();
    const left = this.operand(true);
    const opToken = this.peek();
    if (opToken.kind !== 'op') throw new FilterError(opToken.at, `an operator (= != < <= > >= ~) after ${describe(start)}, not ${describe(opToken)}`);
    this.i++;
    const right = this.operand(false, opToken);
    return { kind: 'cmp', op: opToken.value, left, right };
  }

  private operand(left: boolean, after?: Token): Operand {
    const t = this.peek();
    if (t.kind === 'num' || t.kind === 'str') {
      this.i++;
      return { kind: 'literal', value: t.value };
    }
    if (t.kind === 'name') {
      this.i++;
      const column = resolve(t.value, this.params, this.metrics);
      if (column) return { kind: 'column', column };
      if (left || t.quoted)
        throw new FilterError(t.at, `a column name; "${t.value}" is no field, param or metric statistic (e.g. status, lr, params.lr, loss.last)`);
      return { kind: 'literal', value: t.value };
    }
    throw new FilterError(
      t.at,
      left
        ? `a column name or "(", not ${describe(t)}`
        : `a value (a number, a quoted text or a name) after "${(after as { value: string }).value}", not ${describe(t)}`,
    );
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the filter';
  if (t.kind === 'str') return `"${t.value}"`;
  return `"${t.value}"`;
}

/** Parses a filter against the columns the runs have; throws a FilterError naming the position and what was expected there. */
export function parseFilter(text: string, runs: readonly RunSummary[]): FilterNode {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const c of columnsOf(runs)) {
    if (c.kind === 'param') params.add(c.name);
    else if (c.kind === 'metric') metrics.add(c.name);
  }
  return new Parser(tokenize(text), params, metrics).parse();
}

/** A number from a cell or literal: numbers, booleans, and text that reads wholly as a number. */
function asNumber(v: Cell, dateOk: boolean): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isNaN(n)) return n;
  if (dateOk) {
    const d = Date.parse(v);
    if (!Number.isNaN(d)) return d;
  }
  return undefined;
}

function compare(op: Op, a: Cell, b: Cell, dates: boolean): boolean {
  if (a === undefined || b === undefined) return op === '!=';
  if (op === '~') return String(a).toLowerCase().includes(String(b).toLowerCase());
  const x = asNumber(a, dates);
  const y = asNumber(b, dates);
  let order: number;
  if (x !== undefined && y !== undefined) {
    if (op === '=' || op === '!=') return (x === y) === (op === '=');
    order = x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  } else {
    const s = String(a).toLowerCase();
    const t = String(b).toLowerCase();
    if (op === '=' || op === '!=') return (s === t) === (op === '=');
    order = s < t ? -1 : s > t ? 1 : 0;
  }
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

const isTimeColumn = (o: Operand): boolean => o.kind === 'column' && o.column.kind === 'field' && (o.column.field === 'start' || o.column.field === 'end');

/** A parsed filter as a predicate over runs. */
export function compileFilter(node: FilterNode, now = Date.now()): (run: RunSummary) => boolean {
  switch (node.kind) {
    case 'and': {
      const [l, r] = [compileFilter(node.left, now), compileFilter(node.right, now)];
      return (run) => l(run) && r(run);
    }
    case 'or': {
      const [l, r] = [compileFilter(node.left, now), compileFilter(node.right, now)];
      return (run) => l(run) || r(run);
    }
    case 'not': {
      const inner = compileFilter(node.inner, now);
      return (run) => !inner(run);
    }
    case 'cmp': {
      const { op, left, right } = node;
      const dates = isTimeColumn(left) || isTimeColumn(right);
      const value = (o: Operand) => (o.kind === 'literal' ? () => o.value : (run: RunSummary) => cellOf(run, o.column, now));
      const [l, r] = [value(left), value(right)];
      return (run) => compare(op, l(run), r(run), dates);
    }
  }
}

/** The runs a filter text keeps (all of them for a blank text); throws a FilterError for a text that does not parse. */
export function filterRuns(runs: readonly RunSummary[], text: string, now = Date.now()): RunSummary[] {
  if (text.trim() === '') return [...runs];
  const keep = compileFilter(parseFilter(text, runs), now);
  return runs.filter(keep);
}
