import { ROLE_EPOCH, ROLE_METRIC, ROLE_STEP, type KeyRole } from './keys';
import { scanHeaderNumber } from './headerNumber';
import { NumberSlot, scanNumber } from './numbers';

/** Lines longer than this are read from scratch every time (and remembering one costs its length in memory). */
const MAX_LENGTH = 512;
const MAX_VALUES = 64;
/** Characters of a line's start (before its first digit) that choose where its shape is looked up. */
const KEY_LENGTH = 8;
const SETS = 64;
/**
 * Shapes kept per set. With 4, the shapes of one start (a JSON line per step in several forms, lines
 * whose strings hold digits that are never seen again) and of starts that share a set pushed each other
 * out, and each such line was read from scratch and copied again (see the parse README's Speed section).
 */
const WAYS = 8;

// How a piece of a shape is read (see LineShape.slots).
const NUMBER = 0;
const HEADER_NUMBER = 1;
const NUMBER_PERCENT = 2;
const OTHER_DIGITS = 3;

const num = new NumberSlot();

/**
 * A line that gave values, kept so that the next line of the same shape is
 * read by comparing characters instead of running the recognisers again.
 *
 * Same shape means the same characters, except that each value may be any
 * number that starts like the remembered one (a digit in both, or the same
 * character: see sameStart) and ends where it did (before the same
 * character; a `%` at its end in both or in neither), and each other run of
 * digits may be any run of digits, unless it is part of a name. Why this is
 * safe: the recognisers decide on the classes of the characters around a
 * value (separators, letters, quotes, brackets, digits, what follows) and on
 * its first character, never on which digits a number has, so such a line
 * reads exactly as the remembered one did, with its own numbers. A name's
 * digits are its text, so they must be equal, and a line whose name takes
 * in a value is not kept. A line read as JSON keeps all its digits (its
 * names join keys, so where they stand is not known). A header's epoch or
 * step is read with `scanHeaderNumber`, as `readHeader` reads it.
 */
export class LineShape {
  constructor(
    readonly key: number,
    /** The remembered line's characters. */
    readonly codes: readonly number[],
    /**
     * The pieces read rather than compared, by position, four numbers each:
     * start and end in `codes`, how it is read (NUMBER...), and for a value
     * its place in the order the recognisers reported them (-1 for other digits).
     */
    readonly slots: readonly number[],
    /** In reported order: the name (empty for a header's). */
    readonly names: readonly string[],
    /**
     * Where, in reported order, the metrics stand (those whose names are not ignored: see LineShapes' `ignored`),
     * and the step and epoch that count (the last of each; -1: none).
     */
    readonly metrics: readonly number[],
    readonly stepAt: number,
    readonly epochAt: number,
    /** Whether the line was read as `name: value`/`name=value` pairs, which may take the step of the line before. */
    readonly takesStep: boolean,
    /** Whether the line is nothing but a step, which the lines after it take (StepCarry.alone). */
    readonly stepAlone: boolean,
  ) {}
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether a value starting with `c` may stand where one starting with
 * `remembered` did: both digits, or the same character. Recognisers look
 * at a value's first character: a header's number must start with a digit
 * (`epoch = .5` is a pair, `epoch = 1.5` a header), and a dict
 * value starting with a letter may be a call (`nan(7)` reads 7, `5(7)`
 * reads 5).
 */
function sameStart(c: number, remembered: number): boolean {
  return c === remembered || (isDigit(c) && isDigit(remembered));
}

/** Index after the digits at text[i..to), or -1 when there are none. */
function digitsEnd(text: string, i: number, to: number): number {
  const from = i;
  while (i < to && isDigit(text.charCodeAt(i))) i++;
  return i > from ? i : -1;
}

/**
 * Where a line's shape is looked up: a hash of its first characters before any digit, 0 or more (-1
 * stands for a key not computed). The line starts at text[start] and ends at a `\r` or `\n` or at
 * `end`, whichever comes first (a line holds neither).
 */
export function shapeKey(text: string, start: number, end: number): number {
  const stop = Math.min(end, start + KEY_LENGTH);
  let h = 0;
  for (let i = start; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c <= 57 && (c >= 48 || c === 10 || c === 13)) break;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h & 0x7fffffff;
}

/** The class of a line's first character in LineShapes' `firsts`: one for the digits, which a value may start with. */
function firstClass(c: number): number {
  return c >= 48 && c <= 57 ? 48 : c & 255;
}

function setOf(key: number): number {
  return ((key ^ (key >>> 11)) & (SETS - 1)) * WAYS;
}

/**
 * The shapes of recent lines that gave values (a set-associative cache:
 * 64 sets of 8, most recently used first), and the values of the line last
 * matched. While a line is read from scratch, the parser notes each value
 * here (`note`), and `remember` keeps the line's shape.
 */
export class LineShapes {
  private readonly table: (LineShape | undefined)[] = new Array<LineShape | undefined>(SETS * WAYS).fill(undefined);
  /** The matched line's values, in reported order (a typed array: a double is stored without a box). */
  readonly values = new Float64Array(MAX_VALUES);

  // The values noted for the line being read from scratch, in reported order.
  private readonly noteNames: string[] = [];
  private readonly noteRoles: KeyRole[] = [];
  private readonly noteStarts: number[] = [];
  private readonly noteEnds: number[] = [];
  private readonly noteHow: number[] = [];
  private readonly noteNameAt: number[] = [];
  private readonly noteNameEnd: number[] = [];
  private noted = 0;
  private namesKnown = true;
  /** Per set, the key of the last line with values read from scratch there. */
  private readonly lastFresh = new Int32Array(SETS);
  /**
   * How many kept shapes a line may start with a character of each class (firstClass): a line whose
   * first character no shape allows is not looked up (most lines that give nothing, so no key is hashed
   * for them).
   */
  private readonly firsts = new Int32Array(256);

  /** `ignored`: whether the reader reports no metric of this name, asked once per shape rather than per value read. */
  constructor(private readonly ignored: (name: string) => boolean) {}

  /** Whether a kept shape may fit a line that starts with the character `c`. */
  mayStart(c: number): boolean {
    return this.firsts[firstClass(c)] !== 0;
  }

  /**
   * Where the line `find` read last ends: `end`, or with `open`, the index of the `\r` or `\n` after it.
   */
  lineEnd = -1;

  /**
   * The shape of the line at text[start] among those kept, with the line's values in `values`;
   * undefined when none fits. The line is text[start, end); or, with `open`, it ends at the first
   * `\n` (or `\r\n`) before `end` (`lineEnd`), and is one only when it holds no other `\r` and no
   * escape, which no remembered line does.
   */
  find(key: number, text: string, start: number, end: number, open: boolean): LineShape | undefined {
    const table = this.table;
    const base = setOf(key);
    for (let w = 0; w < WAYS; w++) {
      const shape = table[base + w];
      if (shape === undefined) return undefined;
      if (shape.key === key && this.match(shape, text, start, end, open)) {
        for (let k = w; k > 0; k--) table[base + k] = table[base + k - 1];
        table[base] = shape;
        return shape;
      }
    }
    return undefined;
  }

  /**
   * Whether the line at text[start] has this shape (see find). Reads stop before `end`; a line that
   * ends at a `\r` or `\n` reads alike however far `end` lies beyond it, as neither can continue a
   * number or match a remembered character.
   */
  private match(shape: LineShape, text: string, start: number, end: number, open: boolean): boolean {
    const codes = shape.codes;
    const slots = shape.slots;
    let i = start;
    let t = 0;
    for (let s = 0; s < slots.length; s += 4) {
      const literalEnd = slots[s]!;
      if (i + (literalEnd - t) > end) return false;
      for (; t < literalEnd; t++, i++) if (text.charCodeAt(i) !== codes[t]) return false;
      const how = slots[s + 2]!;
      let after: number;
      if (how === NUMBER || how === NUMBER_PERCENT) {
        if (!sameStart(text.charCodeAt(i), codes[t]!)) return false;
        after = scanNumber(text, i, end, num);
        if (after < 0 || (text.charCodeAt(after - 1) === 37) /* % */ !== (how === NUMBER_PERCENT)) return false;
      } else {
        after = how === HEADER_NUMBER ? scanHeaderNumber(text, i, end, num) : digitsEnd(text, i, end);
        if (after < 0) return false;
      }
      const r = slots[s + 3]!;
      if (r >= 0) this.values[r] = num.value;
      i = after;
      t = slots[s + 1]!;
    }
    if (i + (codes.length - t) > end) return false;
    for (; t < codes.length; t++, i++) if (text.charCodeAt(i) !== codes[t]) return false;
    if (open) {
      // The line must end here: at a `\n`, or at the `\r` of `\r\n`.
      const c = i < end ? text.charCodeAt(i) : -1;
      if (c !== 10 && (c !== 13 || i + 1 >= end || text.charCodeAt(i + 1) !== 10)) return false;
    } else if (i !== end) return false;
    this.lineEnd = i;
    return true;
  }

  /** Starts noting the values of a line read from scratch. */
  startLine(): void {
    this.noted = 0;
    this.namesKnown = true;
  }

  /** A pair the recognisers reported, its value at text[start, end) (see PairSink). */
  notePair(name: string, role: KeyRole, start: number, end: number, nameAt: number, nameEnd: number): void {
    if (nameAt < 0) this.namesKnown = false;
    this.note(name, role, start, end, NUMBER, nameAt, nameEnd);
  }

  /** A header's epoch or step, its number at text[start, end). */
  noteHeader(role: KeyRole, start: number, end: number): void {
    this.note('', role, start, end, HEADER_NUMBER, start, start);
  }

  private note(name: string, role: KeyRole, start: number, end: number, how: number, nameAt: number, nameEnd: number): void {
    const k = this.noted++;
    if (k >= MAX_VALUES) return;
    this.noteNames[k] = name;
    this.noteRoles[k] = role;
    this.noteStarts[k] = start;
    this.noteEnds[k] = end;
    this.noteHow[k] = how;
    this.noteNameAt[k] = nameAt;
    this.noteNameEnd[k] = nameEnd;
  }

  /**
   * Keeps the shape of text[start, end), the line whose values were just
   * noted, once a line with the same start has been read from scratch twice
   * in a row in its set: a line seen once (a summary, a message) is not
   * worth copying. Progress bars are not kept: their bars differ from one
   * line to the next.
   */
  remember(key: number, text: string, start: number, end: number, bar: boolean, takesStep: boolean, stepAlone: boolean): void {
    const n = this.noted;
    if (n === 0 || n > MAX_VALUES || bar || end - start > MAX_LENGTH) return;
    if (key < 0) key = shapeKey(text, start, end);
    const set = setOf(key) / WAYS;
    if (this.lastFresh[set] !== key) {
      this.lastFresh[set] = key;
      return;
    }
    const byPosition = this.valuesByPosition(n);
    const slots: number[] = [];
    const codes: number[] = [];
    let i = start;
    for (let s = 0; s <= n; s++) {
      const k = s < n ? byPosition[s]! : -1;
      const a = k >= 0 ? this.noteStarts[k]! : end;
      // Values in order, apart, inside the line: anything else is not a shape this reader can replay.
      if (a < i) return;
      // The characters up to the value, with runs of digits outside names read as any digits.
      while (i < a) {
        const c = text.charCodeAt(i);
        if (isDigit(c) && this.namesKnown && !this.overlapsName(i, i + 1, n)) {
          const run = i;
          while (i < a && isDigit(text.charCodeAt(i))) codes.push(text.charCodeAt(i++));
          // Digits that run into a value stay as they are, so the value is not read from the wrong place.
          if (i < a || k < 0) slots.push(run - start, i - start, OTHER_DIGITS, -1);
        } else {
          codes.push(c);
          i++;
        }
      }
      if (k < 0) break;
      const b = this.noteEnds[k]!;
      // A name that takes in a value (a dict key found back across it: `{'a ':5 b':1}` names `:5 b`) would keep the old digits.
      if (b <= a || b > end || this.overlapsName(a, b, n)) return;
      for (; i < b; i++) codes.push(text.charCodeAt(i));
      const how = this.noteHow[k] === NUMBER && text.charCodeAt(b - 1) === 37 ? NUMBER_PERCENT : this.noteHow[k]!;
      slots.push(a - start, b - start, how, k);
    }
    const metrics: number[] = [];
    let stepAt = -1;
    let epochAt = -1;
    for (let k = 0; k < n; k++) {
      const role = this.noteRoles[k]!;
      if (role === ROLE_METRIC && !this.ignored(this.noteNames[k]!)) metrics.push(k);
      else if (role === ROLE_STEP) stepAt = k;
      else if (role === ROLE_EPOCH) epochAt = k;
    }
    const shape = new LineShape(key, codes, slots, this.noteNames.slice(0, n), metrics, stepAt, epochAt, takesStep, stepAlone);
    const table = this.table;
    const base = setOf(key);
    const out = table[base + WAYS - 1];
    if (out !== undefined) this.firsts[firstClass(out.codes[0]!)]--;
    this.firsts[firstClass(codes[0]!)]++;
    for (let w = WAYS - 1; w > 0; w--) table[base + w] = table[base + w - 1];
    table[base] = shape;
  }

  /** Indexes of the noted values in the order they stand in the line (nearly always the order they were noted). */
  private valuesByPosition(n: number): number[] {
    const starts = this.noteStarts;
    const order: number[] = [];
    for (let k = 0; k < n; k++) {
      let j = k;
      while (j > 0 && starts[order[j - 1]!]! > starts[k]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = k;
    }
    return order;
  }

  /** Whether text[a, b) shares a character with a noted value's name. */
  private overlapsName(a: number, b: number, n: number): boolean {
    for (let k = 0; k < n; k++) {
      const at = this.noteNameAt[k]!;
      if (at < b && a < this.noteNameEnd[k]!) return true;
    }
    return false;
  }
}
