// The synthetic training log the stdout benchmark parses: corpus recordings interleaved in fixed
// byte shares, as a terminal hands them over (UTF-8 reads decoded into separate strings).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

const CORPUS = path.join(__dirname, '..', 'test', 'fixtures', 'stdout');

/** Log lines without metrics that real training output is full of. */
const NOISE = `${[
  '/usr/lib/python3.11/site-packages/torch/utils/data/dataloader.py:557: UserWarning: This DataLoader will create 8 worker processes in total. Our suggested max number of worker in current system is 2.',
  '  warnings.warn(_create_warning_msg(',
  'INFO 2024-05-01 12:30:45,123 [data.py:88] loaded 50000 samples from /data/cifar10/train in 3.21s',
  'GPU available: True (cuda), used: True',
  'TPU available: False, using: 0 TPU cores',
  'LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]',
  '  | Name    | Type             | Params | Mode',
  '0 | model   | ResNet           | 11.2 M | train',
  'Traceback (most recent call last):',
  '  File "/home/user/project/train.py", line 142, in <module>',
  'Some weights of BertForSequenceClassification were not initialized from the model checkpoint at bert-base-uncased and are newly initialized',
  'You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.',
  'Saving model checkpoint to ./outputs/checkpoint-500',
  'Configuration saved in ./outputs/checkpoint-500/config.json',
].join('\r\n')}\r\n`;

interface Group {
  label: string;
  share: number;
  texts: string[];
}

function read(file: string): string {
  return fs.readFileSync(path.join(CORPUS, file), 'utf8');
}

function groups(): Group[] {
  return [
    {
      label: 'tqdm/Lightning/HF progress bars',
      share: 0.4,
      texts: [
        'lightning_replay_120cols.txt',
        'lightning_replay_200cols.txt',
        'tqdm_custom_loop.txt',
        'hf_transformers5_progress.txt',
        'hf_transformers4_progress.txt',
      ].map(read),
    },
    { label: 'Keras progress', share: 0.15, texts: ['keras3_jax_verbose1.txt', 'keras3_jax_verbose2.txt', 'hand_vscode_shell_integration.txt'].map(read) },
    { label: 'HF Trainer dicts', share: 0.1, texts: [read('hf_transformers5_printer.txt')] },
    {
      label: 'plain prints and JSON lines',
      share: 0.2,
      texts: ['demo_train_py.txt', 'pytorch_mnist_format.txt', 'json_lines.txt', 'hand_plain_prints.txt'].map((f) => `${read(f)}\r\n`),
    },
    { label: 'log noise without metrics', share: 0.15, texts: [NOISE] },
  ];
}

/**
 * The text with every digit d replaced by (d + shift) mod 10: the same
 * lines with other numbers (lengths and forms kept), so a log that repeats
 * a recording is not a repeat of the same characters.
 */
function shiftDigits(text: string, shift: number): string {
  return shift === 0 ? text : text.replace(/[0-9]/g, (d) => String((Number(d) + shift) % 10));
}

/**
 * A log of about `sizeMB` megabytes, interleaving corpus recordings in the
 * given byte shares; each time a recording comes round again its digits
 * are shifted by one more.
 */
function compose(parts: readonly Group[], sizeMB: number): { text: string; mix: string } {
  const target = sizeMB * 1e6;
  const bytes = parts.map(() => 0);
  const next = parts.map(() => 0);
  const variants = new Map<string, string>();
  const out: string[] = [];
  let total = 0;
  while (total < target) {
    // Append to the group furthest below its share, so the mix holds at every size.
    let g = 0;
    for (let i = 1; i < parts.length; i++) {
      if (bytes[i]! - parts[i]!.share * total < bytes[g]! - parts[g]!.share * total) g = i;
    }
    const group = parts[g]!;
    const k = next[g]!++;
    const index = k % group.texts.length;
    const shift = Math.floor(k / group.texts.length) % 10;
    const id = `${g}:${index}:${shift}`;
    let text = variants.get(id);
    if (text === undefined) {
      text = shiftDigits(group.texts[index]!, shift);
      variants.set(id, text);
    }
    const n = Buffer.byteLength(text);
    out.push(text);
    bytes[g]! += n;
    total += n;
  }
  const mix = parts.map((g, i) => `${Math.round((100 * bytes[i]!) / total)}% ${g.label}`).join(', ');
  return { text: out.join(''), mix };
}

/** The realistic mix: about `sizeMB` megabytes of the corpus groups in their shares. */
export function buildSyntheticLog(sizeMB: number): { text: string; mix: string } {
  return compose(groups(), sizeMB);
}

/**
 * The log as a terminal hands it over: separate strings decoded from
 * `size`-byte reads (a UTF-8 character cut by a read boundary goes to the
 * next string), not slices of one big string. This matters: a chunk with
 * only Latin-1 text is a one-byte string, scanned faster than the two-byte
 * strings that progress-bar blocks (`█`, `━`) make.
 */
export function chunked(text: string, size: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const decoder = new StringDecoder('utf8');
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const s = decoder.write(bytes.subarray(i, i + size));
    if (s !== '') out.push(s);
  }
  const rest = decoder.end();
  if (rest !== '') out.push(rest);
  return out;
}

/**
 * Output in the form Guild AI's default output-scalar patterns read (`key: value` alone on a line, a
 * `step: N` line setting the step, `key: value (step N)`), as a training script written for Guild
 * prints it, with a little log noise between epochs; about `sizeMB` megabytes, terminal line ends.
 */
export function guildStyleLog(sizeMB: number): string {
  const out: string[] = [];
  let bytes = 0;
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let step = 1; bytes < sizeMB * 1e6; step++) {
    const epoch = Math.floor(step / 50) + 1;
    const loss = 2 / Math.sqrt(step) + 0.05 * next();
    const lines = [`step: ${step}`, `loss: ${loss.toFixed(6)}`, `accuracy: ${(1 - loss / 3).toFixed(4)}`, `lr: ${(0.001 * 0.99 ** epoch).toPrecision(4)}`];
    if (step % 10 === 0) lines.push(`val_loss: ${(loss * 1.1).toFixed(5)} (step ${step})`, `val_accuracy: ${(1 - loss / 2.8).toFixed(4)} (step ${step})`);
    if (step % 50 === 0) lines.push(`Epoch ${epoch} done in ${(40 + 10 * next()).toFixed(1)}s`, `checkpoint saved to ./checkpoints/epoch-${epoch}.pt`);
    const text = `${lines.join('\r\n')}\r\n`;
    out.push(text);
    bytes += text.length;
  }
  return out.join('');
}
