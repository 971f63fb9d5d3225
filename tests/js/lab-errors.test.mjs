import test from 'node:test';
import assert from 'node:assert/strict';

import { fieldNamedIn } from '../../static/js/concepts/lab-errors.js';

const REQUEST = { losses: ['kl_divergence'], y_true: [1], y_pred: [5], from_logits: true,
  curve: { target: 1, start: -4, stop: 4, num: 99 } };

test('an engine message is placed at the field it names first', () => {
  assert.deepEqual(fieldNamedIn('kl_divergence expects y_pred to hold probabilities in [0, 1]; received 5', REQUEST),
    ['y_pred']);
  assert.deepEqual(fieldNamedIn('y_true and y_pred must have the same shape', REQUEST), ['y_true']);
});

test('a nested field is found by its own name, and a message naming none places nowhere', () => {
  assert.deepEqual(fieldNamedIn('expected start < stop and num >= 2; received start=1, stop=0', REQUEST),
    ['curve', 'start']);
  assert.deepEqual(fieldNamedIn('Expected at least one loss name', REQUEST), []);
  // A field's name inside a longer word is not that field ("y_predicted" is not y_pred).
  assert.deepEqual(fieldNamedIn('y_predicted is unknown', REQUEST), []);
});
