import test from 'node:test';
import assert from 'node:assert/strict';

import {
  NEGATIVE, NEUTRAL, POSITIVE, blendClasses, classColor, classScale, diverging, lookupTable, paint, probability,
} from '../../static/js/playground/colors.js';

test('diverging scale: orange at -1, neutral at 0, blue at +1, clipped outside', () => {
  assert.deepEqual(diverging(-1), NEGATIVE);
  assert.deepEqual(diverging(0), NEUTRAL);
  assert.deepEqual(diverging(1), POSITIVE);
  assert.deepEqual(diverging(5), POSITIVE);
  assert.deepEqual(diverging(-5), NEGATIVE);
  assert.deepEqual(diverging(NaN), NEUTRAL);
});

test('diverging scale is monotone between its ends', () => {
  let prev = diverging(0)[2];
  for (let t = 0.1; t <= 1; t += 0.1) {
    const b = diverging(t)[0];
    assert.ok(b <= prev + 1e-9 || t < 0.15);
    prev = b;
  }
  assert.ok(diverging(0.5)[0] < NEUTRAL[0] && diverging(0.5)[0] > POSITIVE[0]);
});

test('probability: 0.5 is neutral; discrete picks a class colour', () => {
  assert.deepEqual(probability(0.5), NEUTRAL);
  assert.deepEqual(probability(1), POSITIVE);
  assert.deepEqual(probability(0.51, true), POSITIVE);
  assert.deepEqual(probability(0.49, true), NEGATIVE);
});

test('class blend: a sure class shows its colour, a tie fades to neutral', () => {
  assert.deepEqual(blendClasses([0, 0, 1]), classColor(2));
  assert.deepEqual(blendClasses([1 / 3, 1 / 3, 1 / 3]), NEUTRAL);
  assert.deepEqual(blendClasses([0.2, 0.5, 0.3], true), classColor(1));
  const half = blendClasses([0.1, 0.1, 0.8]);
  assert.notDeepEqual(half, classColor(2));
});

test('lookup table decodes bytes over their range and paint fills RGBA', () => {
  const table = lookupTable(-1, 1, diverging);
  assert.deepEqual([...table.slice(0, 3)], NEGATIVE);
  assert.deepEqual([...table.slice(255 * 3)], POSITIVE);
  const rgba = paint(new Uint8ClampedArray(8), new Uint8Array([0, 255]), table);
  assert.deepEqual([...rgba], [...NEGATIVE, 255, ...POSITIVE, 255]);
});

test('class scale runs from neutral to the class colour', () => {
  assert.deepEqual(classScale(2)(0), NEUTRAL);
  assert.deepEqual(classScale(2)(1), classColor(2));
  assert.deepEqual(classScale(0)(7), classColor(0));
});
