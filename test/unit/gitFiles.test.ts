import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/core/logger';
import type { PluginContext } from '../../src/core/types';
import { GitCollector } from '../../src/plugins/git/gitCollector';
import { readGitFiles } from '../../src/plugins/git/gitFiles';
import { tempDir } from './pipelineHelpers';

function repository(): { repo: string; git: (...args: string[]) => string } {
  const repo = tempDir('tracelet-gitfiles-');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'exp/lr-sweep');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 'T');
  fs.writeFileSync(path.join(repo, 'train.py'), 'print(1)\n');
  git('add', '.');
  git('commit', '-qm', 'first');
  git('remote', 'add', 'origin', 'https://alice:s3cret@example.com/team/model.git');
  return { repo, git };
}

function untrusted(cwd: string): PluginContext {
  return {
    pluginName: 'git',
    logger: silentLogger,
    storageDir: cwd,
    coreVersion: '0',
    trusted: false,
    run: { id: 'r', name: 'r', command: '', cwd, startTime: 0, host: '', user: '', tags: {} },
  };
}

describe('git state read from the .git files, without running git (Restricted Mode)', () => {
  it('gives what git itself says, from loose refs, packed refs, a subfolder and a detached HEAD', () => {
    const { repo, git } = repository();
    const commit = git('rev-parse', 'HEAD');
    const origin = 'https://alice:s3cret@example.com/team/model.git';
    assert.deepEqual(readGitFiles(repo), { branch: 'exp/lr-sweep', commit, remote: origin });
    fs.mkdirSync(path.join(repo, 'src', 'deep'), { recursive: true });
    assert.deepEqual(readGitFiles(path.join(repo, 'src', 'deep')), { branch: 'exp/lr-sweep', commit, remote: origin });
    git('pack-refs', '--all');
    assert.ok(!fs.existsSync(path.join(repo, '.git', 'refs', 'heads', 'exp', 'lr-sweep')), 'the ref is packed now');
    assert.equal(readGitFiles(repo)?.commit, commit);
    git('checkout', '-q', '--detach');
    assert.deepEqual(readGitFiles(repo), { branch: git('rev-parse', '--abbrev-ref', 'HEAD'), commit, remote: origin });
  });

  it('follows a worktree’s .git file to its git folder and the common one', () => {
    const { git } = repository();
    const worktree = path.join(tempDir('tracelet-worktree-'), 'wt');
    git('worktree', 'add', '-q', '-b', 'side', worktree);
    assert.deepEqual(readGitFiles(worktree), { branch: 'side', commit: git('rev-parse', 'HEAD'), remote: 'https://alice:s3cret@example.com/team/model.git' });
  });

  it('never follows a HEAD or ref that leads out of the git folder, and never reports a non-commit', () => {
    const { repo } = repository();
    const secret = path.join(repo, '..', 'id_rsa');
    fs.writeFileSync(secret, 'PRIVATE KEY MATERIAL\n');
    fs.writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/../../../id_rsa\n');
    assert.deepEqual(readGitFiles(repo), { branch: '', commit: '', remote: 'https://alice:s3cret@example.com/team/model.git' });
    fs.writeFileSync(path.join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(repo, '.git', 'refs', 'heads', 'main'), 'PRIVATE KEY MATERIAL\n');
    assert.equal(readGitFiles(repo)?.commit, '', 'a ref that is not an object id is not reported');
    assert.equal(readGitFiles(tempDir('tracelet-nogit-')), undefined);
  });

  it('in an untrusted workspace the collector runs no git, so a repository config cannot run a program', async () => {
    const { repo, git } = repository();
    const marker = path.join(repo, '..', `fsmonitor-ran-${process.pid}`);
    // core.fsmonitor names a program that `git status` runs: the classic way a cloned folder runs code.
    git('config', 'core.fsmonitor', `touch ${marker}; false`);
    fs.writeFileSync(path.join(repo, 'train.py'), 'print(2)\n');
    const collector = new GitCollector();
    collector.initialize({ timeoutMs: 5000 }, untrusted(repo));
    const values = await collector.collect();
    assert.deepEqual(values, {
      repository: true,
      branch: 'exp/lr-sweep',
      commit: git('rev-parse', 'HEAD'),
      remote: 'https://example.com/team/model.git',
      readWithoutGit: true,
    });
    assert.ok(!fs.existsSync(marker), 'the fsmonitor program did not run');
  });
});
