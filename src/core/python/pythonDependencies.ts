import { satisfiesPep440 } from './pep440';

/** A dependency marked as a Python package: `python:wandb>=0.17` (PEP 440 specifier). */
export const PYTHON_DEPENDENCY_PREFIX = 'python:';

export interface PythonDependency {
  raw: string;
  /** The distribution name as pip knows it. */
  name: string;
  /** PEP 440 specifier, '' for any version. */
  specifier: string;
}

export function isPythonDependency(raw: string): boolean {
  return raw.trim().startsWith(PYTHON_DEPENDENCY_PREFIX);
}

export function parsePythonDependency(raw: string): PythonDependency {
  const m = /^\s*python:\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*((?:~=|===|==|!=|<=|>=|<|>).*)?$/.exec(raw);
  if (!m) throw new Error(`Python dependency ${JSON.stringify(raw)} is not of the form "python:name>=1.0"`);
  return { raw, name: m[1]!, specifier: (m[3] ?? '').trim() };
}

/** The installed version of each distribution and, when the interpreter has `packaging`, its verdict. */
export interface ProbeResult {
  python: string;
  executable: string;
  packages: Record<string, { version: string | null; ok: boolean | null }>;
}

/**
 * Run by the chosen interpreter with the JSON of [[name, specifier], …] as its argument: importlib.metadata
 * for versions (no SDK is imported, so it takes milliseconds), and packaging's SpecifierSet for PEP 440
 * when the interpreter has it.
 */
export const PROBE_SCRIPT = `
import json, sys
from importlib import metadata
try:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version
except Exception:
    SpecifierSet = None
out = {"python": sys.version.split()[0], "executable": sys.executable, "packages": {}}
for name, spec in json.loads(sys.argv[1]):
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        out["packages"][name] = {"version": None, "ok": None}
        continue
    ok = None
    if SpecifierSet is not None:
        try:
            ok = SpecifierSet(spec).contains(Version(version), prereleases=None)
        except Exception:
            ok = None
    out["packages"][name] = {"version": version, "ok": ok}
print(json.dumps(out))
`;

export interface PythonDependencyProblem {
  dependency: string;
  reason: string;
  /** The command that fixes it, for the "run in a terminal" action. */
  fix: string;
}

export type ProbeRunner = (interpreter: string, args: readonly string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

export function pipInstallCommand(interpreter: string, deps: readonly PythonDependency[]): string {
  return [shellQuote(interpreter), '-m', 'pip', 'install', ...deps.map((d) => shellQuote(`${d.name}${d.specifier}`))].join(' ');
}

/**
 * Asks the interpreter which versions it has and checks them: a missing or too old package is a problem
 * whose text says what was found where, what is needed and the exact pip command.
 */
export async function checkPythonDependencies(
  interpreter: string,
  deps: readonly PythonDependency[],
  run: ProbeRunner,
): Promise<{ ok: boolean; problems: PythonDependencyProblem[]; found: Record<string, string | null> }> {
  if (deps.length === 0) return { ok: true, problems: [], found: {} };
  let probe: ProbeResult;
  const result = await run(interpreter, ['-c', PROBE_SCRIPT, JSON.stringify(deps.map((d) => [d.name, d.specifier]))]);
  try {
    if (result.code !== 0) throw new Error(result.stderr.trim().split('\n').at(-1) || `exit code ${result.code}`);
    probe = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as ProbeResult;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      problems: [{ dependency: deps.map((d) => d.raw).join(', '), reason: `${interpreter} could not be asked for its packages: ${why}`, fix: '' }],
      found: {},
    };
  }
  const problems: PythonDependencyProblem[] = [];
  const found: Record<string, string | null> = {};
  for (const dep of deps) {
    const got = probe.packages[dep.name];
    found[dep.name] = got?.version ?? null;
    const fix = pipInstallCommand(interpreter, [dep]);
    if (!got || got.version === null) {
      problems.push({ dependency: dep.raw, reason: `${dep.name} is not installed in ${interpreter}; ${dep.specifier || 'any version'} needed: ${fix}`, fix });
      continue;
    }
    const ok = got.ok ?? satisfiesPep440(got.version, dep.specifier);
    if (!ok) problems.push({ dependency: dep.raw, reason: `${dep.name} ${got.version} found in ${interpreter}, ${dep.specifier} needed: ${fix}`, fix });
  }
  return { ok: problems.length === 0, problems, found };
}
