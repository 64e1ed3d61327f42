import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parseRunViewMessage } from '../../src/webviewProtocol/runViewParse';
import { toJsonColumn } from '../../src/webviewProtocol/runViewProtocol';

function refused(raw: unknown, reason: RegExp): void {
  const parsed = parseRunViewMessage(raw);
  assert.equal(parsed.ok, false, JSON.stringify(raw));
  if (!parsed.ok) assert.match(parsed.reason, reason);
}

describe('run view protocol: webview → host', () => {
  it('accepts every message of the protocol as it is', () => {
    const messages = [
      { type: 'ready' },
      { type: 'query', requestId: 3, metric: 'train/loss', x: 'step', columns: 640, smoothing: 0.6 },
      { type: 'query', requestId: 4, metric: 'loss', x: 'wall', columns: 1, smoothing: 0, range: [10, 20] },
      { type: 'exportCsv', metric: 'loss', x: 'relative', range: [0, 5000] },
      { type: 'exportCsv', metric: 'loss', x: 'step' },
      { type: 'exportPng', metric: 'loss', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
      { type: 'openRun', runId: 'run-1' },
      { type: 'compare', runIds: ['a', 'b'] },
      { type: 'tableQuery', requestId: 2, filter: 'lr < 0.01', onlyDiffering: false },
      { type: 'tableQuery', requestId: 3, filter: '', onlyDiffering: true, sort: { column: 'train/loss.last', direction: 'desc' } },
      { type: 'cspViolation', directive: 'script-src', blocked: 'inline' },
    ];
    for (const m of messages) assert.deepEqual(parseRunViewMessage(m), { ok: true, message: m });
  });

  it('refuses what is not the protocol, saying why', () => {
    refused(null, /must be an object/);
    refused([], /must be an object/);
    refused({ type: 'nope' }, /unknown message type "nope"/);
    refused({}, /has no type/);
    refused({ type: 'ready', extra: 1 }, /unknown field extra/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'epoch', columns: 10, smoothing: 0 }, /x must be one of step, relative, wall/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 0, smoothing: 0 }, /columns must be an integer from 1/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 1e9, smoothing: 0 }, /columns must be an integer/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 10, smoothing: 1 }, /smoothing must be in \[0, 1\)/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 10, smoothing: Number.NaN }, /smoothing must be a finite number/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 10, smoothing: 0, range: [5, 1] }, /must not end before it starts/);
    refused({ type: 'query', requestId: 1, metric: 'l', x: 'step', columns: 10, smoothing: 0, range: [1, Infinity] }, /range end must be a finite number/);
    refused({ type: 'query', requestId: 1, metric: 'x'.repeat(3000), x: 'step', columns: 10, smoothing: 0 }, /metric is longer than/);
    refused({ type: 'exportPng', metric: 'l', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }, /base64 PNG data URL/);
    refused({ type: 'exportPng', metric: 'l', dataUrl: 'javascript:alert(1)' }, /base64 PNG data URL/);
    refused({ type: 'compare', runIds: 'a' }, /runIds must be a list/);
    refused({ type: 'compare', runIds: [1] }, /run id must be a string/);
    refused({ type: 'tableQuery', requestId: 1, filter: 'x', onlyDiffering: false, sort: { column: 'lr', direction: 'up' } }, /sort direction/);
    refused({ type: 'tableQuery', requestId: 1, filter: 'x'.repeat(3000), onlyDiffering: false }, /filter is longer than/);
    refused({ type: 'lookup', __proto__: { type: 'ready' } }, /plain object/);
    refused(Object.create({ type: 'ready' }), /plain object|has no type/);
  });
});

const header = { id: 'r1', name: '<b>run</b>', status: 'running', command: 'python train.py', startTime: 1, params: [['lr', '0.1']] };
const slice = { runId: 'r1', xs: [0, 1, 2], ys: [1, null, 3], inRange: 3, total: 3, extent: [0, 2], nonFinite: [[1, 'NaN']] };

describe('run view protocol: host → webview', () => {
  it('accepts what the host sends', () => {
    const messages = [
      { type: 'init', kind: 'compare' },
      {
        type: 'runs',
        runs: [header, { ...header, id: 'r2', endTime: 5, exitCode: null, git: { branch: 'main', commit: 'abc', dirty: true }, statusReason: 'x' }],
      },
      { type: 'metrics', metrics: [{ name: 'loss', counts: { r1: 3 } }] },
      { type: 'series', requestId: 1, metric: 'loss', x: 'step', slices: [slice, { ...slice, smoothed: [1, null, 2] }] },
      { type: 'changed', metrics: ['loss'] },
      { type: 'notices', notices: [{ level: 'warning', text: 'torn' }] },
      {
        type: 'tableRows',
        generation: 1,
        first: 0,
        total: 1,
        columns: [
          { key: 'name', kind: 'field', name: 'name' },
          { key: 'params.lr', kind: 'param', name: 'lr' },
          { key: 'loss.last', kind: 'metric', name: 'loss', stat: 'last' },
        ],
        rows: [
          {
            id: 'r1',
            name: 'n',
            status: 'finished',
            startTime: 1,
            endTime: 3,
            duration: 2,
            command: 'c',
            branch: 'main',
            dirty: false,
            params: { lr: 0.1, opt: 'sgd', b: true },
            metrics: { loss: [1, 0, null, 3] },
          },
        ],
      },
      {
        type: 'tableRowsChanged',
        generation: 2,
        changed: [[0, { id: 'r1', name: 'n', status: 'running', startTime: 1, duration: 2, command: 'c', params: {}, metrics: {} }]],
      },
      { type: 'tableView', generation: 2, requestId: 4, order: [0], differing: null, error: null },
      { type: 'tableView', generation: 2, requestId: 5, order: [], differing: ['params.lr'], error: { position: 4, expected: 'a value' } },
      { type: 'exported', ok: true, message: 'Saved /x.csv' },
    ];
    for (const m of messages) {
      const parsed = parseHostMessage(m);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
      assert.deepEqual(JSON.parse(JSON.stringify(parsed.message)), m);
    }
  });

  it('refuses malformed run data instead of drawing it', () => {
    const bad = (raw: unknown, reason: RegExp): void => {
      const parsed = parseHostMessage(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.reason, reason);
    };
    bad({ type: 'series', requestId: 1, metric: 'l', x: 'step', slices: [{ ...slice, ys: [1, 2] }] }, /ys must be as long as xs/);
    bad({ type: 'series', requestId: 1, metric: 'l', x: 'step', slices: [{ ...slice, nonFinite: [[1, '<img>']] }] }, /non-finite label/);
    bad({ type: 'runs', runs: [{ ...header, name: 5 }] }, /run name must be a string/);
    bad({ type: 'runs', runs: [{ ...header, params: [['a']] }] }, /param value must be a string/);
    bad({ type: 'notices', notices: [{ level: 'shout', text: 'x' }] }, /notice level/);
    bad({ type: 'init', kind: 'admin' }, /kind must be/);
    bad(
      {
        type: 'tableRows',
        generation: 1,
        first: 0,
        total: 1,
        columns: [],
        rows: [{ id: 'r', name: 'n', status: 's', startTime: 1, duration: 1, command: 'c', params: JSON.parse('{"__proto__": 1}'), metrics: {} }],
      },
      /forbidden key __proto__/,
    );
    bad({ type: 'tableRows', generation: 1, first: 0, total: 0, columns: [{ key: 'x', kind: 'script', name: 'x' }], rows: [] }, /column kind/);
    bad(
      {
        type: 'tableRows',
        generation: 1,
        first: 5,
        total: 5,
        rows: [{ id: 'r', name: 'n', status: 's', startTime: 1, duration: 1, command: 'c', params: {}, metrics: {} }],
      },
      /past total/,
    );
    bad({ type: 'tableView', generation: 1, requestId: 1, order: [-1], differing: null, error: null }, /row index/);
  });

  it('sends a gap as null: JSON has no NaN', () => {
    assert.deepEqual(toJsonColumn(new Float64Array([1, Number.NaN, Number.POSITIVE_INFINITY, -2])), [1, null, null, -2]);
  });
});
