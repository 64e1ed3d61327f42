import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextHealth } from '../../src/core/sampler/backoff';
import { percentile } from '../../src/core/sampler/costTracker';
import { Sampler } from '../../src/core/sampler/sampler';
import type { Sample, SampleSource } from '../../src/core/sampler/types';
import { waitUntil } from '../support/waitUntil';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `promise`'s value, or 'late' when a timer due `ms` from now fires first. Node fires timers in the
 * order they fall due however late it gets to them, so against a timer the code under test set just
 * before, this compares due times, not how fast the machine is.
 */
async function settlesBefore<T>(promise: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(r, ms, 'late')));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The sampler's next sample, or undefined when a timer due `ms` from now fires first (due order, as above). */
function nextSample(sampler: Sampler, ms: number): Promise<Sample | undefined> {
  return new Promise((resolve) => {
    const listener = sampler.onDidSample((s) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(s);
    });
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(undefined);
    }, ms);
  });
}

/** A sampler on a fake clock and a fake CPU meter that collectors advance themselves. */
function fake(intervalMs = 1000) {
  const t = { now: 0, cpuUs: 0 };
  let sources: SampleSource[] = [];
  const sampler = new Sampler({ intervalMs, sources: () => sources, clock: () => t.now, cpuUsage: () => ({ user: t.cpuUs, system: 0 }) });
  return { t, sampler, use: (s: SampleSource[]) => (sources = s) };
}

/** A collector that takes `ms` of wall time and `cpuMs` of CPU on the fake clock, counting its calls. */
function timed(t: { now: number; cpuUs: number }, ms: number, cpuMs = ms, values: Record<string, unknown> = { v: 1 }) {
  const c = {
    calls: 0,
    fail: false,
    collect() {
      c.calls += 1;
      t.now += ms;
      t.cpuUs += cpuMs * 1000;
      if (c.fail) throw new Error('boom');
      return values;
    },
  };
  return c;
}

describe('sampler cost accounting', () => {
  it('times every collect() in wall and CPU time, mean and p95', async () => {
    const { t, sampler, use } = fake();
    let n = 0;
    const varying = {
      collect() {
        n += 1;
        t.now += n; // 1, 2, ..., 20 ms
        t.cpuUs += 500;
        return {};
      },
    };
    use([
      { name: 'a', collector: timed(t, 5, 2) },
      { name: 'b', collector: varying },
    ]);
    for (let i = 0; i < 20; i++) {
      await sampler.tick();
      t.now += 1000;
    }
    const [a, b] = sampler.reports();
    assert.equal(a!.name, 'a');
    assert.deepEqual(a!.cost, { calls: 20, lastMs: 5, meanMs: 5, p95Ms: 5, cpuMs: 2 });
    assert.equal(b!.cost.meanMs, 10.5);
    assert.equal(b!.cost.p95Ms, 19);
    assert.equal(b!.cost.cpuMs, 0.5);
  });

  it('computes nearest-rank percentiles', () => {
    assert.equal(percentile([], 95), 0);
    assert.equal(percentile([3, 1, 2], 50), 2);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
  });
});

describe('sampler back-off', () => {
  it('skips a throwing collector for a growing while without stopping the others', async () => {
    const { t, sampler, use } = fake(1000);
    const good = timed(t, 1);
    const bad = timed(t, 1);
    bad.fail = true;
    use([
      { name: 'bad', collector: bad },
      { name: 'good', collector: good },
    ]);
    const calledAt: number[] = [];
    for (let i = 0; i < 12; i++) {
      const before = bad.calls;
      const s = await sampler.tick();
      if (bad.calls > before) calledAt.push(i);
      assert.ok(s.fresh.includes('good'));
      assert.equal(s.fresh.includes('bad'), false);
      t.now += 1000 - 2;
    }
    assert.equal(good.calls, 12);
    // waits 2, 4, 8 intervals after the 1st, 2nd and 3rd failure
    assert.deepEqual(calledAt, [0, 2, 6]);
    const report = sampler.reports().find((r) => r.name === 'bad')!;
    assert.equal(report.health.state, 'backoff');
    assert.match(report.lastProblem!, /failed: boom/);
    if (report.health.state === 'backoff') assert.equal(report.health.failures, 3);
    bad.fail = false;
    t.now += 10_000;
    await sampler.tick();
    assert.deepEqual(sampler.reports().find((r) => r.name === 'bad')!.health, { state: 'ok' });
    assert.match(sampler.reports().find((r) => r.name === 'bad')!.lastProblem!, /boom/, 'the last problem stays visible');
  });

  it('backs off a collector slower than the interval but keeps its values', async () => {
    const { t, sampler, use } = fake(1000);
    const slow = timed(t, 1500, 1500, { x: 42 });
    use([{ name: 'slow', collector: slow }]);
    const s = await sampler.tick();
    assert.deepEqual(s.values.slow, { x: 42 });
    const r = sampler.reports()[0]!;
    assert.equal(r.health.state, 'backoff');
    assert.match(r.lastProblem!, /slow: collect\(\) took 1500 ms, longer than the 1000 ms interval/);
    t.now += 500;
    await sampler.tick();
    assert.equal(slow.calls, 1);
  });

  it('caps the pause', () => {
    let h = nextHealth({ state: 'ok' }, { ok: false, reason: 'x' }, 0, 1000, 5000);
    for (let i = 0; i < 10; i++) h = nextHealth(h, { ok: false, reason: 'x' }, 0, 1000, 5000);
    assert.equal(h.state === 'backoff' && h.resumeAt, 5000);
  });

  it('gives up waiting for a hung async collect() and does not call it again while it hangs', async () => {
    const { t, sampler, use } = fake(50);
    let calls = 0;
    let release: (v: Record<string, unknown>) => void = () => undefined;
    const hung = {
      collect: () => {
        calls += 1;
        return new Promise<Record<string, unknown>>((r) => (release = r));
      },
    };
    use([
      { name: 'hung', collector: hung },
      { name: 'ok', collector: { collect: () => ({ y: 1 }) } },
    ]);
    const s = await settlesBefore(sampler.tick(), 1100);
    assert.ok(s !== 'late', 'the tick moved on at its 1000 ms timeout');
    assert.deepEqual(s.fresh, ['ok']);
    assert.match(sampler.reports()[0]!.lastProblem!, /did not finish within 1000 ms/);
    t.now += 10_000; // past its back-off: only being in flight keeps it from being called
    await sampler.tick();
    assert.equal(calls, 1, 'still in flight: not called again');
    release({});
    await new Promise((r) => setImmediate(r)); // the settled call is noted in microtasks, all run by now
    t.now += 10_000;
    const next = sampler.tick();
    assert.equal(calls, 2, 'called again once it settled and its back-off ended');
    release({});
    await next;
  });
});

describe('sampler with async collectors', () => {
  it('reports a rejected collect() as a failure', async () => {
    const sampler = new Sampler({ intervalMs: 50, sources: () => [{ name: 'r', collector: { collect: () => Promise.reject(new Error('no data')) } }] });
    const s = await sampler.tick();
    assert.deepEqual(s.fresh, []);
    assert.match(sampler.reports()[0]!.lastProblem!, /^failed: no data$/);
  });

  it('leaves no unhandled rejection when a collect() fails after its timeout', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      let fail: (e: Error) => void = () => undefined;
      const late = { collect: () => new Promise<Record<string, unknown>>((_, reject) => (fail = reject)) };
      const sampler = new Sampler({ intervalMs: 50, sources: () => [{ name: 'late', collector: late }] });
      await sampler.tick();
      fail(new Error('too late'));
      // Node reports an unhandled rejection once the microtasks have run, before the next macrotask.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('sampler scheduling', () => {
  it('never runs two ticks at once', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const slowish = {
      async collect() {
        calls += 1;
        active += 1;
        most = Math.max(most, active);
        await sleep(15);
        active -= 1;
        return {};
      },
    };
    // A clock that stands still: on a loaded machine the collector would count as slow and be backed off, thinning out the ticks.
    const sampler = new Sampler({ intervalMs: 20, clock: () => 0, sources: () => [{ name: 's', collector: slowish }] });
    const [a, b] = [sampler.tick(), sampler.tick()];
    assert.equal(a, b, 'a second tick() while one runs joins it');
    await a;
    sampler.start();
    for (let i = 0; i < 15; i++) void sampler.tick();
    await waitUntil(() => calls >= 6, 'the sampler ticked six times');
    sampler.stop();
    assert.equal(most, 1);
  });

  it('pauses and resumes', async () => {
    let calls = 0;
    const sampler = new Sampler({ intervalMs: 10, sources: () => [{ name: 'c', collector: { collect: () => ((calls += 1), {}) } }] });
    sampler.start();
    await waitUntil(() => calls >= 3, 'the sampler ticked');
    sampler.pause();
    assert.equal(sampler.state, 'paused');
    // A tick left scheduled would be due within one interval (10 ms), so it would come before this 80 ms timer.
    assert.equal(await nextSample(sampler, 80), undefined, 'no ticks while paused');
    sampler.resume();
    assert.ok(await nextSample(sampler, 2000), 'ticks again at once after resume');
    sampler.dispose();
    const stopped = calls;
    await sleep(40); // longer than an interval, as above
    assert.equal(calls, stopped, 'no ticks after dispose()');
  });

  it('tells listeners about every tick and follows a new interval', async () => {
    const sampler = new Sampler({ intervalMs: 10_000, sources: () => [] });
    const seen: number[] = [];
    sampler.onDidSample((s) => seen.push(s.time));
    sampler.start();
    assert.ok(await nextSample(sampler, 2000), 'the first tick runs at once');
    assert.equal(await nextSample(sampler, 200), undefined, 'the next waits ten seconds');
    sampler.setIntervalMs(10);
    // Each tick must come before a timer due in 2 s, set when the tick before it ended: at the old interval it would come after.
    for (let i = 2; i <= 4; i++) assert.ok(await nextSample(sampler, 2000), `tick ${i} came at the new interval`);
    sampler.stop();
    assert.equal(seen.length, 4);
  });
});

describe('sampler sources', () => {
  it('starts fresh statistics when a plugin instance is replaced, and forgets removed ones', async () => {
    const { t, sampler, use } = fake();
    use([
      { name: 'system', collector: timed(t, 3) },
      { name: 'gpu', collector: timed(t, 1) },
    ]);
    await sampler.tick();
    await sampler.tick();
    assert.equal(sampler.reports()[0]!.cost.calls, 2);
    use([{ name: 'system', collector: timed(t, 7) }]);
    await sampler.tick();
    assert.deepEqual(
      sampler.reports().map((r) => [r.name, r.cost.calls, r.cost.lastMs]),
      [['system', 1, 7]],
    );
  });

  it('keeps a skipped collector’s last values for three intervals only', async () => {
    const { t, sampler, use } = fake(1000);
    const c = timed(t, 0, 0, { z: 1 });
    use([{ name: 'c', collector: c }]);
    await sampler.tick();
    c.fail = true;
    t.now += 1000;
    assert.deepEqual((await sampler.tick()).values.c, { z: 1 });
    t.now += 2500;
    assert.equal((await sampler.tick()).values.c, undefined);
  });
});
