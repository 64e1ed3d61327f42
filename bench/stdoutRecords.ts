// What each side of the stdout benchmark found in the same log: records per metric name, whether the
// two agree (the same lines with the same values, then the same steps), and where they do not, a few
// of the lines.
import * as fs from 'node:fs';

/** [line, name, value, step] as the workers write them; non-finite values as strings, no step as null. */
type Row = [number, string, number | string, number | null];

/** Per metric name, per `line\tvalue`: how many records, and the step of the first. */
type Records = Map<string, Map<string, { n: number; step: number | null }>>;

function read(file: string): Records {
  const byName: Records = new Map();
  for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
    if (text === '') continue;
    const [line, name, value, step] = JSON.parse(text) as Row;
    const keys = byName.get(name) ?? new Map();
    const key = `${line}\t${value}`;
    const seen = keys.get(key);
    if (seen) seen.n++;
    else keys.set(key, { n: 1, step });
    byName.set(name, keys);
  }
  return byName;
}

const count = (n: number): string => n.toLocaleString('en-US');
const total = (m: Map<string, { n: number }> | undefined): number => [...(m?.values() ?? [])].reduce((s, r) => s + r.n, 0);

/** Records in `a` that `b` does not have, as [line, value] (a multiset difference). */
function missing(a: Map<string, { n: number }> | undefined, b: Map<string, { n: number }> | undefined): [number, string][] {
  const out: [number, string][] = [];
  for (const [key, { n }] of a ?? []) {
    const extra = n - (b?.get(key)?.n ?? 0);
    const [line, value] = key.split('\t') as [string, string];
    for (let i = 0; i < extra; i++) out.push([Number(line), value]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/** Markdown lines for the docs and the console; `ours` and `peer` are [label, records file], the log gives example lines' text. */
export function compareRecords(logTitle: string, logFile: string, ours: [string, string], peer: [string, string], maxRows = 12): string[] {
  const a = read(ours[1]);
  const b = read(peer[1]);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort(
    (x, y) => total(a.get(y)) + total(b.get(y)) - total(a.get(x)) - total(b.get(x)) || x.localeCompare(y),
  );
  const logLines = fs.readFileSync(logFile, 'utf8').split('\n');
  /** The line as the terminal shows it: of a line redrawn with \r, the drawing that names the metric. */
  const show = (line: number, name: string): string => {
    const drawings = (logLines[line - 1] ?? '')
      .split('\r')
      .map((d) => d.trim())
      .filter((d) => d !== '');
    const text = JSON.stringify(drawings.find((d) => d.includes(name)) ?? drawings.pop() ?? '');
    return text.length > 110 ? `${text.slice(0, 107)}…"` : text;
  };
  const rows: string[] = [];
  const examples: string[] = [];
  let agreeing = 0;
  let both = 0;
  let sameStep = 0;
  let stepExample = '';
  for (const name of names) {
    for (const [key, r] of a.get(name) ?? []) {
      const other = b.get(name)?.get(key);
      if (!other) continue;
      both++;
      if (other.step === r.step) sameStep++;
      else if (!stepExample) {
        const line = Number(key.split('\t')[0]);
        stepExample = `- \`${name}\` from line ${line} (\`${show(line, name)}\`): step ${r.step ?? 'none'} for ${ours[0]}, ${other.step ?? 'none'} for ${peer[0]}`;
      }
    }
    const onlyOurs = missing(a.get(name), b.get(name));
    const onlyPeer = missing(b.get(name), a.get(name));
    const agree = onlyOurs.length === 0 && onlyPeer.length === 0;
    if (agree) agreeing++;
    if (rows.length < maxRows)
      rows.push(
        `| \`${name}\` | ${count(total(a.get(name)))} | ${count(total(b.get(name)))} | ${agree ? 'yes' : `no: ${count(onlyOurs.length)} only ${ours[0]}, ${count(onlyPeer.length)} only ${peer[0]}`} |`,
      );
    for (const [side, diff] of [
      [peer[0], onlyPeer],
      [ours[0], onlyOurs],
    ] as const) {
      const first = diff[0];
      if (first && examples.length < 6) examples.push(`- only ${side}: \`${name}\` = ${first[1]} from line ${first[0]}: \`${show(first[0], name)}\``);
    }
  }
  const lines = [
    `Records found in ${logTitle}: ${ours[0]} ${count(names.reduce((s, n) => s + total(a.get(n)), 0))}, ${peer[0]} ${count(names.reduce((s, n) => s + total(b.get(n)), 0))}; they agree (the same lines, the same values) on ${agreeing} of ${names.length} metric names${both > 0 ? `, and give ${count(sameStep)} of the ${count(both)} records both found the same step` : ''}.`,
    '',
    `| metric | ${ours[0]} | ${peer[0]} | agree |`,
    '|---|---|---|---|',
    ...rows,
  ];
  if (names.length > maxRows) lines.push(`| (${names.length - maxRows} more names) | | | |`);
  if (stepExample) examples.push(stepExample);
  if (examples.length > 0) lines.push('', 'Where they disagree, for example:', '', ...examples);
  return lines;
}
