import test from 'node:test';
import assert from 'node:assert/strict';

import { PointSet, farEnough, scaledAxes, splitAs } from '../../static/js/playground/point-set.js';
import { OPTIONS } from './options.mjs';

const DOMAIN = OPTIONS.limits.domain;

test('adds points up to the cap the server serves, then refuses', () => {
  const cap = OPTIONS.limits.num_samples.maximum;
  const set = new PointSet({ cap, domain: DOMAIN });
  for (let i = 0; i < cap; i++) assert.equal(set.add(0, 0, i % 2), true);
  assert.equal(set.full, true);
  assert.equal(set.add(1, 1, 0), false);
  assert.equal(set.size, cap);
});

test('a point dragged off the square lands on its edge', () => {
  const set = new PointSet({ cap: 10, domain: DOMAIN });
  set.add(DOMAIN.maximum + 3, DOMAIN.minimum - 1, 1);
  assert.deepEqual(set.points, [[DOMAIN.maximum, DOMAIN.minimum, 1]]);
});

test('erasing removes every point within the radius and keeps the rest in order', () => {
  const set = new PointSet({ cap: 10, domain: DOMAIN, points: [[0, 0, 0], [0.3, 0.4, 1], [2, 2, 0], [-3, 1, 1]] });
  // (0.3, 0.4) is 0.5 from the origin: inside a radius of 0.6, outside one of 0.4.
  assert.equal(set.removeNear(0, 0, 0.6), 2);
  assert.deepEqual(set.points, [[2, 2, 0], [-3, 1, 1]]);
});

test('a tap that just misses erases the nearest point within twice the radius, and nothing farther', () => {
  const set = new PointSet({ cap: 10, domain: DOMAIN, points: [[1, 0, 0], [1.5, 0, 1], [5, 5, 0]] });
  assert.equal(set.removeNear(0, 0, 0.6), 1); // 1.0 away: within 1.2
  assert.deepEqual(set.points, [[1.5, 0, 1], [5, 5, 0]]);
  assert.equal(set.removeNear(0, 0, 0.6), 0); // 1.5 away: too far
  assert.equal(set.size, 2);
});

test('points from a dataset beyond the cap are cut to it and say so', () => {
  const set = new PointSet({ cap: 3, domain: DOMAIN });
  assert.equal(set.replace([[0, 0, 0], [1, 1, 1], [2, 2, 0], [3, 3, 1]]), false);
  assert.deepEqual(set.points, [[0, 0, 0], [1, 1, 1], [2, 2, 0]]);
  assert.equal(set.replace([[0, 0, 0]]), true);
  assert.deepEqual(set.clear().points, []);
});

test('labels come in first-seen order', () => {
  const set = new PointSet({ cap: 10, domain: DOMAIN, points: [[0, 0, 1], [1, 1, 0], [2, 2, 1], [3, 3, 2]] });
  assert.deepEqual(set.labels(), [1, 0, 2]);
});

test('a drag adds a point only once it moved the spacing away from the last one', () => {
  assert.equal(farEnough(null, 0, 0, 0.5), true);
  assert.equal(farEnough([0, 0], 0.3, 0.3, 0.5), false); // 0.42 away
  assert.equal(farEnough([0, 0], 0.3, 0.4, 0.5), true); // exactly 0.5
});

test('only an axis that left the square is labelled with its original values', () => {
  const summary = { scaled: true, ranges: { x1: [-12, 30.5], x2: [0, 4], label: [0, 1] } };
  assert.deepEqual(scaledAxes(summary, DOMAIN), { x1: [-12, 30.5], x2: null });
  assert.deepEqual(scaledAxes({ ...summary, scaled: false }, DOMAIN), { x1: null, x2: null });
});

test('points are split as the server split them, a new point trains until it splits them again', () => {
  const test = [[1.00001, -2.5, 0], [3.123457, 0, 1]]; // float32 rows of a preview, rounded to 5 decimals
  const points = [[1.000012, -2.5, 0], [3.1234567, 0, 1], [3.1234567, 0, 0], [-4, 4, 1]];
  assert.deepEqual(splitAs(points, test), {
    train: [[3.1234567, 0, 0], [-4, 4, 1]], // another label, and a point the server has not split yet
    test: [[1.000012, -2.5, 0], [3.1234567, 0, 1]],
  });
  assert.deepEqual(splitAs(points, []), { train: points, test: [] });
});
