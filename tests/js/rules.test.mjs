import test from 'node:test';
import assert from 'node:assert/strict';

import { builtFrom, normalise, outputsOf, problemOf, toggleFeature } from '../../static/js/playground/rules.js';
import { defaultState } from '../../static/js/playground/state.js';

// A slice of /api/options.
const OPTIONS = {
  datasets: [
    { name: 'circle', problem: 'binary', num_classes: null },
    { name: 'blobs', problem: 'multiclass', num_classes: { default: 4, minimum: 3, maximum: 6 } },
    { name: 'plane', problem: 'regression', num_classes: null },
  ],
  features: [{ name: 'x1' }, { name: 'x2' }, { name: 'x1_squared' }, { name: 'sin_x1' }],
  activations: [{ name: 'tanh' }, { name: 'relu' }],
  optimizers: [{ name: 'sgd' }, { name: 'adam' }],
  regularizations: [{ name: 'none' }, { name: 'l2' }],
  lr_schedules: [{ name: 'constant' }, { name: 'exponential_decay' }],
  losses: [
    { name: 'mse', problems: ['binary', 'multiclass', 'regression'] },
    { name: 'binary_crossentropy', problems: ['binary', 'multiclass'] },
  ],
};

test('problem and output units follow the dataset', () => {
  const s = defaultState();
  assert.equal(problemOf(OPTIONS, s), 'binary');
  assert.equal(outputsOf(OPTIONS, s), 1);
  assert.equal(outputsOf(OPTIONS, { ...s, dataset: 'blobs' }), 4);
  assert.equal(outputsOf(OPTIONS, { ...s, dataset: 'blobs', num_classes: 6 }), 6);
  assert.equal(problemOf(OPTIONS, { ...s, dataset: 'plane' }), 'regression');
});

test('a new dataset drops the class count and a loss that does not fit', () => {
  const s = { ...defaultState(), dataset: 'blobs', num_classes: 5, loss: 'binary_crossentropy' };
  const next = normalise(OPTIONS, s, { dataset: 'plane' });
  assert.equal(next.num_classes, null);
  assert.equal(next.loss, null);
  assert.equal(normalise(OPTIONS, s, { dataset: 'circle' }).loss, 'binary_crossentropy');
});

test('unknown names fall back to defaults; the batch fits the training set', () => {
  const next = normalise(OPTIONS, { ...defaultState(), dataset: 'nope', activation: 'relux', features: ['x9'],
    num_samples: 20, train_ratio: 0.5, batch_size: 30 });
  assert.equal(next.dataset, 'circle');
  assert.equal(next.activation, 'tanh');
  assert.deepEqual(next.features, ['x1', 'x2']);
  assert.equal(next.batch_size, 10);
});

test('a new schedule starts from its own defaults', () => {
  const s = { ...defaultState(), lr_schedule: 'exponential_decay', lr_schedule_params: { decay_steps: 5 } };
  assert.deepEqual(normalise(OPTIONS, s, { lr_schedule: 'constant' }).lr_schedule_params, {});
});

test('toggling features keeps the registry order and at least one', () => {
  assert.deepEqual(toggleFeature(OPTIONS, ['x2'], 'x1'), ['x1', 'x2']);
  assert.deepEqual(toggleFeature(OPTIONS, ['x1', 'x2'], 'x1'), ['x2']);
  assert.equal(toggleFeature(OPTIONS, ['x1'], 'x1'), null);
});

test('a session is built from a state when every requested session field matches', () => {
  const s = { ...defaultState(), dataset: 'xor', learning_rate: 0.3 };
  const config = { dataset: 'xor', noise: 0, num_samples: 500, train_ratio: 0.5, num_classes: 2, seed: 1, init_seed: 1,
    features: ['x1', 'x2'], hidden_layers: [4, 2], activation: 'tanh', loss: 'binary_crossentropy', optimizer: 'sgd',
    learning_rate: 0.03 };
  assert.ok(builtFrom(config, s), 'live fields and server-filled nulls are not compared');
  assert.ok(!builtFrom({ ...config, init_seed: 2 }, s));
  assert.ok(!builtFrom({ ...config, hidden_layers: [4] }, s));
});
