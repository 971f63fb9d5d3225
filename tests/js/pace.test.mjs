import test from 'node:test';
import assert from 'node:assert/strict';

import { stateTable } from '../../static/js/playground/state.js';
import { OPTIONS } from './options.mjs';

const table = stateTable(OPTIONS);

test('a new page plays at the pace the server names as its default', () => {
  assert.equal(table.defaultState().pace, OPTIONS.pace.default);
  assert.ok(OPTIONS.pace.choices.includes(OPTIONS.pace.default));
});

test('the pace travels in the link, "max" standing for as fast as the server allows', () => {
  const fast = { ...table.defaultState(), pace: null };
  assert.equal(table.toQuery(fast), 'pace=max');
  assert.equal(table.parseQuery('pace=max').pace, null);
  assert.equal(table.parseQuery('pace=10').pace, 10);
  assert.equal(table.toQuery(table.defaultState()), '');
});

test('a malformed or non-positive pace in a link falls back to the default', () => {
  for (const bad of ['0', '-5', 'fast', '', 'NaN']) {
    assert.equal(table.parseQuery(`pace=${bad}`).pace, OPTIONS.pace.default, bad);
  }
});

test('the pace is the stream\'s: it never reaches the session request and changes no session or live field', () => {
  const before = table.defaultState();
  const after = { ...before, pace: 3 };
  assert.equal('pace' in table.requestBody(after), false);
  assert.deepEqual(table.changedScopes(before, after), { session: false, live: false, view: false, pace: true });
  assert.deepEqual(table.liveChanges(before, after), {});
});
