import test from 'node:test';
import assert from 'node:assert/strict';

import { SeriesBuffer, nearest } from '../../static/js/playground/downsample.js';

test('keeps every point until the capacity', () => {
  const b = new SeriesBuffer(10);
  for (let i = 0; i < 9; i++) b.push({ x: i, y: i });
  assert.deepEqual(b.points().map((p) => p.x), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('stays bounded after 100,000 points and spans the whole history', () => {
  const b = new SeriesBuffer(400);
  for (let i = 0; i <= 100_000; i++) b.push({ x: i, y: 1 / (i + 1) });
  const pts = b.points();
  assert.ok(pts.length <= 401, `${pts.length} points`);
  assert.ok(pts.length >= 200);
  assert.equal(pts[0].x, 0);
  assert.equal(pts.at(-1).x, 100_000, 'the latest point is always shown');
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].x > pts[i - 1].x);
  const gaps = new Set(pts.slice(0, -1).map((p, i) => pts[i + 1].x - p.x).slice(0, -1));
  assert.equal(gaps.size, 1, 'kept points are evenly spaced');
});

test('an equal x replaces the latest point instead of adding one', () => {
  const b = new SeriesBuffer(10);
  b.push({ x: 0, y: 1 }).push({ x: 5, y: 2 }).push({ x: 5, y: 3 });
  assert.deepEqual(b.points(), [{ x: 0, y: 1 }, { x: 5, y: 3 }]);
  assert.throws(() => b.push({ x: 4, y: 0 }));
});

test('reset empties the buffer', () => {
  const b = new SeriesBuffer(10);
  b.push({ x: 1, y: 1 });
  assert.equal(b.reset().points().length, 0);
  assert.equal(b.latest, null);
});

test('nearest finds the closest x', () => {
  const pts = [0, 10, 20, 40].map((x) => ({ x }));
  assert.equal(nearest(pts, 12).x, 10);
  assert.equal(nearest(pts, 31).x, 40);
  assert.equal(nearest(pts, -5).x, 0);
  assert.equal(nearest([], 3), null);
});
