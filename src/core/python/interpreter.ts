import * as path from 'node:path';

/** Where the Python a plugin uses came from, in the order they are tried. */
export type InterpreterSource = 'tracelet.python.interpreter' | 'Python extension' | 'workspace virtual environment' | 'PATH';

export interface Interpreter {
  path: string;
  source: InterpreterSource;
}

/** What resolution looks at; the adapter and the tests supply these. */
export interface InterpreterProbes {
  /** `tracelet.python.interpreter` as the user or machine set it (never a workspace value). */
  setting(): string | undefined;
  /** The interpreter selected in the Python extension (ms-python.python), through its public API; undefined without it. */
  pythonExtension(): Promise<string | undefined>;
  trusted: boolean;
  workspaceFolders: readonly string[];
  isFile(file: string): boolean;
  /** The full path of a command on PATH, or undefined. */
  which(command: string): string | undefined;
  platform?: NodeJS.Platform;
}

export type InterpreterResult = { ok: true; interpreter: Interpreter } | { ok: false; problem: string };

/**
 * The Python that starts a plugin's bridge: `tracelet.python.interpreter`, else the Python extension's
 * selection, else the workspace's `.venv`/`venv` (in a trusted folder), else `python3` on PATH. In an
 * untrusted folder neither the Python extension (whose choice can come from the folder's settings) nor the
 * folder's virtual environment is used: a cloned folder must not choose the program Tracelet starts.
 */
export async function resolveInterpreter(probes: InterpreterProbes): Promise<InterpreterResult> {
  const windows = (probes.platform ?? process.platform) === 'win32';
  const setting = probes.setting()?.trim();
  if (setting) {
    if (!probes.isFile(setting)) return { ok: false, problem: `tracelet.python.interpreter is "${setting}", which is not a file; fix the setting or clear it` };
    return { ok: true, interpreter: { path: setting, source: 'tracelet.python.interpreter' } };
  }
  if (probes.trusted) {
    const selected = (await probes.pythonExtension().catch(() => undefined))?.trim();
    if (selected && probes.isFile(selected)) return { ok: true, interpreter: { path: selected, source: 'Python extension' } };
    for (const folder of probes.workspaceFolders) {
      for (const venv of ['.venv', 'venv']) {
        const candidate = windows ? path.join(folder, venv, 'Scripts', 'python.exe') : path.join(folder, venv, 'bin', 'python');
        if (probes.isFile(candidate)) return { ok: true, interpreter: { path: candidate, source: 'workspace virtual environment' } };
      }
    }
  }
  for (const command of windows ? ['python', 'py'] : ['python3', 'python']) {
    const found = probes.which(command);
    if (found) return { ok: true, interpreter: { path: found, source: 'PATH' } };
  }
  return {
    ok: false,
    problem: `no Python found: set tracelet.python.interpreter, select one in the Python extension${probes.trusted ? ', create a .venv in the workspace' : ''}, or put python3 on PATH`,
  };
}

/** `command` on PATH, as a shell would find it. */
export function whichOnPath(command: string, isFile: (file: string) => boolean, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of dirs) for (const ext of exts) if (isFile(path.join(dir, command + ext))) return path.join(dir, command + ext);
  return undefined;
}
