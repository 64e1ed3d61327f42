/** What a line's leading `Epoch 3/10`, `Step 100`, `[Epoch 2] Iter 40:` says. */
export interface LineHeader {
  /** Index after the header; 0 when the line has none. */
  end: number;
  epoch: number | undefined;
  step: number | undefined;
}

const TOKEN = /[ \t,|;[\]-]*(?:(epoch)|step|iter(?:ation)?|global[ _]step)[ \t]*[:=#]?[ \t]*(\d+)(?:[ \t]*\/[ \t]*\d+)?\]?/iy;

/** Whether the text (after spaces and `[`) starts like `ep`, `st`, `it` or `gl`: the regex runs only then. */
function mayStartHeader(text: string): boolean {
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 32 || c === 9 || c === 91 /* [ */) c = text.charCodeAt(++i);
  const d = text.charCodeAt(i + 1) | 0x20;
  switch (c | 0x20) {
    case 101: // e
      return d === 112; // p
    case 115: // s
      return d === 116; // t
    case 105: // i
      return d === 116; // t
    case 103: // g
      return d === 108; // l
    default:
      return false;
  }
}

/** Reads the header tokens at the start of `text` into `out`. */
export function readHeader(text: string, out: LineHeader): void {
  out.end = 0;
  out.epoch = undefined;
  out.step = undefined;
  if (!mayStartHeader(text)) return;
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null) {
    const n = Number(m[2]);
    if (m[1] !== undefined) out.epoch = n;
    else out.step = n;
    out.end = TOKEN.lastIndex;
  }
}

/** `params lr=0.1 ...`, `hparams: {...}`, `config: ...`, argparse's `Namespace(lr=0.1, ...)`: settings, not metrics. */
const PARAMS_LINE = /^[ \t]*(?:Namespace\(|(?:h?params|hyper-?parameters|config|args|arguments|settings)(?![\w.-]))/i;

/** A line that prints the run's parameters; its numbers are not metrics (params come from the command line). */
export function isParamsLine(text: string): boolean {
  let i = 0;
  let c = text.charCodeAt(0);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  c |= 0x20;
  if (c !== 110 && c !== 104 && c !== 112 && c !== 99 && c !== 97 && c !== 115) return false; // n h p c a s
  return PARAMS_LINE.test(text);
}
