import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { autoTrackMatcher, DEFAULT_AUTO_TRACK_PATTERNS } from '../../src/core/run/autoTrack';
import { parseCommandParams, scriptName, splitCommandLine } from '../../src/core/run/commandLine';
import { parseParamsText, readParamsFiles } from '../../src/core/run/paramsFile';

describe('splitCommandLine', () => {
  it('handles quotes, escapes and separators', () => {
    assert.deepEqual(splitCommandLine(`python "my script.py" --name 'a b' --x=\\"q\\" ; echo`), [
      'python',
      'my script.py',
      '--name',
      'a b',
      '--x="q"',
      ';',
      'echo',
    ]);
  });
});

describe('parseCommandParams', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['python train.py --lr 0.001 --epochs=10 --fp16 --name resnet', { lr: 0.001, epochs: 10, fp16: true, name: 'resnet' }],
    ['python3 -u train.py --batch-size 64 --no-eval', { batch_size: 64, no_eval: true }],
    ['python -m pkg.train lr=0.1 +trainer.devices=2 model=vit ~logger', { lr: 0.1, 'trainer.devices': 2, model: 'vit' }],
    ['CUDA_VISIBLE_DEVICES=0 python train.py --seed 1', { seed: 1 }],
    ['torchrun --nproc_per_node 2 train.py --lr=3e-4 --amp false', { lr: 0.0003, amp: false }],
    ['accelerate launch --num_processes 2 train.py --epochs 3', { epochs: 3 }],
    ['python train.py --lr 0.1 | tee log.txt', { lr: 0.1 }],
    ['python train.py --offset -1', { offset: -1 }],
  ];
  for (const [line, expected] of cases) {
    it(line, () => assert.deepEqual(parseCommandParams(line), expected));
  }

  it('names the script', () => {
    assert.equal(scriptName('python /a/b/train.py --x 1'), 'train.py');
    assert.equal(scriptName('python -m pkg.train'), 'pkg.train');
    assert.equal(scriptName('ls -la'), undefined);
  });
});

describe('autoTrack patterns', () => {
  const m = autoTrackMatcher(DEFAULT_AUTO_TRACK_PATTERNS);
  for (const yes of [
    'python train.py',
    'python3 -u scripts/train_resnet.py --lr 1',
    '/usr/bin/python3.11 train.py',
    'torchrun --nproc_per_node 2 x.py',
    'accelerate launch run.py',
    'deepspeed ds.py',
    'lightning run app.py',
    'python -m mypkg.train',
    'uv run train.py',
  ]) {
    it(`tracks ${yes}`, () => assert.equal(m.matches(yes), true));
  }
  for (const no of ['ls -la', 'python setup.py install', 'pip install torch', 'git commit -m train', 'cat train.py']) {
    it(`ignores ${no}`, () => assert.equal(m.matches(no), false));
  }
  it('reports invalid patterns, and those that need backtracking', () => {
    assert.deepEqual(
      autoTrackMatcher(['(', '(?=python)python', 'ok']).invalid.map((i) => i.pattern),
      ['(', '(?=python)python'],
    );
    assert.match(autoTrackMatcher(['(?=python)python']).invalid[0]!.error, /cannot be run in bounded time/);
  });

  it('never hangs on a catastrophic pattern, and switches off one over its budget, naming it', () => {
    const slow: string[] = [];
    const evil = autoTrackMatcher(['^(\\w+\\s?)*$'], (m) => slow.push(m));
    const began = performance.now();
    assert.equal(evil.matches(`${'word '.repeat(5000)}!`), false);
    assert.ok(performance.now() - began < 5000, 'linear time');
    const strict = autoTrackMatcher(['^python', '^torchrun'], (m) => slow.push(m), -1);
    assert.equal(strict.matches('torchrun x.py'), true, 'a match found while going over the budget still counts');
    assert.equal(strict.matches('python train.py'), false, 'both patterns went over a budget of -1 ms and are off');
    assert.match(
      slow.at(-1)!,
      /^tracelet\.autoTrack\.patterns entry "\^torchrun" took \d+ ms on a command line of 13 characters \(the budget is -1 ms\); it is switched off until the setting changes$/,
    );
  });
});

describe('params files', () => {
  it('reads the files a setting names; from a workspace setting, only those inside the workspace', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-params-'));
    fs.mkdirSync(path.join(ws, 'sub'));
    fs.writeFileSync(path.join(ws, 'conf.yaml'), 'lr: 0.1\n');
    fs.writeFileSync(path.join(ws, '..', `outside-${path.basename(ws)}.env`), 'AWS_KEY=abc\n');
    const outside = `../../outside-${path.basename(ws)}.env`;
    assert.deepEqual(
      readParamsFiles(['../conf.yaml', outside], path.join(ws, 'sub')),
      { params: { lr: 0.1, AWS_KEY: 'abc' }, errors: [] },
      'a user setting may name any file',
    );
    const confined = readParamsFiles(['../conf.yaml', outside], path.join(ws, 'sub'), ws);
    assert.deepEqual(confined.params, { lr: 0.1 });
    assert.equal(confined.errors.length, 1);
    assert.match(
      confined.errors[0]!,
      /^tracelet\.run\.paramsFiles entry ".*outside-.*\.env" leaves the workspace folder, which a workspace setting may not do/,
    );
  });

  it('reads JSON with nesting as dotted keys, and YAML-like lines', () => {
    assert.deepEqual(parseParamsText('{"lr": 0.1, "model": {"depth": 18, "name": "resnet"}}', 'p.json'), {
      lr: 0.1,
      'model.depth': 18,
      'model.name': 'resnet',
    });
    const yaml = 'lr: 3e-4  # peak\nmodel:\n  depth: 50\n  pretrained: true\ndata:\n  path: "/data/x"\nepochs: 10\n';
    assert.deepEqual(parseParamsText(yaml, 'c.yaml'), { lr: 0.0003, 'model.depth': 50, 'model.pretrained': true, 'data.path': '/data/x', epochs: 10 });
  });
});
