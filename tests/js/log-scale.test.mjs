import test from 'node:test';
import assert from 'node:assert/strict';

import { LOG_SPAN, wantsLog } from '../../static/js/playground/log-scale.js';

test('a regression loss falling from 13.3 to 0.05 spans more than two decades: log axis', () => {
  assert.equal(wantsLog([13.3, 2.1, 0.4, 0.05]), true);
});

test('a classification loss from 0.69 to 0.2 stays on a linear axis', () => {
  assert.equal(wantsLog([0.69, 0.5, 0.2]), false);
});

test('exactly two decades is enough, a little less is not', () => {
  assert.equal(wantsLog([1, 1 / LOG_SPAN]), true);
  assert.equal(wantsLog([1, 1.01 / LOG_SPAN]), false);
});

test('a zero or negative loss cannot be drawn on a log axis', () => {
  assert.equal(wantsLog([10, 0.01, 0]), false);
  assert.equal(wantsLog([10, -1, 0.001]), false);
});

test('missing and non-finite values are ignored', () => {
  assert.equal(wantsLog([null, undefined, NaN, Infinity, 5, 0.01]), true);
  assert.equal(wantsLog([null, NaN]), false);
});
