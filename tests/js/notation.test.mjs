import test from 'node:test';
import assert from 'node:assert/strict';

import { MINUS, minus, num, operand, plus, squared, sum, vector } from '../../static/js/concepts/notation.js';

test('a negative number is written with a real minus sign, never a hyphen', () => {
  assert.equal(MINUS, '\u2212');
  assert.equal(num(-0.5), '\u22120.5');
  assert.equal(num(-1.23456789), '\u22121.2346');
  assert.equal(num(-2.5e-7), '\u22122.500e\u22127');
  assert.equal(num(-Infinity), '\u2212∞');
  assert.ok(!num(-42).includes('-'));
});

test('rounding a small negative to zero writes 0, not −0', () => {
  assert.equal(num(-0.004, 2), '0');
  assert.equal(num(-0), '0');
});

test('numbers typed as text are formatted as numbers, other text is kept', () => {
  assert.equal(num('-1'), '\u22121');
  assert.equal(num('relu'), 'relu');
  assert.equal(num(null), '—');
});

test('the square of a negative number is parenthesised: (−0.5)², not −0.5²', () => {
  assert.equal(squared(-0.5), '(\u22120.5)²');
  assert.equal(squared(0.5), '0.5²');
  // −0.5² would read as −(0.5²) = −0.25; the parenthesised form is the square, 0.25.
  assert.equal((-0.5) ** 2, 0.25);
});

test('a negative operand is parenthesised: 1 − (−1)·0.1', () => {
  assert.equal(`1 ${MINUS} ${operand(-1)}·0.1`, '1 \u2212 (\u22121)·0.1');
  assert.equal(operand(2), '2');
});

test('a negative term folds its sign into the operator: "+ -1" becomes "− 1"', () => {
  assert.equal(`0.5${plus(-1)}`, '0.5 \u2212 1');
  assert.equal(`0.5${plus(1)}`, '0.5 + 1');
  assert.equal(`0.5${minus(-1)}`, '0.5 + 1');
  assert.equal(`0.5${minus(1)}`, '0.5 \u2212 1');
});

test('a sum reads as arithmetic and has the value of the numbers added', () => {
  const values = [0.5, -1, 2, -0.25];
  const text = sum(values);
  assert.equal(text, '0.5 \u2212 1 + 2 \u2212 0.25');
  // Read back with ASCII minus signs, the text evaluates to the sum itself.
  const evaluated = text.replaceAll('\u2212', '-').split(' ').reduce(
    (acc, token, i, all) => (i === 0 ? Number(token) : token === '+' || token === '-' ? acc
      : acc + (all[i - 1] === '-' ? -Number(token) : Number(token))), 0);
  assert.equal(evaluated, values.reduce((a, b) => a + b, 0));
});

test('a vector lists its numbers with real minus signs', () => {
  assert.equal(vector([1, -0.5]), '[1, \u22120.5]');
});
