// Mocha's JSON report (what the runner in code-server's extension host writes) printed the way its spec
// reporter prints to a terminal, since that host's own output reaches no terminal.
import * as fs from 'node:fs';

interface ReportTest {
  fullTitle: string;
  duration?: number;
  err: { message?: string; stack?: string };
}

export interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number; duration: number };
  tests: ReportTest[];
  failures: ReportTest[];
  pending: ReportTest[];
}

export function readReport(file: string): MochaReport | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as MochaReport;
  } catch {
    return undefined;
  }
}

/** One line per test in the order they ran, then each failure with its stack, then the counts. */
export function formatReport(report: MochaReport): string {
  const failed = new Set(report.failures.map((t) => t.fullTitle));
  const skipped = new Set(report.pending.map((t) => t.fullTitle));
  const lines: string[] = [];
  for (const t of report.tests) {
    const mark = failed.has(t.fullTitle) ? '✖' : skipped.has(t.fullTitle) ? '-' : '✔';
    lines.push(`  ${mark} ${t.fullTitle}${t.duration === undefined ? '' : ` (${t.duration} ms)`}`);
  }
  // A failing hook (before all, after each) is a failure that is not one of the tests.
  const ran = new Set(report.tests.map((t) => t.fullTitle));
  for (const t of report.failures) if (!ran.has(t.fullTitle)) lines.push(`  ✖ ${t.fullTitle}`);
  report.failures.forEach((t, i) => {
    lines.push('', `  ${i + 1}) ${t.fullTitle}:`, indent(t.err.stack ?? t.err.message ?? '(no error message)'));
  });
  const { passes, failures, pending, duration } = report.stats;
  lines.push('', `  ${passes} passing (${Math.round(duration / 1000)} s)${failures ? `, ${failures} failing` : ''}${pending ? `, ${pending} pending` : ''}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `     ${l}`)
    .join('\n');
}
