import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoTrackMatcher, DEFAULT_AUTO_TRACK_PATTERNS } from '../../src/core/run/autoTrack';
import { parseCommandParams, scriptName, splitCommandLine } from '../../src/core/run/commandLine';
import { parseParamsText } from '../../src/core/run/paramsFile';

describe('splitCommandLine', () => {
  it('handles quotes, escapes and separators', () => {
    assert.deepEqual(splitCommandLine(`python "my script.py" --name 'a b' --x=\\"q\\" ; echo`), ['python', 'my script.py', '--name', 'a b', '--x="q"', ';', 'echo']);
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
  for (const yes of ['python train.py', 'python3 -u scripts/train_resnet.py --lr 1', '/usr/bin/python3.11 train.py', 'torchrun --nproc_per_node 2 x.py', 'accelerate launch run.py', 'deepspeed ds.py', 'lightning run app.py', 'python -m mypkg.train', 'uv run train.py']) {
    it(`tracks ${yes}`, () => assert.equal(m.matches(yes), true));
  }
  for (const no of ['ls -la', 'python setup.py install', 'pip install torch', 'git commit -m train', 'cat train.py']) {
    it(`ignores ${no}`, () => assert.equal(m.matches(no), false));
  }
  it('reports invalid patterns', () => {
    assert.equal(autoTrackMatcher(['(']).invalid.length, 1);
  });
});

describe('params files', () => {
  it('reads JSON with nesting as dotted keys, and YAML-like lines', () => {
    assert.deepEqual(parseParamsText('{"lr": 0.1, "model": {"depth": 18, "name": "resnet"}}', 'p.json'), { lr: 0.1, 'model.depth': 18, 'model.name': 'resnet' });
    const yaml = 'lr: 3e-4  # peak\nmodel:\n  depth: 50\n  pretrained: true\ndata:\n  path: "/data/x"\nepochs: 10\n';
    assert.deepEqual(parseParamsText(yaml, 'c.yaml'), { lr: 0.0003, 'model.depth': 50, 'model.pretrained': true, 'data.path': '/data/x', epochs: 10 });
  });
});
