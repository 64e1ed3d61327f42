import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandParams } from '../../src/core/run/commandLine';
import { looksSecret, maskCommandLine, maskParams, MASK } from '../../src/core/secrets/maskSecrets';
import { programEnv } from '../../src/core/secrets/programEnv';

describe('secrets on command lines are masked before anything is stored or sent', () => {
  const cases: [string, string][] = [
    ['python train.py --api-key sk-live-123 --lr 0.1', `python train.py --api-key ${MASK} --lr 0.1`],
    ['python train.py --api_key=sk-live-123', `python train.py --api_key=${MASK}`],
    ['python train.py --token "two words" --epochs 3', `python train.py --token ${MASK} --epochs 3`],
    ["python train.py --password='p@ss w'", `python train.py --password=${MASK}`],
    ['WANDB_API_KEY=abc123 HF_TOKEN=hf_x python train.py', `WANDB_API_KEY=${MASK} HF_TOKEN=${MASK} python train.py`],
    ['env AWS_SECRET_ACCESS_KEY=zzz python train.py', `env AWS_SECRET_ACCESS_KEY=${MASK} python train.py`],
    ['python train.py db.password=hunter2 +wandb.api_key=k lr=0.1', `python train.py db.password=${MASK} +wandb.api_key=${MASK} lr=0.1`],
    ['python train.py --data https://bob:pw123@data.example/x.csv', `python train.py --data https://bob:${MASK}@data.example/x.csv`],
    ['python train.py --header "Authorization: Bearer abcdefgh123456"', `python train.py --header "Authorization: Bearer ${MASK}"`],
    ['python train.py --stored-elsewhere my-stored-secret-value', `python train.py --stored-elsewhere ${MASK}`],
  ];
  it('masks option values, assignments, URL passwords, bearer tokens and stored secret values, keeping the rest as typed', () => {
    for (const [line, masked] of cases) assert.equal(maskCommandLine(line, ['my-stored-secret-value']), masked, line);
  });

  it('leaves ordinary commands alone', () => {
    for (const line of [
      'python train.py --lr 0.001 --epochs=10 --fp16',
      'python train.py --sort-key loss --max_tokens 512 --tokenizer gpt2',
      'python train.py --key',
      'torchrun --nproc_per_node 2 train.py',
    ]) {
      assert.equal(maskCommandLine(line), line);
    }
  });

  it('gives masked params, never the secret', () => {
    const params = parseCommandParams(maskCommandLine('python train.py --api-key sk-live-123 --lr 0.1'));
    assert.deepEqual(params, { api_key: MASK, lr: 0.1 });
    assert.deepEqual(
      maskParams({ 'db.password': 'x', token: 'y', lr: 0.1, fp16: true, note: 'see https://u:p4ss@h/x', other: 'has my-stored-secret-value inside' }, [
        'my-stored-secret-value',
      ]),
      {
        'db.password': MASK,
        token: MASK,
        lr: 0.1,
        fp16: true,
        note: `see https://u:${MASK}@h/x`,
        other: `has ${MASK} inside`,
      },
    );
  });

  it('knows secret names from ordinary ones', () => {
    for (const name of [
      '--api-key',
      'api_key',
      'apikey',
      'token',
      'hf_token',
      'auth',
      'password',
      'client-secret',
      'OPENAI_API_KEY',
      'AWS_SECRET_ACCESS_KEY',
      'MY_KEY',
      'key',
      'db.password',
    ])
      assert.ok(looksSecret(name), name);
    for (const name of ['max_tokens', 'num_tokens', 'tokenizer', 'author', 'sort_key', 'keyboard', 'monkey', 'PATH', 'HOME', 'SSH_AUTH_SOCK', 'lr'])
      assert.ok(!looksSecret(name), name);
  });

  it('starts programs without the secrets of the extension host’s environment', () => {
    const env = programEnv(
      { PATH: '/bin', HOME: '/h', HF_TOKEN: 'x', AWS_SECRET_ACCESS_KEY: 'y', MLFLOW_TRACKING_PASSWORD: 'z', SSH_AUTH_SOCK: '/s' },
      { TF_CPP_MIN_LOG_LEVEL: '2' },
    );
    assert.deepEqual(env, { PATH: '/bin', HOME: '/h', SSH_AUTH_SOCK: '/s', TF_CPP_MIN_LOG_LEVEL: '2' });
  });
});
