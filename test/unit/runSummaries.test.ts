import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunSummaries, type RunSummary } from '../../src/core/series/runSummaries';
import { compileFilter, FilterError, filterRuns, parseFilter } from '../../src/core/series/runsFilter';
import { differingParams, sortRuns, type RunColumn } from '../../src/core/series/runsTable';
import { newRunRecord, writeRunRecord, type RunRecord } from '../../src/core/store/runRecord';
import { T0, tempRun } from './seriesHelpers';

const root = tempRun('tracelet-summaries-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

function record(id: string, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    ...newRunRecord({ id, name: id, command: 'python train.py', cwd: '/w', startTime: T0, host: 'box', user: 'ann', tags: {} }),
    ...fields,
  };
}

function save(r: RunRecord): string {
  const dir = path.join(root, r.id);
  fs.mkdirSync(dir, { recursive: true });
  writeRunRecord(dir, r);
  return dir;
}

const ids = (runs: readonly RunSummary[]): string[] => runs.map((r) => r.id);

function runs(): RunSummary[] {
  const cache = new RunSummaries();
  const dir = tempRun('tracelet-table-');
  const made = [
    record('a', {
      status: 'finished',
      params: { lr: 0.1, opt: 'adam' },
      command: 'python train.py --model resnet50',
      metrics: { loss: { count: 3, last: 0.5, min: 0.4, max: 2, lastTime: 0 } },
      endTime: T0 + 60_000,
    }),
    record('b', {
      status: 'failed',
      params: { lr: 0.001, opt: 'sgd' },
      startTime: T0 + 1,
      metrics: { loss: { count: 3, last: 0.2, min: 0.1, max: 1, lastTime: 0 } },
    }),
    record('c', {
      status: 'finished',
      params: { lr: 0.001, opt: 'adam', epochs: 3 },
      startTime: T0 + 2,
      endTime: T0 + 3000,
      context: { git: { branch: 'main', commit: 'abc', dirty: true } },
    }),
    record('d', { status: 'running', params: { lr: '0.01', opt: 'adam' }, startTime: T0 + 3, command: 'torchrun ResNet.py' }),
  ];
  for (const r of made) {
    fs.mkdirSync(path.join(dir, r.id));
    writeRunRecord(path.join(dir, r.id), r);
  }
  const list = cache.list(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return list;
}

describe('run summaries cache', () => {
  it('reads each run.json once, and again only when it changed; forgets deleted runs; reports a foreign id', () => {
    for (let i = 0; i < 20; i++) save(record(`run-${i}`, { startTime: T0 + i }));
    const cache = new RunSummaries();
    const problems: string[] = [];
    assert.deepEqual(ids(cache.list(root)).slice(0, 3), ['run-19', 'run-18', 'run-17'], 'newest first');
    assert.equal(cache.reads, 20);
    cache.list(root);
    assert.equal(cache.reads, 20, 'nothing changed: nothing read');
    const changed = record('run-3', { startTime: T0 + 3, status: 'finished', name: 'renamed run' });
    save(changed);
    // mtime may not move within the clock's resolution; the size does here.
    const list = cache.list(root);
    assert.equal(cache.reads, 21);
    assert.equal(list.find((r) => r.id === 'run-3')!.name, 'renamed run');
    fs.rmSync(path.join(root, 'run-5'), { recursive: true });
    assert.equal(cache.list(root).length, 19);
    fs.mkdirSync(path.join(root, 'run-x'));
    writeRunRecord(path.join(root, 'run-x'), record('elsewhere'));
    fs.mkdirSync(path.join(root, 'run-z'));
    fs.writeFileSync(path.join(root, 'run-z', 'run.json'), '{ not json');
    assert.equal(
      cache.list(root, (folder, problem) => problems.push(`${path.basename(folder)}: ${problem}`)).some((r) => r.id === 'elsewhere'),
      false,
    );
    assert.match(problems[0]!, /^run-x: its run.json says id "elsewhere"/);
  });

  it('keeps what the table shows and leaves the environment out', () => {
    const dir = save(record('env-run', { context: { git: { branch: 'dev', commit: 'f00', dirty: false }, environment: { env: { HOME: '/h' } } } }));
    const s = new RunSummaries().get(dir)!;
    assert.deepEqual(s.git, { branch: 'dev', commit: 'f00', dirty: false });
    assert.deepEqual(Object.keys(s.record.context), ['git']);
    const bare = save(record('no-context'));
    fs.writeFileSync(path.join(bare, 'run.json'), fs.readFileSync(path.join(bare, 'run.json'), 'utf8').replace('"context": {}', '"context": null'));
    assert.deepEqual(new RunSummaries().get(bare)!.record.context, {}, 'a context that is not an object reads as none');
  });

  it('keeps well-formed metric summaries as read and coerces a run.json written by hand', () => {
    const good = { loss: { count: 3, last: 0.5, min: 0.4, max: 2, lastStep: 2, lastTime: 0 } };
    const dir = save(record('metrics-ok', { metrics: good }));
    assert.deepEqual(new RunSummaries().get(dir)!.metrics, good);
    const odd = save(record('metrics-odd', { metrics: good }));
    // NaN is written as null; a summary without a count is no summary.
    const text = fs
      .readFileSync(path.join(odd, 'run.json'), 'utf8')
      .replace('"metrics": {', '"metrics": { "acc": { "count": 2, "last": null, "min": "0.1", "max": 1 }, "bad": 7, "nocount": {},');
    fs.writeFileSync(path.join(odd, 'run.json'), text);
    assert.deepEqual(new RunSummaries().get(odd)!.metrics, {
      acc: { count: 2, last: 0, min: 0.1, max: 1 },
      loss: { count: 3, last: 0.5, min: 0.4, max: 2, lastStep: 2 },
    });
  });

  it('lists a runs folder after get() read one of its runs, and drops a run whose run.json went away', () => {
    const dir = tempRun('tracelet-summaries-get-');
    for (const id of ['g-1', 'g-2']) {
      fs.mkdirSync(path.join(dir, id));
      writeRunRecord(path.join(dir, id), record(id));
    }
    const cache = new RunSummaries();
    assert.equal(cache.get(path.join(dir, 'g-1'))?.id, 'g-1');
    assert.deepEqual(ids(cache.list(dir)).sort(), ['g-1', 'g-2']);
    assert.equal(cache.reads, 2, 'the run get() read is not read again');
    fs.rmSync(path.join(dir, 'g-2', 'run.json'));
    assert.deepEqual(ids(cache.list(dir)), ['g-1']);
    assert.equal(cache.get(path.join(dir, 'g-2')), undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(cache.list(dir), []);
  });
});

describe('runs table: sort, filter, columns that differ', () => {
  const all = runs();
  const col = (c: RunColumn) => c;

  it('sorts by any column, stably, with runs lacking the value last in both directions', () => {
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'param', name: 'lr' }), 'asc')), ['c', 'b', 'a', 'd'], 'numbers, then text');
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'metric', name: 'loss', stat: 'last' }), 'asc')), ['b', 'a', 'd', 'c']);
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'metric', name: 'loss', stat: 'last' }), 'desc')), ['a', 'b', 'd', 'c']);
    // `all` is newest first (d c b a): equal statuses keep that order, and the reverse of it when given reversed.
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'field', field: 'status' }), 'asc')), ['b', 'c', 'a', 'd']);
    assert.deepEqual(ids(sortRuns([...all].reverse(), col({ kind: 'field', field: 'status' }), 'asc')), ['b', 'a', 'c', 'd']);
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'field', field: 'branch' }), 'desc')), ['c', 'd', 'b', 'a']);
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'field', field: 'duration' }), 'desc', T0 + 10 * 60_000)), ['d', 'a', 'c', 'b']);
    assert.deepEqual(ids(sortRuns(all, col({ kind: 'field', field: 'name' }), 'desc')), ['d', 'c', 'b', 'a']);
  });

  it('filters with comparisons, and, or, not, parentheses, contains, words and quoted text', () => {
    const f = (text: string): string[] => ids(filterRuns(all, text, T0 + 10 * 60_000)).sort();
    assert.deepEqual(f('lr < 0.01 and status = finished'), ['c']);
    assert.deepEqual(f('lr < 0.05'), ['b', 'c', 'd'], "text that reads as a number ('0.01') compares as one");
    assert.deepEqual(f('command ~ resnet'), ['a', 'd'], 'contains, ignoring case');
    assert.deepEqual(f('status = finished or status = "failed"'), ['a', 'b', 'c']);
    assert.deepEqual(f('not (opt = adam) OR loss.last <= 0.5 and loss.max >= 2'), ['a', 'b']);
    assert.deepEqual(f('params.epochs >= 3'), ['c']);
    assert.deepEqual(f('epochs != 3'), ['a', 'b', 'd'], 'a run without the value matches only !=');
    assert.deepEqual(f('metrics.loss.min < 0.2'), ['b']);
    assert.deepEqual(f('branch = MAIN and dirty = true'), ['c']);
    assert.deepEqual(f('duration > 59'), ['a', 'd']);
    assert.deepEqual(f(`start >= "${new Date(T0 + 2).toISOString()}"`), ['c', 'd']);
    assert.deepEqual(f('`lr` = 0.1'), ['a']);
    assert.deepEqual(f('  '), ['a', 'b', 'c', 'd']);
  });

  it('says where a filter goes wrong and what was expected there', () => {
    const cases: [string, number, RegExp][] = [
      ['lr <', 4, /a value .* after "<", not the end of the filter/],
      ['lr 0.1', 3, /an operator .* after "lr", not "0.1"/],
      ['(lr < 1', 7, /"\)" to close the "\(" at 1/],
      ['lrr < 1', 0, /"lrr" is no field, param or metric/],
      ['lr < 1 status = x', 7, /"and", "or" or the end of the filter, not "status"/],
      ['name = "open', 7, /a closing " for the text that starts here/],
      ['lr # 1', 3, /not "#"/],
      ['and', 0, /a column name; "and" is no field/],
      ['lr < 1 and', 10, /a column name or "\(", not the end of the filter/],
    ];
    for (const [text, position, message] of cases) {
      assert.throws(
        () => parseFilter(text, all),
        (err: unknown) => err instanceof FilterError && err.position === position && message.test(err.expected),
        text,
      );
    }
    assert.equal(compileFilter(parseFilter('lr = 0.1', all))(all[0]!), false, 'all[0] is the newest run, d');
  });

  it('lists the params that differ among the runs', () => {
    assert.deepEqual(differingParams(all).sort(), ['epochs', 'lr', 'opt']);
    assert.deepEqual(differingParams(all.filter((r) => r.id !== 'b' && r.id !== 'c' && r.id !== 'd')), []);
    assert.deepEqual(differingParams(all.filter((r) => r.id === 'a' || r.id === 'd')), ['lr']);
  });
});
