import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricRecord, StdoutParserOptions } from '../../src/core/parse/metricRecord';
import { StdoutParser } from '../../src/core/parse/stdoutParser';

function parse(text: string, options?: StdoutParserOptions): MetricRecord[] {
  const p = new StdoutParser(options);
  return [...p.push(text), ...p.end()];
}

/** name=value pairs of the records, for compact expectations. */
function pairs(text: string, options?: StdoutParserOptions): string[] {
  return parse(text, options).map((r) => `${r.name}=${r.value}`);
}

describe('key=value and key: value', () => {
  it('reads both separators, slashes and dots in names, and keeps the printed case', () => {
    assert.deepEqual(pairs('epoch=1 loss=0.6931 accuracy=0.512\n'), ['loss=0.6931', 'accuracy=0.512']);
    assert.deepEqual(pairs('train/loss = 0.5, val.acc: 0.8; Loss: 2\n'), ['train/loss=0.5', 'val.acc=0.8', 'Loss=2']);
    assert.deepEqual(pairs('Epoch 3: loss: 0.25 acc: 0.9\n'), ['loss=0.25', 'acc=0.9']);
  });

  it('reads every number form', () => {
    assert.deepEqual(pairs('a=1 b=-0.5 c=1e-05 d=5E+3 e=.75 f=+2 g=91.2% h=3.\n'), ['a=1', 'b=-0.5', 'c=0.00001', 'd=5000', 'e=0.75', 'f=2', 'g=91.2', 'h=3']);
  });

  it('keeps nan and inf by default (a diverging loss is worth seeing), drops them on request', () => {
    const got = parse('loss=nan grad=inf neg=-inf x=NaN y=Infinity\n');
    assert.deepEqual(
      got.map((r) => r.value),
      [NaN, Infinity, -Infinity, NaN, Infinity],
    );
    assert.deepEqual(pairs('loss=nan acc=0.5 grad=inf\n', { keepNonFinite: false }), ['acc=0.5']);
  });

  it('reads Keras progress lines and their Epoch N/M headers', () => {
    const text =
      'Epoch 3/10\r\n100/100 [==============================] - 1s 5ms/step - loss: 0.1234 - accuracy: 0.9100 - val_loss: 0.2 - val_accuracy: 0.88\r\n';
    assert.deepEqual(parse(text), [
      { name: 'loss', value: 0.1234, epoch: 3, line: 2 },
      { name: 'accuracy', value: 0.91, epoch: 3, line: 2 },
      { name: 'val_loss', value: 0.2, epoch: 3, line: 2 },
      { name: 'val_accuracy', value: 0.88, epoch: 3, line: 2 },
    ]);
  });

  it("reads Lightning/tqdm postfixes with the bar's epoch, ignoring v_num", () => {
    const text = 'Epoch 0:  50%|█████     | 5/10 [00:01<00:00,  4.50it/s, v_num=1, train_loss=0.123]\n';
    assert.deepEqual(parse(text), [{ name: 'train_loss', value: 0.123, epoch: 0, line: 1 }]);
  });
});

describe('step and epoch', () => {
  it("takes step/global_step/iteration/iter/it and epoch keys as the record's step and epoch, not as metrics", () => {
    for (const key of ['step', 'global_step', 'iteration', 'iter', 'it', 'trainer/global_step', 'Step']) {
      assert.deepEqual(parse(`${key}=7 loss=0.5\n`), [{ name: 'loss', value: 0.5, step: 7, line: 1 }], key);
    }
    assert.deepEqual(parse('loss=0.5 epoch=2 step=9\n'), [{ name: 'loss', value: 0.5, step: 9, epoch: 2, line: 1 }]);
  });

  it('reads leading Epoch/Step headers in their common spellings', () => {
    assert.deepEqual(parse('[Epoch 2/5] Step 40: loss=0.3\n'), [{ name: 'loss', value: 0.3, step: 40, epoch: 2, line: 1 }]);
    assert.deepEqual(parse('Epoch: 4 | iter 12 | loss 0.1 acc=0.2\n'), [{ name: 'acc', value: 0.2, step: 12, epoch: 4, line: 1 }]);
    // issue 15: the bracketed batch counter after the epoch is the step
    assert.deepEqual(parse('Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.250720\n'), [{ name: 'Loss', value: 2.25072, step: 640, epoch: 1, line: 1 }]);
    assert.deepEqual(parse('global step 5 - iteration: 7 | EPOCH#2 x=1\n'), [{ name: 'x', value: 1, step: 7, epoch: 2, line: 1 }]);
    assert.deepEqual(parse('Epoch 3/ of many: acc=1\n'), [{ name: 'acc', value: 1, epoch: 3, line: 1 }]);
    assert.deepEqual(parse('Epochs: 10 steps_per_epoch: 5 acc=1\n'), [
      { name: 'Epochs', value: 10, line: 1 },
      { name: 'steps_per_epoch', value: 5, line: 1 },
      { name: 'acc', value: 1, line: 1 },
    ]);
  });

  it("takes a leading step or epoch key's whole value, fraction and exponent included", () => {
    // Found by test/fuzz/stdoutParser.fuzz.ts: the header reader took `epoch=1.5` as epoch 1 and `step= 29191366e-17` as step 29191366.
    assert.deepEqual(parse('epoch=1.5 loss=0.3\n'), [{ name: 'loss', value: 0.3, epoch: 1.5, line: 1 }]);
    assert.deepEqual(parse('step: 2.5e3 acc: 1\n'), [{ name: 'acc', value: 1, step: 2500, line: 1 }]);
    assert.deepEqual(parse('Epoch: 3 step= 29191366e-17, eval: 1\n'), [{ name: 'eval', value: 1, step: 2.9191366e-10, epoch: 3, line: 1 }]);
    assert.deepEqual(parse('Epoch 0.25/3 iter 7 x=1\nEpoch 2. x=1\n'), [
      { name: 'x', value: 1, step: 7, epoch: 0.25, line: 1 },
      { name: 'x', value: 1, epoch: 2, line: 2 },
    ]);
  });

  it('keeps the epoch for the lines that follow; the step goes on only to the next line of pairs without a step or epoch of its own', () => {
    // issue 15 (corpus convention 11): MLPClassifier's `Validation score:` after `Iteration 3, loss = ...` is one report
    const got = parse('Epoch 2/3\nstep=5 loss=0.4\nval_loss=0.5\nepoch=3 loss=0.2\n\nacc=0.7\n');
    assert.deepEqual(got, [
      { name: 'loss', value: 0.4, step: 5, epoch: 2, line: 2 },
      { name: 'val_loss', value: 0.5, step: 5, epoch: 2, line: 3 },
      { name: 'loss', value: 0.2, epoch: 3, line: 4 },
      { name: 'acc', value: 0.7, epoch: 3, line: 6 },
    ]);
  });

  it("reads Guild AI's forms: a line that is only `step: N` gives its step to the lines of pairs after it, `(step N)` after a value is its step", () => {
    const text =
      'step: 1\r\nloss: 0.9\r\nacc: 0.5\r\nstep: 2\r\nloss: 0.8\r\nacc: 0.6\r\nval_loss: 0.95 (step 2)\r\n' +
      'Step 3\nloss: 0.7\ncheckpoint saved\nacc: 0.7\nstep: 4 of 10\nloss: 0.6\nit=5\nloss: 0.5\n';
    const expected = [
      ['loss', 0.9, 1],
      ['acc', 0.5, 1],
      ['loss', 0.8, 2],
      ['acc', 0.6, 2],
      ['val_loss', 0.95, 2],
      ['loss', 0.7, 3],
      // After a line without values the step is not carried: Guild's own defaults would carry it, and a log line
      // between two reports says nothing of whose step follows.
      ['acc', 0.7, undefined],
      // Only a line that is nothing but a step passes it on, whether a header reads it or a step key's pair.
      ['loss', 0.6, undefined],
      ['loss', 0.5, 5],
    ];
    for (const rememberLineShapes of [true, false]) {
      const got = parse(text.repeat(3), { rememberLineShapes }).map((r) => [r.name, r.value, r.step]);
      assert.deepEqual(got, [...expected, ...expected, ...expected], `rememberLineShapes: ${rememberLineShapes}`);
    }
    // `(step N)` only as the last thing after a pair: in a note of words, or with an `=` pair (a note), no step.
    assert.deepEqual(parse('loss: 0.5 (step 7) done\nloss=0.5 (step 7)\n'), [{ name: 'loss', value: 0.5, line: 1 }]);
  });
});

describe('JSON lines and Python dicts', () => {
  it('reads JSON objects, nested ones as outer/inner, and step/epoch keys', () => {
    assert.deepEqual(parse('{"loss": 0.5, "step": 10, "eval": {"acc": 0.9}, "tag": "x", "ok": true}\n'), [
      { name: 'loss', value: 0.5, step: 10, line: 1 },
      { name: 'eval/acc', value: 0.9, step: 10, line: 1 },
    ]);
  });

  it("reads Python's json.dumps NaN/Infinity without losing nested names", () => {
    const got = parse('{"loss": NaN, "x": {"g": -Infinity}, "step": 3}\n');
    assert.deepEqual(
      got.map((r) => [r.name, r.value, r.step]),
      [
        ['loss', NaN, 3],
        ['x/g', -Infinity, 3],
      ],
    );
  });

  it('reads Hugging Face Trainer dicts: Python repr, quoted numbers (transformers 5), eval and train summaries', () => {
    assert.deepEqual(parse("{'loss': 0.51, 'grad_norm': 1.2, 'learning_rate': 5e-05, 'epoch': 1.0}\n"), [
      { name: 'loss', value: 0.51, epoch: 1, line: 1 },
      { name: 'grad_norm', value: 1.2, epoch: 1, line: 1 },
      { name: 'learning_rate', value: 0.00005, epoch: 1, line: 1 },
    ]);
    assert.deepEqual(pairs("{'eval_loss': '0.3881', 'eval_runtime': '0.1611', 'epoch': '1'}\n"), ['eval_loss=0.3881', 'eval_runtime=0.1611']);
    assert.deepEqual(pairs("{'train_runtime': 61.2, 'train_loss': 0.53, 'epoch': 3.0}\n"), ['train_runtime=61.2', 'train_loss=0.53']);
  });

  it('reads numpy and torch scalars in a dict and ignores strings, booleans and None', () => {
    assert.deepEqual(pairs("{'a': np.float64(0.5), 'b': tensor(0.25, device='cuda:0'), 'c': 'text', 'd': True, 'e': None, 'f': '1.2.3'}\n"), [
      'a=0.5',
      'b=0.25',
    ]);
  });

  it('reads JSON exactly: arrays skipped, escaped keys and strings, unicode, booleans, nesting below four levels cut', () => {
    const line =
      '{"a\\"b": 1, "s": "x\\"}{:5", "arr": [1, {"z": 2}, [3]], "t": true, "n": null, "u\\u00e9": 2.5, "d": {"e": {"f": {"g": {"h": 9}}}}, "k": -1e-3}\n';
    assert.deepEqual(pairs(line), ['a"b=1', 'ué=2.5', 'd/e/f/g/h=9', 'k=-0.001']);
    assert.deepEqual(pairs('{"x": 1, "a": {"b": {"c": {"d": {"e": {"f": 6}}}}}}\n'), ['x=1']);
  });

  it('reads malformed JSON leniently as flat pairs, and nothing from a JSON line without numbers', () => {
    assert.deepEqual(pairs('{"loss": 0.5, "acc": }\n'), ['loss=0.5']);
    assert.deepEqual(pairs('{"loss": "0.5"}\n'), []);
  });

  it('reads a dict after a log prefix, and pairs before it', () => {
    assert.deepEqual(pairs("INFO:train:step=3 {'loss': 0.5}\n"), ['loss=0.5']);
    assert.deepEqual(pairs("eval acc=0.5 {'loss': 0.25}\n"), ['loss=0.25', 'acc=0.5']);
  });
});

describe('false positives', () => {
  const quiet = [
    '2024-05-01 12:30:45,123 INFO started at 12:30:45',
    'time=12:30:45 date=2024-01-01',
    'Downloading https://example.org:8443/a/b?x=1.2.3 to /data/epoch=3-step=100.ckpt',
    'Serving on http://localhost:6006/',
    'version=1.2.3 torch==2.3.1 v1.2.3 python 3.11.7 ip=10.0.0.1',
    "Saving to 'epoch=3-step=100.ckpt' and --lr=0.1 --epochs=10",
    'Total params: 1,234,567',
    'speed=45.1it/s eta=3.2s mem=12GB',
    'Note: 4 GPUs were found but none is used',
    'loss is 0.5 and lr is 0.1',
    'state=running mode=train',
    '`Trainer.fit` stopped: `max_epochs=10` reached.',
    'Namespace(batch_size=64, epochs=14, lr=1.0)',
    'params samples=400 epochs=8 lr=0.1 seed=7',
    "hparams: {'lr': 0.001}",
    'train:  10%|#         | 1/10 [00:00<00:01, 9.0it/s]',
    ' 33%|███▎      | 20/60 [00:00<00:01, 32.97it/s]',
    'LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]',
    '{"event": "start", "path": "runs/x=1", "version": "1.2.3"}',
  ];
  for (const line of quiet) {
    it(`finds nothing in ${JSON.stringify(line)}`, () => {
      assert.deepEqual(parse(`${line}\r\n`), []);
    });
  }

  it('does not trust the last value of a bar cut off at the terminal width', () => {
    assert.deepEqual(pairs('Epoch 2: 100%|█| 12/12 [00:00<00:00, 68.65it/s, v_num=0, train_loss=0.192, val_acc=0.9\n'), ['train_loss=0.192']);
  });

  it('reads a value followed by a full stop or a parenthesis', () => {
    // issue 15: words before a colon are the name's (`Avg. loss`), a data set and a metric are joined MLflow's way
    assert.deepEqual(pairs('Final loss: 0.2501.\nValidation accuracy: 0.9134 (best)\n'), ['Final loss=0.2501', 'Validation-accuracy=0.9134']);
  });
});

describe('\\r redraws', () => {
  it('reads only the final state of a redrawn line', () => {
    const text =
      'train:  10%|#  | 1/10 [00:00<00:01, 9.0it/s, loss=0.9]\rtrain:  50%|#  | 5/10 [00:00<00:01, 9.0it/s, loss=0.7]\rtrain: 100%|###| 10/10 [00:01<00:00, 9.5it/s, loss=0.4]\r\n';
    assert.deepEqual(pairs(text), ['loss=0.4']);
  });

  it('reads a tqdm.write message printed over a cleared bar', () => {
    const text = "\r 13%|█▎ | 8/60 [00:00<00:01, 33.06it/s]\r          \r{'loss': 0.6179, 'epoch': 0.5}\r\n\r 17%|█▋ | 10/60 [00:00<00:01, 33.06it/s]";
    assert.deepEqual(parse(text), [{ name: 'loss', value: 0.6179, epoch: 0.5, line: 1 }]);
  });

  it("keeps each epoch's last state when one Lightning bar is redrawn across epochs", () => {
    const text =
      '\rEpoch 0: 100%|█| 4/4 [00:00<00:00, 9.0it/s, v_num=0, train_loss=0.5, val_loss=0.4]' +
      '\rEpoch 1:   0%| | 0/4 [00:00<?, ?it/s, v_num=0, train_loss=0.5, val_loss=0.4]' +
      '\rEpoch 1: 100%|█| 4/4 [00:00<00:00, 9.0it/s, v_num=0, train_loss=0.3, val_loss=0.35]\n';
    assert.deepEqual(parse(text), [
      { name: 'train_loss', value: 0.5, epoch: 0, line: 1 },
      { name: 'val_loss', value: 0.4, epoch: 0, line: 1 },
      { name: 'train_loss', value: 0.3, epoch: 1, line: 1 },
      { name: 'val_loss', value: 0.35, epoch: 1, line: 1 },
    ]);
  });

  it('reports a bar value again only when it changed (bars repeat their postfix)', () => {
    const bar = (n: number, loss: string) => `Epoch 0:  ${n}0%|█ | ${n}/10 [00:00<00:00, 9.0it/s, loss=${loss}]\n`;
    assert.deepEqual(pairs(bar(1, '0.5') + bar(2, '0.5') + bar(3, '0.4')), ['loss=0.5', 'loss=0.4']);
    assert.deepEqual(pairs('loss=0.5\nloss=0.5\n'), ['loss=0.5', 'loss=0.5'], 'plain lines are all reported');
  });

  it('counts lines by \\n only, and a \\r\\n split between chunks is one line end', () => {
    const p = new StdoutParser();
    const got = [...p.push('a=1\r'), ...p.push('\nb=2\r'), ...p.push('\n'), ...p.end()];
    assert.deepEqual(got, [
      { name: 'a', value: 1, line: 1 },
      { name: 'b', value: 2, line: 2 },
    ]);
  });
});

describe('options', () => {
  it('turns formats off one by one', () => {
    const text = 'a=1 b: 2\n{"c": 3}\n{\'d\': 4}\nEpoch 0: 5%|█ | 1/9 [00:00<00:00, 9.0it/s, e=5]\n';
    assert.deepEqual(pairs(text), ['a=1', 'b=2', 'c=3', 'd=4', 'e=5']);
    assert.deepEqual(pairs(text, { formats: { keyValue: false } }), ['b=2', 'c=3', 'd=4']);
    assert.deepEqual(pairs(text, { formats: { keyColon: false } }), ['a=1', 'c=3', 'd=4', 'e=5']);
    assert.deepEqual(pairs(text, { formats: { json: false } }), ['a=1', 'b=2', 'd=4', 'e=5']);
    assert.deepEqual(pairs(text, { formats: { pythonDict: false } }), ['a=1', 'b=2', 'c=3', 'e=5']);
    assert.deepEqual(pairs(text, { formats: { progressBar: false } }), ['a=1', 'b=2', 'c=3', 'd=4']);
  });

  it('ignores the names it is told to', () => {
    assert.deepEqual(pairs('v_num=1 loss=0.5 seed=3\n', { ignoreNames: ['seed'] }), ['v_num=1', 'loss=0.5']);
  });
});
