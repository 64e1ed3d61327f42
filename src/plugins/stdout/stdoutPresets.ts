import { STDOUT_FORMATS, type StdoutFormat } from '../../core/parse/metricRecord';

/** A named configuration the form offers (the `presets` keyword of a config schema, see README "Presets"). */
export interface StdoutPreset {
  name: string;
  description: string;
  config: { formats: Record<StdoutFormat, boolean>; customPatterns: { pattern: string; name?: string }[] };
}

function only(...on: StdoutFormat[]): Record<StdoutFormat, boolean> {
  return Object.fromEntries(STDOUT_FORMATS.map((f) => [f, on.includes(f)])) as Record<StdoutFormat, boolean>;
}

// A number as training scripts print one; the parser reads the matched text with its own number rules.
const NUMBER = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';

/**
 * For output where reading every format at once guesses wrong: a script whose log lines or prose look like pairs
 * next to the lines that matter, or a format only a pattern can say. Each format preset reads one format and
 * nothing else; each template keeps the formats and adds a pattern to adapt. `test/unit/stdoutPresets.test.ts`
 * reads the corpus files each is meant for with it and checks their expected records.
 */
export const STDOUT_PRESETS: readonly StdoutPreset[] = [
  {
    name: 'Tables with a step column',
    description:
      'Only tables: a header row of column names, then one row of numbers per epoch or step (fastai, spaCy, scikit-learn’s GradientBoosting, Ultralytics, Stable-Baselines3’s boxes). An epoch or E column gives the epoch, a step, iter, Iter or # column the step. Lines outside tables are not read.',
    config: { formats: only('table'), customPatterns: [] },
  },
  {
    name: 'Keras, XGBoost, LightGBM, CatBoost: name: value only',
    description:
      'Only `name: value` pairs: Keras progress lines (`- loss: 0.12 - accuracy: 0.91`), XGBoost (`[12]  valid-logloss:0.51`), LightGBM (`[12]  valid_0’s l2: 0.5`) and CatBoost (`12:  learn: 0.68  test: 0.69`) rounds with their step, MMDetection, timm. `name=value`, JSON, dicts, bars and tables are not read.',
    config: { formats: only('keyColon'), customPatterns: [] },
  },
  {
    name: 'nanoGPT, fairseq, scikit-learn MLP: name=value and name value only',
    description:
      'Only `name=value` pairs (`Iteration 3, loss = 0.75`) and `name value` lists after a header (`iter 100: loss 2.3456, time 12.34ms`, `epoch 001 | loss 7.1 | nll_loss 6.5`). `name: value`, JSON, dicts, bars and tables are not read.',
    config: { formats: only('keyValue'), customPatterns: [] },
  },
  {
    name: 'Hugging Face Trainer dicts only',
    description:
      "Only Python dicts as the Trainer prints them (`{'loss': 0.51, 'learning_rate': 5e-05, 'epoch': 1.0}`); its progress bars and every other line are not read.",
    config: { formats: only('pythonDict'), customPatterns: [] },
  },
  {
    name: 'JSON lines only',
    description: 'Only JSON objects, one per line (`{"step": 10, "loss": 0.5, "eval": {"acc": 0.9}}` gives loss and eval/acc at step 10).',
    config: { formats: only('json'), customPatterns: [] },
  },
  {
    name: 'Custom pattern: <name> <value> at step <n>',
    description:
      'A template to adapt: reads lines such as `loss 0.25 at step 100` with a regular expression (groups name, value and step); the built-in formats still read the other lines. Edit the pattern under Custom Patterns to fit your output.',
    config: {
      formats: only(...STDOUT_FORMATS),
      customPatterns: [{ pattern: `(?<name>[A-Za-z_][\\w./-]*) (?<value>${NUMBER}) at step (?<step>\\d+)` }],
    },
  },
  {
    name: 'Custom pattern: one value with a fixed name (BLEU = 27.35 …)',
    description:
      'A template to adapt: one metric named in the pattern’s "name" field, here sacreBLEU’s score line (`BLEU = 27.35 58.7/33.0/20.4/13.3 (BP = 1.000 ratio = 1.000 …)`), of which only the score is read, not BP or the lengths. Edit the pattern and the name under Custom Patterns.',
    config: {
      formats: only(...STDOUT_FORMATS),
      customPatterns: [{ pattern: `^BLEU = (?<value>${NUMBER}) `, name: 'BLEU' }],
    },
  },
];
