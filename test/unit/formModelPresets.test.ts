// The form's presets (a schema's `presets` keyword) and the Try panel's summary of what a config captures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CaptureCollector, diffCaptures, diffSummary, PREVIEW_LIMITS, previewValue } from '../../src/core/form/outputPreview';
import { presetsOf } from '../../src/core/form/presets';
import { normaliseSchema } from '../../src/core/schema';
import { validateAgainstSchema } from '../../src/core/validate';

const schema = normaliseSchema({
  type: 'object',
  properties: { mode: { type: 'string', enum: ['a', 'b'] }, n: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
  presets: [
    { name: 'Mode A', description: 'For A.', config: { mode: 'a' } },
    { name: 'Mode C', config: { mode: 'c' } },
    { name: 'Mode A', config: { mode: 'a', n: 2 } },
    { description: 'no name', config: {} },
    { name: 'No config' },
    { name: 'Mode B, n 3', config: { mode: 'b', n: 3 } },
    'not an object',
  ],
});

function accepts(config: Record<string, unknown>): string | undefined {
  const v = validateAgainstSchema(schema, config);
  return v.valid ? undefined : v.errors.map((e) => `${e.path} ${e.message}`).join('; ');
}

describe('presetsOf', () => {
  it('keeps the normalised schema’s presets the schema accepts, and says why each other is left out', () => {
    const { presets, problems } = presetsOf(schema, accepts);
    assert.deepEqual(presets, [
      { name: 'Mode A', description: 'For A.', config: { mode: 'a' } },
      { name: 'Mode B, n 3', description: '', config: { mode: 'b', n: 3 } },
    ]);
    assert.equal(problems.length, 5);
    assert.match(problems[0]!, /^presets\[1\] "Mode C": its config is not valid: \/mode must be one of "a", "b"$/);
    assert.match(problems[1]!, /^presets\[2\] "Mode A": the name is already used/);
    assert.match(problems[2]!, /^presets\[3\] needs a "name"/);
    assert.match(problems[3]!, /^presets\[4\] "No config": "config" must be an object/);
    assert.match(problems[4]!, /^presets\[6\] must be an object/);
  });

  it('gives none for a schema without presets, and a reason for presets that are not a list', () => {
    assert.deepEqual(presetsOf({ type: 'object' }, accepts), { presets: [], problems: [] });
    assert.deepEqual(presetsOf({ type: 'object', presets: {} }, accepts), { presets: [], problems: ['"presets" must be a list'] });
  });

  it('copies a preset’s config, so that editing the draft leaves the schema’s preset as it was', () => {
    const raw = { type: 'object', presets: [{ name: 'p', config: { list: [1] } }] };
    const [preset] = presetsOf(raw, () => undefined).presets;
    (preset!.config.list as number[]).push(2);
    assert.deepEqual(raw.presets[0]!.config.list, [1]);
  });
});

describe('CaptureCollector', () => {
  it('sums up each series in the order first seen, and keeps the first records', () => {
    const c = new CaptureCollector();
    c.add([
      { name: 'loss', value: 0.9, line: 1 },
      { name: 'loss', value: 0.5, step: 10, line: 2 },
      { name: 'acc', value: 0.1, step: 10, epoch: 1, line: 2 },
      { name: 'loss', value: Number.NaN, step: 20, line: 3 },
    ]);
    const capture = c.result();
    assert.deepEqual(capture.series, [
      { name: 'loss', count: 3, firstStep: 10, lastStep: 20, lastEpoch: undefined, lastValue: 'NaN' },
      { name: 'acc', count: 1, firstStep: 10, lastStep: 10, lastEpoch: 1, lastValue: 0.1 },
    ]);
    assert.equal(capture.recordCount, 4);
    assert.deepEqual(capture.records[2], { name: 'acc', value: 0.1, step: 10, epoch: 1, line: 2 });
  });

  it('holds a bounded number of records and series however many come', () => {
    const c = new CaptureCollector();
    for (let i = 0; i < PREVIEW_LIMITS.series + 10; i++) c.add([{ name: `m${i}`, value: i, line: i }]);
    c.add([{ name: `m${PREVIEW_LIMITS.series + 5}`, value: 0, line: 0 }]);
    const capture = c.result();
    assert.equal(capture.records.length, PREVIEW_LIMITS.records);
    assert.equal(capture.series.length, PREVIEW_LIMITS.series);
    assert.equal(capture.moreSeries, 10);
    assert.equal(capture.recordCount, PREVIEW_LIMITS.series + 11);
  });

  it('turns values JSON cannot carry into words', () => {
    assert.deepEqual([previewValue(1.5), previewValue(Infinity), previewValue(-Infinity), previewValue(Number.NaN)], [1.5, 'Infinity', '-Infinity', 'NaN']);
  });
});

describe('diffCaptures', () => {
  function capture(series: Record<string, number>): ReturnType<CaptureCollector['result']> {
    const c = new CaptureCollector();
    for (const [name, count] of Object.entries(series)) for (let i = 0; i < count; i++) c.add([{ name, value: i, line: i }]);
    return c.result();
  }

  it('names the series the draft adds and drops against the saved settings, and those counted differently', () => {
    const diff = diffCaptures(capture({ loss: 3, acc: 2, lr: 1, f1: 1 }), capture({ loss: 3, acc: 1, time: 4 }));
    assert.deepEqual(diff, { added: ['lr', 'f1'], removed: ['time'], changed: [{ name: 'acc', draft: 2, saved: 1 }] });
    assert.equal(diffSummary(diff), '+2 series, −1 series, 1 with another count against the saved settings');
    assert.equal(diffSummary(diffCaptures(capture({ loss: 1 }), capture({ loss: 1 }))), 'The same series and counts as the saved settings');
  });
});
