/** Splits a shell command line into words the way a POSIX shell would for simple commands (quotes and backslashes; no expansion). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ((c === ';' || c === '|' || c === '&') && !inWord) {
      words.push(c);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export type ParamValue = string | number | boolean;

function typed(raw: string): ParamValue {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
  return raw;
}

const LAUNCHERS = new Set([
  'python',
  'python3',
  'torchrun',
  'accelerate',
  'deepspeed',
  'lightning',
  'uv',
  'poetry',
  'pipenv',
  'conda',
  'env',
  'time',
  'nohup',
  'srun',
  'mpirun',
  'horovodrun',
]);
/** Launcher options that take a value, so that value is not mistaken for a param of the script. */
const LAUNCHER_VALUE_OPTIONS = new Set([
  '-m',
  '-c',
  '-W',
  '-X',
  '--nproc_per_node',
  '--nproc-per-node',
  '--nnodes',
  '--node_rank',
  '--master_addr',
  '--master_port',
  '--config_file',
  '--num_processes',
  '--num_gpus',
  '--hostfile',
  '--include',
]);

/**
 * The script's own parameters from a training command line: `--lr 0.001`,
 * `--epochs=10`, `--fp16` (true), Hydra overrides `lr=0.1`, `+trainer.devices=2`.
 * Values become numbers or booleans where they read as such. Launcher options
 * (python, torchrun, accelerate launch …) before the script are skipped.
 */
export function parseCommandParams(commandLine: string): Record<string, ParamValue> {
  const words = splitCommandLine(commandLine);
  const end = words.findIndex((w) => w === ';' || w === '|' || w === '&' || w === '&&' || w === '||');
  const args = end >= 0 ? words.slice(0, end) : words;
  let i = 0;
  while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]!)) i++;
  // Skip launchers, their options, and the script or module name.
  while (i < args.length) {
    const w = args[i]!;
    const base = w.split('/').pop()!;
    if (LAUNCHERS.has(base) || /^python\d(\.\d+)?$/.test(base) || w === 'launch' || w === 'run') i++;
    else if (LAUNCHER_VALUE_OPTIONS.has(w)) {
      if (w === '-m') {
        i += 2;
        break;
      }
      i += 2;
    } else if (w.startsWith('-')) i++;
    else {
      i++;
      break;
    }
  }
  const params: Record<string, ParamValue> = {};
  for (; i < args.length; i++) {
    const w = args[i]!;
    const long = /^--?([A-Za-z][\w.-]*)(?:=(.*))?$/.exec(w);
    if (long && w.startsWith('--')) {
      const key = long[1]!.replace(/-/g, '_');
      if (long[2] !== undefined) params[key] = typed(long[2]);
      else if (i + 1 < args.length && !args[i + 1]!.startsWith('--') && !/^[+~]?[A-Za-z_][\w.]*=/.test(args[i + 1]!)) params[key] = typed(args[++i]!);
      else params[key] = true;
      continue;
    }
    const override = /^[+~]{0,2}([A-Za-z_][\w.\-/]*)=(.*)$/.exec(w);
    if (override && !w.startsWith('~')) params[override[1]!] = typed(override[2]!);
  }
  return params;
}

/** The script a command runs (`train.py`, `pkg.train` for `-m`), for naming runs. */
export function scriptName(commandLine: string): string | undefined {
  const words = splitCommandLine(commandLine);
  const m = words.indexOf('-m');
  if (m >= 0 && words[m + 1]) return words[m + 1];
  return words
    .find((w) => /\.(py|sh|ipynb)$/.test(w))
    ?.split('/')
    .pop();
}
