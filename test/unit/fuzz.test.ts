// A bounded, fixed-seed run of every fuzz target (test/fuzz/*.fuzz.ts); `npm run fuzz -- --minutes N` runs them long.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailure, fuzz } from '../fuzz/harness';
import { loadTargets } from '../fuzz/targets';

const SEED = 20261130;
/** Cases per target; each target keeps one case small enough that this stays around a second or two. */
const CASES = 300;

test('fuzz targets hold on a fixed-seed run', async (t) => {
  const targets = await loadTargets();
  assert.ok(targets.length > 0, 'test/fuzz has targets');
  for (const target of targets) {
    await t.test(`${target.name}: ${target.checks}`, () => {
      const result = fuzz(target, { seed: SEED, cases: CASES });
      if (result.failure) assert.fail(describeFailure(result.failure));
      assert.equal(result.cases, CASES);
    });
  }
});
