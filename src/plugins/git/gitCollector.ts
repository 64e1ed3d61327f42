import { GIT } from '../collectorDeclarations';
import { execFile } from 'node:child_process';
import { CollectorPlugin, type CollectedValues, type PluginMetadataInput } from '../../core/plugin';
import { programEnv } from '../../core/secrets/programEnv';
import type { PluginConfig, PluginContext, PluginStatus } from '../../core/types';
import { readGitFiles } from './gitFiles';

function git(cwd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 4 * 1024 * 1024, env: programEnv() }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim()),
    );
  });
}

/** Removes user names, passwords and tokens from a remote URL (`https://user:token@host/x` → `https://host/x`). */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/**
 * The repository state at the start of a run: branch, commit, dirty flag, changed files, remote. In an
 * untrusted workspace git is not run (a repository's config can make `git status` run programs, through
 * core.fsmonitor or a filter): branch, commit and remote are read from the .git files, and `dirty` is not known.
 */
export class GitCollector extends CollectorPlugin {
  private cwd = process.cwd();
  private trusted = true;
  private timeoutMs = 5000;
  private last: CollectedValues | undefined;

  getMetadata(): PluginMetadataInput {
    return { ...GIT };
  }

  override initialize(config: PluginConfig, context: PluginContext): void {
    super.initialize(config, context);
    this.timeoutMs = Number(config.timeoutMs ?? 5000);
    this.cwd = context.run?.cwd ?? process.cwd();
    this.trusted = context.trusted !== false;
  }

  start(): void {}
  stop(): void {}

  getStatus(): PluginStatus {
    return { cwd: this.cwd, repository: this.last ? this.last.repository : undefined };
  }

  async collect(): Promise<CollectedValues> {
    if (!this.trusted) {
      const files = readGitFiles(this.cwd);
      this.last = files
        ? {
            repository: true,
            branch: files.branch,
            commit: files.commit,
            ...(files.remote ? { remote: stripCredentials(files.remote) } : {}),
            readWithoutGit: true,
          }
        : { repository: false };
      return this.last;
    }
    const [inside, branch, commit, status, remote] = await Promise.all([
      git(this.cwd, ['rev-parse', '--is-inside-work-tree'], this.timeoutMs),
      git(this.cwd, ['rev-parse', '--abbrev-ref', 'HEAD'], this.timeoutMs),
      git(this.cwd, ['rev-parse', 'HEAD'], this.timeoutMs),
      git(this.cwd, ['status', '--porcelain'], this.timeoutMs),
      git(this.cwd, ['remote', 'get-url', 'origin'], this.timeoutMs),
    ]);
    if (inside !== 'true') {
      this.last = { repository: false };
      return this.last;
    }
    const changed = status ? status.split('\n').filter(Boolean).length : 0;
    this.last = {
      repository: true,
      branch: branch ?? '',
      commit: commit ?? '',
      dirty: changed > 0,
      changedFiles: changed,
      ...(remote ? { remote: stripCredentials(remote) } : {}),
    };
    return this.last;
  }
}
