import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHostMessage, LIMITS, parseWebviewMessage } from '../../src/webviewProtocol/configProtocol';

function refused(raw: unknown, reason: RegExp): void {
  const parsed = parseWebviewMessage(raw);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(raw)?.slice(0, 120)}`);
  if (!parsed.ok) assert.match(parsed.reason, reason);
}

describe('parseWebviewMessage', () => {
  it('accepts each message the webview sends', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    const save = {
      type: 'save',
      scope: 'workspace',
      values: { url: 'http://x', n: 2, on: true, tags: ['a'], nested: { a: null } },
      secrets: { '/token': { action: 'set', value: 's3cret' }, '/auth/key': { action: 'clear' } },
    };
    assert.deepEqual(parseWebviewMessage(save), { ok: true, message: save });
    const test = { type: 'testConnection', values: {}, secrets: {} };
    assert.deepEqual(parseWebviewMessage(test), { ok: true, message: test });
    const csp = { type: 'cspViolation', directive: 'script-src', blocked: 'inline' };
    assert.deepEqual(parseWebviewMessage(csp), { ok: true, message: csp });
  });

  it('refuses what is not a message, and unknown types', () => {
    refused(null, /must be an object/);
    refused('ready', /must be an object/);
    refused([], /must be an object/);
    refused({}, /no type/);
    refused({ type: 'deleteEverything' }, /unknown message type "deleteEverything"/);
    refused({ type: 'init' }, /unknown message type/);
  });

  it('refuses missing and extra fields', () => {
    refused({ type: 'ready', plugin: 'other' }, /unknown field plugin/);
    refused({ type: 'save', scope: 'user', values: {} }, /lacks secrets/);
    refused({ type: 'save', scope: 'user', values: {}, secrets: {}, name: 'another_plugin' }, /unknown field name/);
  });

  it('refuses a scope other than user or workspace', () => {
    refused({ type: 'save', scope: 'folder', values: {}, secrets: {} }, /scope must be one of user, workspace/);
    refused({ type: 'save', scope: 1, values: {}, secrets: {} }, /scope/);
  });

  it('refuses values that are not plain JSON', () => {
    refused({ type: 'save', scope: 'user', values: [], secrets: {} }, /values must be an object/);
    refused({ type: 'save', scope: 'user', values: { n: Number.NaN }, secrets: {} }, /not finite/);
    refused({ type: 'save', scope: 'user', values: { n: Infinity }, secrets: {} }, /not finite/);
    refused({ type: 'save', scope: 'user', values: { d: new Date() }, secrets: {} }, /plain object/);
    refused({ type: 'save', scope: 'user', values: { f: undefined }, secrets: {} }, /must be an object/);
    const polluted = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    refused({ type: 'save', scope: 'user', values: polluted, secrets: {} }, /forbidden key __proto__/);
  });

  it('refuses values too large or too deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < LIMITS.depth + 2; i++) deep = { d: deep };
    refused({ type: 'save', scope: 'user', values: deep, secrets: {} }, /nested deeper/);
    refused({ type: 'save', scope: 'user', values: { s: 'x'.repeat(LIMITS.string + 1) }, secrets: {} }, /longer than/);
    refused({ type: 'save', scope: 'user', values: { a: new Array(LIMITS.nodes + 1).fill(0) }, secrets: {} }, /more than/);
  });

  it('refuses malformed secret edits', () => {
    const base = { type: 'save', scope: 'user', values: {} };
    refused({ ...base, secrets: { token: { action: 'set', value: 'x' } } }, /not a JSON Pointer/);
    refused({ ...base, secrets: { '/token': { action: 'set' } } }, /lacks value/);
    refused({ ...base, secrets: { '/token': { action: 'set', value: 5 } } }, /must be a string/);
    refused({ ...base, secrets: { '/token': { action: 'set', value: '' } } }, /empty/);
    refused({ ...base, secrets: { '/token': { action: 'show' } } }, /unknown action/);
    refused({ ...base, secrets: { '/token': { action: 'clear', value: 'x' } } }, /unknown field value/);
    refused({ ...base, secrets: { '/t': { action: 'set', value: 'x'.repeat(LIMITS.secret + 1) } } }, /longer than/);
    const many = Object.fromEntries(Array.from({ length: LIMITS.secrets + 1 }, (_, i) => [`/s${i}`, { action: 'clear' }]));
    refused({ ...base, secrets: many }, /more than/);
  });

  it('never puts a secret value into its reasons', () => {
    const parsed = parseWebviewMessage({ type: 'save', scope: 'user', values: {}, secrets: { '/token': { action: 'set', value: 'TOPSECRET', extra: 1 } } });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.doesNotMatch(parsed.reason, /TOPSECRET/);
  });

  it('bounds the text of a CSP report', () => {
    refused({ type: 'cspViolation', directive: 'x'.repeat(LIMITS.text + 1), blocked: '' }, /longer than/);
  });
});

describe('parseWebviewMessage: Try on the last run’s output', () => {
  it('accepts the run list request and a try of the draft, on the newest run or a picked one', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'listOutputRuns' }), { ok: true, message: { type: 'listOutputRuns' } });
    const latest = { type: 'tryOutput', values: { formats: { table: true } }, secrets: {}, runId: null };
    assert.deepEqual(parseWebviewMessage(latest), { ok: true, message: latest });
    const picked = { ...latest, runId: '20261125-134512-a3f9', secrets: { '/token': { action: 'clear' } } };
    assert.deepEqual(parseWebviewMessage(picked), { ok: true, message: picked });
  });

  it('refuses a run id that is not one, and the fields a try does not have', () => {
    const base = { type: 'tryOutput', values: {}, secrets: {} };
    refused(base, /lacks runId/);
    refused({ ...base, runId: '../other' }, /runId is not a run id/);
    refused({ ...base, runId: '.hidden' }, /runId is not a run id/);
    refused({ ...base, runId: '' }, /runId is not a run id/);
    refused({ ...base, runId: 'a'.repeat(LIMITS.runId + 1) }, /runId is longer than/);
    refused({ ...base, runId: 7 }, /runId must be a string/);
    refused({ ...base, runId: null, runsRoot: '/etc' }, /unknown field runsRoot/);
    refused({ type: 'listOutputRuns', plugin: 'other' }, /unknown field plugin/);
  });

  it('checks a try’s values and secrets as a save’s', () => {
    const polluted = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    refused({ type: 'tryOutput', values: polluted, secrets: {}, runId: null }, /forbidden key __proto__/);
    refused({ type: 'tryOutput', values: {}, secrets: { '/token': { action: 'set', value: '' } }, runId: null }, /empty/);
  });
});

describe('isHostMessage', () => {
  it('lets through only the host’s message types', () => {
    assert.equal(isHostMessage({ type: 'init' }), true);
    assert.equal(isHostMessage({ type: 'saveResult' }), true);
    assert.equal(isHostMessage({ type: 'outputRuns' }), true);
    assert.equal(isHostMessage({ type: 'tryResult' }), true);
    assert.equal(isHostMessage({ type: 'tryOutput' }), false);
    assert.equal(isHostMessage({ type: 'save' }), false);
    assert.equal(isHostMessage(null), false);
    assert.equal(isHostMessage('init'), false);
  });
});
