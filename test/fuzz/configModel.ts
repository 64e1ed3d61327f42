// Random plugin config schemas, kept as a model that knows what it means (defaults, required and secret fields),
// and written out as the shorthand field map or as full JSON Schema, as a plugin's configSchema may be.
import { validValue } from './configValues';
import type { Rng } from './harness';

interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: Pattern;
  format?: Format;
}

/** A pattern with a value it accepts and one it does not. */
interface Pattern {
  source: string;
  sample: (rng: Rng) => string;
  miss: string;
}

interface Format {
  name: string;
  sample: (rng: Rng) => string;
  miss: string;
}

type Field =
  | { kind: 'string'; rule: StringRule }
  | { kind: 'number' | 'integer'; minimum?: number; maximum?: number; exclusiveMinimum?: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: unknown[] }
  | { kind: 'object'; props: Prop[]; closed: boolean }
  | { kind: 'array'; items: Node; minItems?: number }
  | { kind: 'map'; values: Node }
  | { kind: 'union'; combinator: 'oneOf' | 'anyOf'; branches: Node[] };

/** A field of an object: its name, and what the config's author may say about it. */
export interface Prop {
  name: string;
  field: Node;
  required: boolean;
  default?: unknown;
}

/** Marks any node may carry: secret (a token), or null allowed. */
interface Marks {
  secret?: boolean;
  nullable?: boolean;
}

export type Node = Field & Marks;

// Names with characters a JSON Pointer must escape (`/`, `~`), and names that are schema keywords elsewhere.
const NAMES = [
  'url',
  'token',
  'timeout',
  'mode',
  'retries',
  'auth',
  'apiKey',
  'api_key',
  'tags',
  'headers',
  'port',
  'verbose',
  'name',
  'type',
  'items',
  'a/b',
  'x~y',
  '~1',
  'with space',
  'ünï',
  '0',
  'dotted.name',
  'default',
  'required',
];

const PATTERNS: Pattern[] = [
  { source: '^https?://', sample: (rng) => `http${rng.bool() ? 's' : ''}://h${rng.int(99)}.example.org/`, miss: 'ftp://x' },
  { source: '^[a-z]+$', sample: (rng) => 'abcdefgh'.slice(0, rng.between(1, 8)), miss: 'ABC-1' },
  { source: '^\\d{3}$', sample: (rng) => String(rng.between(100, 999)), miss: '12' },
];

const FORMATS: Format[] = [
  { name: 'uri', sample: (rng) => `https://example.org/p${rng.int(99)}?q=${rng.int(9)}`, miss: 'not a uri' },
  { name: 'email', sample: (rng) => `user${rng.int(99)}@example.org`, miss: 'nope' },
  { name: 'date', sample: (rng) => `2024-0${rng.between(1, 9)}-1${rng.int(10)}`, miss: '2024-13-45' },
  { name: 'ipv4', sample: (rng) => `10.0.${rng.int(256)}.${rng.int(256)}`, miss: '999.1.1.1' },
];

function stringRule(rng: Rng): StringRule {
  const rule: StringRule = {};
  const r = rng.int(5);
  if (r === 0) rule.pattern = rng.pick(PATTERNS);
  else if (r === 1) rule.format = rng.pick(FORMATS);
  else if (r === 2) {
    rule.minLength = rng.between(1, 4);
    if (rng.bool()) rule.maxLength = rule.minLength + rng.between(0, 8);
  }
  return rule;
}

function scalar(rng: Rng): Field {
  switch (rng.int(5)) {
    case 0:
      return { kind: 'string', rule: stringRule(rng) };
    case 1: {
      const minimum = rng.bool(0.6) ? rng.between(-5, 50) : undefined;
      const maximum = rng.bool(0.4) ? (minimum ?? 0) + rng.between(1, 100) : undefined;
      return { kind: rng.bool() ? 'number' : 'integer', minimum, maximum, exclusiveMinimum: minimum === undefined && rng.bool(0.2) ? 0 : undefined };
    }
    case 2:
      return { kind: 'boolean' };
    case 3:
      return { kind: 'enum', values: rng.pick([['fast', 'safe'], [1, 2, 3], ['a', 2, null], ['only']]) };
    default:
      return { kind: 'string', rule: {} };
  }
}

function field(rng: Rng, depth: number): Node {
  const r = rng.float();
  let f: Node;
  if (depth < 3 && r < 0.15) f = object(rng, depth + 1);
  else if (depth < 3 && r < 0.25) f = { kind: 'array', items: rng.bool(0.7) ? scalar(rng) : object(rng, depth + 1), minItems: rng.bool(0.2) ? 1 : undefined };
  else if (r < 0.29) f = { kind: 'map', values: rng.bool(0.4) ? { kind: 'string', rule: {}, secret: true } : scalar(rng) };
  else if (r < 0.34) f = { kind: 'union', combinator: rng.bool() ? 'oneOf' : 'anyOf', branches: union(rng) };
  else f = scalar(rng);
  // A token has no length, pattern or format rule here, so its value can be a unique string to look for.
  if (f.kind === 'string' && rng.bool(0.25)) f = { kind: 'string', rule: {}, secret: true };
  if (f.kind === 'array' && f.items.kind === 'string' && rng.bool(0.15)) f.items = { kind: 'string', rule: {}, secret: true };
  // Not objects: a shorthand object's fields are read as shorthand only when its type is "object".
  if (f.kind !== 'enum' && f.kind !== 'union' && f.kind !== 'object' && rng.bool(0.08)) f.nullable = true;
  return f;
}

/** Branches of distinct types, so that a value of one matches that one only: a string (maybe secret), a number, an object. */
function union(rng: Rng): Node[] {
  const all: Node[] = [
    { kind: 'string', rule: {}, secret: rng.bool(0.3) },
    { kind: 'number' },
    { kind: 'object', props: [{ name: 'id', field: { kind: 'integer' }, required: true }], closed: true },
  ];
  return rng.bool()
    ? all
    : rng.pick([
        [all[0]!, all[1]!],
        [all[0]!, all[2]!],
        [all[1]!, all[2]!],
      ]);
}

export function object(rng: Rng, depth: number): Field & { kind: 'object' } {
  const props: Prop[] = [];
  const used = new Set<string>();
  for (let n = rng.between(depth === 0 ? 1 : 0, 5); n > 0; n--) {
    const name = rng.pick(NAMES);
    if (used.has(name)) continue;
    used.add(name);
    const f = field(rng, depth);
    const prop: Prop = { name, field: f, required: rng.bool(0.3) };
    if (rng.bool(0.3)) prop.default = validValue(rng, f);
    props.push(prop);
  }
  return { kind: 'object', props, closed: rng.bool(0.3) };
}
