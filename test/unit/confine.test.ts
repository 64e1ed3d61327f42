import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkSegment, childFolder, confinedJoin, isInside, PathEscapeError, realInside, resolveWithin } from '../../src/core/paths/confine';
import { writeFileAtomic } from '../../src/core/store/atomicFile';
import { MetricsLogWriter } from '../../src/core/store/metricsLog';
import { listRuns, removeRunFolder, runDirIn } from '../../src/core/store/runRecord';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-confine-'));

/** Hostile values from workspace data or plugins: none may lead out of the root. */
const HOSTILE = [
  '..',
  '../x',
  '../../elsewhere',
  'a/../../b',
  'a/b/../../..',
  '/etc/passwd',
  '//server/share',
  'C:\\Windows\\System32',
  'C:x',
  'c:/x',
  '..\\..\\x',
  'a\\..\\..\\b',
  'a/..\\../b',
  'nul\u0000byte',
  '\u0000',
  '．．/x',
  '．．／x',
  '‥/x',
  'a／..／..／b',
  '..\u2215x',
  `${'../'.repeat(50)}etc`,
  `${'a/'.repeat(2500)}${'../'.repeat(2501)}x`,
  '',
];

describe('paths from workspace data stay inside their root', () => {
  it('refuses every hostile relative path, naming it and the root', () => {
    for (const value of HOSTILE) {
      let target: string | undefined;
      try {
        target = confinedJoin('artifact path', root, value);
      } catch (err) {
        assert.ok(err instanceof PathEscapeError, `${JSON.stringify(value)}: ${String(err)}`);
        assert.ok(err.message.startsWith('artifact path'), err.message);
        assert.ok(err.message.includes(root), err.message);
        continue;
      }
      // What is accepted (a look-alike that is an ordinary character here) lies strictly inside.
      assert.ok(isInside(root, target) && target !== path.resolve(root), `${JSON.stringify(value)} → ${target}`);
      assert.equal(path.dirname(target), path.resolve(root), `${JSON.stringify(value)} → ${target}: one ordinary name`);
    }
  });

  it('accepts ordinary relative paths, including names that merely start with dots', () => {
    assert.equal(confinedJoin('p', root, 'a/b.txt'), path.join(root, 'a', 'b.txt'));
    assert.equal(confinedJoin('p', root, '..hidden'), path.join(root, '..hidden'));
    assert.equal(confinedJoin('p', root, 'a/./b/../c'), path.join(root, 'a', 'c'));
    assert.equal(confinedJoin('p', root, 'x'.repeat(10_000)), path.join(root, 'x'.repeat(10_000)), 'length alone is for the file system to refuse');
  });

  it('checks one-segment names: no separators, dots, control characters, drive letters or look-alikes', () => {
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'x\u0000', 'tab\there', 'C:', '．．', 'a／b', 'x'.repeat(256), 'é'.repeat(128)]) {
      assert.throws(() => checkSegment('run id', bad, root), PathEscapeError, JSON.stringify(bad));
    }
    for (const good of ['run-1', '20261130-101010-ab12', '..a', 'a..b', 'ünïcödé', 'x'.repeat(255)]) assert.equal(checkSegment('run id', good, root), good);
    assert.equal(childFolder('plugin name', root, 'csv_backend'), path.join(root, 'csv_backend'));
  });

  it('takes a run id only in the documented form, and only as its folder name', () => {
    for (const bad of ['../../elsewhere', '..', '.hidden', '-x', 'a b', 'x'.repeat(129), 'a/b', '']) assert.throws(() => runDirIn(root, bad), /run id/);
    assert.equal(runDirIn(root, '20261130-101010-ab12'), path.join(root, '20261130-101010-ab12'));
    const runs = path.join(root, 'runs');
    fs.mkdirSync(path.join(runs, 'honest'), { recursive: true });
    fs.mkdirSync(path.join(runs, 'liar'), { recursive: true });
    const record = (id: string) => JSON.stringify({ formatVersion: 1, id, name: id, command: 'x', cwd: '/', startTime: 1, status: 'finished', metrics: {} });
    fs.writeFileSync(path.join(runs, 'honest', 'run.json'), record('honest'));
    fs.writeFileSync(path.join(runs, 'liar', 'run.json'), record('../../elsewhere'));
    const reported: string[] = [];
    assert.deepEqual(
      listRuns(runs, (folder, problem) => reported.push(`${path.basename(folder)}: ${problem}`)).map((r) => r.id),
      ['honest'],
    );
    assert.equal(reported.length, 1);
    assert.match(reported[0]!, /^liar: its run.json says id "\.\.\/\.\.\/elsewhere", not the folder's name "liar"/);
  });

  it('follows symlinks before deciding: a link out of the root is refused, a link inside is fine', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-outside-'));
    const inner = path.join(root, 'links');
    fs.mkdirSync(path.join(inner, 'real'), { recursive: true });
    fs.symlinkSync(outside, path.join(inner, 'out'));
    fs.symlinkSync(path.join(inner, 'real'), path.join(inner, 'in'));
    assert.throws(() => realInside('run folder', inner, path.join(inner, 'out')), /is a link to .*outside its folder/);
    assert.throws(() => realInside('run folder', inner, path.join(inner, 'out', 'not-yet', 'file')), PathEscapeError);
    assert.equal(realInside('run folder', inner, path.join(inner, 'in')), fs.realpathSync(path.join(inner, 'real')));
    assert.equal(realInside('run folder', inner, path.join(inner, 'new', 'deep')), path.join(fs.realpathSync(inner), 'new', 'deep'));
  });

  it('deletes a run folder, but never through a link out of the runs folder, and leaves what is outside untouched', async () => {
    const runs = path.join(root, 'delete-runs');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-precious-'));
    fs.writeFileSync(path.join(outside, 'precious.txt'), 'keep me');
    fs.mkdirSync(path.join(runs, 'ordinary'), { recursive: true });
    fs.writeFileSync(path.join(runs, 'ordinary', 'run.json'), '{}');
    fs.symlinkSync(outside, path.join(runs, 'linked'));
    await removeRunFolder(runs, 'ordinary');
    assert.ok(!fs.existsSync(path.join(runs, 'ordinary')));
    await assert.rejects(removeRunFolder(runs, 'linked'), /run folder .*linked is a symbolic link/);
    await assert.rejects(removeRunFolder(runs, '../delete-runs'), /run id "\.\.\/delete-runs" is not a run id/);
    assert.equal(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8'), 'keep me');
  });

  it('replaces a file that is a link instead of writing through it', () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-target-')), 'bashrc');
    fs.writeFileSync(outside, 'original');
    const planted = path.join(root, 'metrics.csv');
    fs.symlinkSync(outside, planted);
    writeFileAtomic(planted, 'metric,step,value,time\n');
    assert.equal(fs.readFileSync(outside, 'utf8'), 'original');
    assert.ok(!fs.lstatSync(planted).isSymbolicLink());
    assert.equal(fs.readFileSync(planted, 'utf8'), 'metric,step,value,time\n');
  });

  it('never opens a metrics log through a link, so a planted metrics.bin cannot truncate the file it points at', () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tracelet-target-')), 'notes.txt');
    fs.writeFileSync(outside, 'not a metrics log, and not to be cut');
    const runDir = path.join(root, 'planted-run');
    fs.mkdirSync(runDir);
    fs.symlinkSync(outside, path.join(runDir, 'metrics.bin'));
    assert.throws(() => MetricsLogWriter.open(path.join(runDir, 'metrics.bin')), /metrics\.bin is a symbolic link; a metrics log is never written through one/);
    assert.equal(fs.readFileSync(outside, 'utf8'), 'not a metrics log, and not to be cut');
  });

  it('resolves a setting path from the command folder, and keeps a workspace setting inside the workspace', () => {
    const ws = path.join(root, 'ws');
    assert.equal(resolveWithin('params file', path.join(ws, 'sub'), '../conf.yaml', ws), path.join(ws, 'conf.yaml'));
    assert.throws(
      () => resolveWithin('params file', path.join(ws, 'sub'), '../../.aws/credentials', ws),
      /params file "\.\.\/\.\.\/\.aws\/credentials" leaves the workspace folder/,
    );
    assert.throws(() => resolveWithin('params file', ws, '/etc/passwd', ws), PathEscapeError);
    assert.equal(resolveWithin('params file', ws, '/etc/hosts', undefined), '/etc/hosts', 'a user setting may name any file');
  });
});
