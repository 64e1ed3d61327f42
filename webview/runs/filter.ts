// Pure (no DOM): the Runs table's filter language. `lr < 0.01 and status = finished`, `command ~ resnet`,
// `not (status = failed or train/loss.min > 1)`, or bare words, which match a run's name, command or id.
//
//   expr    := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | '(' expr ')' | field op value | word
//   op      := = | != | < | <= | > | >= | ~ (contains) | !~ (does not contain)
//
// A field is `name`, `status`, `command`, `git`, `id`, `start` (ms since the epoch), `duration` (seconds), a param's
// name, or a metric's name (its last value; `<metric>.min`, `.max`, `.last` for the others). Numbers compare as
// numbers, anything else as text, case-insensitively. A run without the field matches no comparison.

export type FieldValue = string | number | boolean | null | undefined;

export type Filter = (field: (name: string) => FieldValue, words: string) => boolean;

type Token = { kind: 'word' | 'string' | 'op' | 'paren'; text: string; at: number };

const OPS = ['!=', '<=', '>=', '!~', '=', '<', '>', '~'];

export class FilterError extends Error {}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: 'paren', text: c, at: i++ });
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw new FilterError(`the text starting at ${i + 1} has no closing ${c}`);
      out.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()]/.test(text[j]!) && !OPS.some((o) => text.startsWith(o, j))) j++;
    out.push({ kind: 'word', text: text.slice(i, j), at: i });
    i = j;
  }
  return out;
}

function compare(op: string, actual: FieldValue, wanted: string): boolean {
  if (actual === undefined || actual === null) return op === '!=' || op === '!~';
  const asNumber = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : Number.NaN;
  const wantedNumber = wanted.trim() === '' ? Number.NaN : Number(wanted);
  const text = String(actual).toLowerCase();
  const want = wanted.toLowerCase();
  if (op === '~') return text.includes(want);
  if (op === '!~') return !text.includes(want);
  if (!Number.isNaN(asNumber) && !Number.isNaN(wantedNumber)) {
    switch (op) {
      case '=':
        return asNumber === wantedNumber;
      case '!=':
        return asNumber !== wantedNumber;
      case '<':
        return asNumber < wantedNumber;
      case '<=':
        return asNumber <= wantedNumber;
      case '>':
        return asNumber > wantedNumber;
      default:
        return asNumber >= wantedNumber;
    }
  }
  switch (op) {
    case '=':
      return text === want;
    case '!=':
      return text !== want;
    case '<':
      return text < want;
    case '<=':
      return text <= want;
    case '>':
      return text > want;
    default:
      return text >= want;
  }
}

/** Compiles a filter; an empty text matches every run. Throws a FilterError that says what is wrong and where. */
export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;

  function unary(): Filter {
    const t = peek();
    if (!t) throw new FilterError('the filter ends where a condition was expected');
    if (isWord(t, 'not')) {
      i++;
      const inner = unary();
      return (f, w) => !inner(f, w);
    }
    if (t.kind === 'paren' && t.text === '(') {
      i++;
      const inner = expr();
      const close = peek();
      if (close?.text !== ')') throw new FilterError(`the ( at ${t.at + 1} is not closed`);
      i++;
      return inner;
    }
    if (t.kind === 'op' || t.kind === 'paren') throw new FilterError(`unexpected ${t.text} at ${t.at + 1}`);
    i++;
    const op = peek();
    if (op?.kind === 'op') {
      i++;
      const value = peek();
      if (!value || value.kind === 'op' || value.kind === 'paren') throw new FilterError(`${t.text} ${op.text} needs a value`);
      i++;
      const field = t.text;
      return (f) => compare(op.text, f(field), value.text);
    }
    const word = t.text.toLowerCase();
    return (_f, words) => words.includes(word);
  }

  function and(): Filter {
    let left = unary();
    while (peek() && !isWord(peek(), 'or') && !(peek()!.kind === 'paren' && peek()!.text === ')')) {
      if (isWord(peek(), 'and')) i++;
      const right = unary();
      const l = left;
      left = (f, w) => l(f, w) && right(f, w);
    }
    return left;
  }

  function expr(): Filter {
    let left = and();
    while (isWord(peek(), 'or')) {
      i++;
      const right = and();
      const l = left;
      left = (f, w) => l(f, w) || right(f, w);
    }
    return left;
  }

  if (tokens.length === 0) return () => true;
  const filter = expr();
  if (i < tokens.length) throw new FilterError(`unexpected ${tokens[i]!.text} at ${tokens[i]!.at + 1}`);
  return filter;
}
