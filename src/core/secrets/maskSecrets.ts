// Pure: secrets typed on a command line or found in params are masked before anything is stored or sent.

export const MASK = '********';

/** Option and param names whose value is a secret, compared lower-case with `-` read as `_` (`--sort-key` is not one, `--key` is). */
const SECRET_NAME =
  /(^|_)(api_?key|apikey|access_?key(_id)?|secret_?(access_?)?key|private_?key|client_?secret|token|secret|password|passwd|passphrase|credentials?|auth)$|^key$/;
/** Environment-style names (upper case) ending in `_KEY` are secrets too: `OPENAI_API_KEY`, `AWS_SECRET_ACCESS_KEY`. */
const SECRET_ENV = /(^|_)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIALS?|AUTH)$/;

/** True for `--api-key`, `token`, `db.password`, `HF_TOKEN`, `AWS_SECRET_ACCESS_KEY`: names whose values must not be kept. */
export function looksSecret(name: string): boolean {
  const bare = name.replace(/^[-+~]+/, '');
  if (/^[A-Z][A-Z0-9_]*$/.test(bare) && SECRET_ENV.test(bare)) return true;
  const last = bare.split('.').pop() ?? bare;
  return SECRET_NAME.test(last.toLowerCase().replace(/-/g, '_'));
}

interface Word {
  start: number;
  end: number;
  text: string;
}

/** The words of a command line with their places in it, unquoted as a POSIX shell reads simple commands. */
function words(line: string): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    let text = '';
    let quote: string | undefined;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"' && i + 1 < line.length) text += line[++i];
        else text += c;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '\\' && i + 1 < line.length) text += line[++i];
      else if (/\s/.test(c)) break;
      else text += c;
    }
    out.push({ start, end: i, text });
  }
  return out;
}

/** Replaces every occurrence of each known secret value (longest first, so one inside another is covered). */
export function maskKnown(text: string, known: Iterable<string>): string {
  let out = text;
  for (const secret of [...new Set(known)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}

/** Passwords in URLs (`https://user:pw@host`) and bearer tokens (`Authorization: Bearer x`), wherever they are. */
export function maskInline(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${MASK}@`)
    .replace(/\b(bearer|basic|token)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${MASK}`);
}

/**
 * The command line with the values of secret-looking options (`--api-key sk-…`, `--token=…`), variable
 * assignments (`WANDB_API_KEY=… python train.py`, Hydra `db.password=…`), URL passwords, bearer tokens
 * and every `known` secret value replaced by MASK. Quoting and spacing are kept, so what is stored still
 * reads as the command that ran.
 */
export function maskCommandLine(line: string, known: Iterable<string> = []): string {
  const ws = words(line);
  const spans: [number, number][] = [];
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k]!;
    const eq = w.text.indexOf('=');
    if (eq > 0) {
      if (!looksSecret(w.text.slice(0, eq))) continue;
      // The value starts after the first '=' of the raw word, quotes included.
      spans.push([line.indexOf('=', w.start) + 1, w.end]);
    } else if (/^--?[A-Za-z]/.test(w.text) && looksSecret(w.text)) {
      const next = ws[k + 1];
      if (next && !next.text.startsWith('-')) {
        spans.push([next.start, next.end]);
        k++;
      }
    }
  }
  let out = '';
  let at = 0;
  for (const [from, to] of spans) {
    if (to <= from) continue;
    out += line.slice(at, from) + MASK;
    at = to;
  }
  out += line.slice(at);
  return maskKnown(maskInline(out), known);
}

/** Params with secret-looking names masked, and known secret values masked in every string value. */
export function maskParams(params: Record<string, unknown>, known: Iterable<string> = []): Record<string, unknown> {
  const knownList = [...known];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (looksSecret(key) && value !== undefined && value !== null && value !== '' && typeof value !== 'boolean') out[key] = MASK;
    else out[key] = typeof value === 'string' ? maskKnown(maskInline(value), knownList) : value;
  }
  return out;
}

/**
 * A fragment of every name SECRET_NAME and SECRET_ENV match, and of what maskInline looks for: a
 * text with none of them holds nothing maskCommandLine masks but known values.
 */
const MAY_HOLD_SECRET = /key|token|secret|passw|passphrase|credential|auth|:\/\/|bearer|basic/i;

/** maskCommandLine for a line a program printed: most lines hold no such word and cost one search. */
export function maskOutputLine(line: string, known: readonly string[] = []): string {
  if (MAY_HOLD_SECRET.test(line)) return maskCommandLine(line, known);
  return known.length > 0 && known.some((s) => line.includes(s)) ? maskKnown(line, known) : line;
}
