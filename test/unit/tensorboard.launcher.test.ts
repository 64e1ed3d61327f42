import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { findTensorBoard, startTensorBoard } from '../../src/plugins/tensorboard/tensorboardLauncher';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-tb-launch-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function program(file: string, script: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

describe('finding and starting tensorboard', { skip: process.platform === 'win32' ? 'shell-script stand-ins are POSIX only' : undefined }, () => {
  it("prefers the workspace's virtual environment to PATH, and finds nothing when there is none", () => {
    const workspace = path.join(tmp, 'ws');
    const onPath = program(path.join(tmp, 'bin', 'tensorboard'), 'exit 0');
    assert.equal(findTensorBoard([workspace], { PATH: path.dirname(onPath) }), onPath);
    const inVenv = program(path.join(workspace, '.venv', 'bin', 'tensorboard'), 'exit 0');
    assert.equal(findTensorBoard([workspace], { PATH: path.dirname(onPath) }), inVenv);
    assert.equal(findTensorBoard([path.join(tmp, 'empty')], { PATH: path.join(tmp, 'nowhere') }), undefined);
  });

  it('reports what tensorboard said when it exits before serving', async () => {
    const broken = program(path.join(tmp, 'broken', 'tensorboard'), 'echo "ImportError: no module named tensorboard" >&2; exit 3');
    await assert.rejects(
      startTensorBoard(broken, tmp, { timeoutMs: 10_000 }),
      /^Error: tensorboard exited before it served http:\/\/127\.0\.0\.1:\d+\/: ImportError: no module named tensorboard/,
    );
  });
});
