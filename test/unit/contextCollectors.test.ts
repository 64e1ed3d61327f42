import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import type { PluginContext } from '../../src/core/types';
import { EnvironmentCollector, isSecretName } from '../../src/plugins/environment/environmentCollector';
import { GitCollector, stripCredentials } from '../../src/plugins/git/gitCollector';
import { tempDir } from './pipelineHelpers';

function context(cwd: string): PluginContext {
  return {
    pluginName: 'x',
    logger: silentLogger,
    storageDir: cwd,
    coreVersion: '0',
    run: { id: 'r', name: 'r', command: '', cwd, startTime: 0, host: '', user: '', tags: {} },
  };
}

describe('git collector', () => {
  it('strips credentials from remote URLs', () => {
    assert.equal(stripCredentials('https://user:ghp_secret@github.com/o/r.git'), 'https://github.com/o/r.git');
    assert.equal(stripCredentials('https://token@host/x'), 'https://host/x');
    assert.equal(stripCredentials('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  });

  it('reads branch, commit, dirty state and a credential-free remote from a real repository', async () => {
    const repo = tempDir('tracelet-git-');
    const run = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    run('init', '-q', '-b', 'exp/lr-sweep');
    run('config', 'user.email', 't@example.com');
    run('config', 'user.name', 'T');
    fs.writeFileSync(path.join(repo, 'train.py'), 'print(1)\n');
    run('add', '.');
    run('commit', '-qm', 'first');
    run('remote', 'add', 'origin', 'https://alice:s3cret@example.com/team/model.git');
    fs.writeFileSync(path.join(repo, 'train.py'), 'print(2)\n');
    fs.writeFileSync(path.join(repo, 'new.txt'), 'x');
    const collector = new GitCollector();
    collector.initialize({ timeoutMs: 5000 }, context(repo));
    const values = await collector.collect();
    assert.deepEqual(values, {
      repository: true,
      branch: 'exp/lr-sweep',
      commit: run('rev-parse', 'HEAD'),
      dirty: true,
      changedFiles: 2,
      remote: 'https://example.com/team/model.git',
    });
  });

  it('says so outside a repository', async () => {
    const collector = new GitCollector();
    collector.initialize({}, context(tempDir('tracelet-nogit-')));
    assert.deepEqual(await collector.collect(), { repository: false });
  });
});

describe('environment collector', () => {
  it('records allow-listed variables but never secret-looking ones', () => {
    const collector = new EnvironmentCollector();
    collector.initialize({ envAllowList: ['CUDA_VISIBLE_DEVICES', 'WANDB_API_KEY', 'HF_TOKEN', 'UNSET'] }, context('/'));
    collector.useEnvironment({ CUDA_VISIBLE_DEVICES: '0,1', WANDB_API_KEY: 'k', HF_TOKEN: 't', OTHER: 'o' });
    const values = collector.collect();
    assert.deepEqual(values.env, { CUDA_VISIBLE_DEVICES: '0,1' });
    assert.equal((values.cpu as { cores: number }).cores > 0, true);
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'MLFLOW_TRACKING_PASSWORD']) assert.equal(isSecretName(name), true, name);
    assert.equal(isSecretName('CUDA_VISIBLE_DEVICES'), false);
  });
});
