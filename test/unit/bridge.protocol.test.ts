import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { bridgePythonPath } from '../../src/plugins/pythonBridge/bridgeLocation';
import { BridgeProcess } from '../../src/plugins/pythonBridge/bridgeProcess';
import { parseReply, pointsRequest } from '../../src/plugins/pythonBridge/bridgeProtocol';
import { quietLogger } from './pipelineHelpers';

const python = ['python3', 'python'].find((p) => {
  try {
    execFileSync(p, ['-c', '']);
    return true;
  } catch {
    return false;
  }
});

describe('the bridge protocol', () => {
  it('encodes points once per name, with non-finite values and missing steps, as the Python side decodes them', {
    skip: python ? undefined : 'no python3 on PATH',
  }, () => {
    const line = pointsRequest(
      7,
      [
        { name: 'loss', value: 0.5, step: 1, time: 10 },
        { name: 'a"b', value: Number.NaN, time: 11 },
        { name: 'loss', value: Number.NEGATIVE_INFINITY, step: 2, time: 12 },
      ],
      (n) => n.toUpperCase(),
    );
    assert.deepEqual(JSON.parse(line), {
      id: 7,
      op: 'points',
      names: ['LOSS', 'A"B'],
      points: [
        [0, 0.5, 1, 10],
        [1, 'NaN', null, 11],
        [0, '-Infinity', 2, 12],
      ],
    });
    const decoded = execFileSync(
      python!,
      ['-c', 'import json,sys; from tracelet_bridge.protocol import decode_points; print(repr(list(decode_points(json.loads(sys.stdin.read())))))'],
      { input: line, env: { ...process.env, PYTHONPATH: bridgePythonPath() }, encoding: 'utf8' },
    );
    assert.equal(decoded.trim(), `[('LOSS', 0.5, 1, 10), ('A"B', nan, None, 11), ('LOSS', -inf, 2, 12)]`);
  });

  it('reads replies and refuses what is not one', () => {
    assert.deepEqual(parseReply('{"id":1,"ok":true,"accepted":3}'), { id: 1, ok: true, accepted: 3 });
    assert.deepEqual(parseReply('{"id":2,"ok":false,"error":{"call":"run.log","type":"ValueError","message":"bad"}}'), {
      id: 2,
      ok: false,
      error: { call: 'run.log', type: 'ValueError', message: 'bad' },
    });
    assert.equal(parseReply('wandb: Tracking run with wandb version 0.31.0'), undefined);
    assert.equal(parseReply('{"id":3}'), undefined);
  });

  it('fails the waiting call when the bridge cannot start or exits, naming it', async () => {
    const missing = new BridgeProcess({
      backend: 'wandb',
      interpreter: path.join(os.tmpdir(), 'no-python-here'),
      env: process.env,
      logger: quietLogger,
      callTimeoutMs: 5000,
    });
    await assert.rejects(missing.call('hello'), /^BridgeCallError: wandb bridge could not start .*no-python-here: spawn .* ENOENT/);
    assert.equal(missing.alive, false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bridge-'));
    const exits = path.join(dir, 'python');
    fs.writeFileSync(exits, '#!/bin/sh\necho "bridge broke" >&2\nexit 3\n', { mode: 0o755 });
    const lines: string[] = [];
    const logger = { ...quietLogger, info: (m: string) => lines.push(m) };
    const dying = new BridgeProcess({ backend: 'aim', interpreter: exits, env: process.env, logger, callTimeoutMs: 5000 });
    await assert.rejects(dying.call('hello'), /^BridgeCallError: aim bridge exited \(code 3\)( during "hello")?; it will be started again$/);
    await dying.exited;
    assert.deepEqual(lines, ['python: bridge broke']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads what a bridge wrote just before it exited: its last reply settles the call, its last words are logged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-bridge-'));
    const last = path.join(dir, 'python');
    // Many lines on stderr, then the reply, then exit at once: the pipes still hold them when the exit is seen.
    fs.writeFileSync(
      last,
      '#!/bin/sh\nread request\ni=0\nwhile [ $i -lt 3000 ]; do echo "warning $i of a long traceback" >&2; i=$((i+1)); done\necho \'{"id":1,"ok":true,"accepted":3}\'\nexit 0\n',
      { mode: 0o755 },
    );
    for (let round = 0; round < 5; round++) {
      const lines: string[] = [];
      const bridge = new BridgeProcess({
        backend: 'aim',
        interpreter: last,
        env: process.env,
        logger: { ...quietLogger, info: (m: string) => lines.push(m) },
        callTimeoutMs: 5000,
      });
      assert.deepEqual(await bridge.call('hello'), { id: 1, ok: true, accepted: 3 }, `round ${round}`);
      await bridge.exited;
      assert.equal(lines.length, 3000, `round ${round}: every stderr line logged by the time it has exited`);
      assert.equal(lines.at(-1), 'python: warning 2999 of a long traceback');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
