import test from 'node:test';
import assert from 'node:assert/strict';

import { builtFrom, normalise, outputsOf, problemOf, toggleFeature } from '../../static/js/playground/rules.js';
import { stateTable } from '../../static/js/playground/state.js';
import { OPTIONS as SERVED } from './options.mjs';

// The server's table of fields, defaults and limits, with a slice of its registries.
const OPTIONS = {
  ...SERVED,
  datasets: [
    { name: 'circle', problem: 'binary', num_classes: null },
    { name: 'blobs', problem: 'multiclass', num_classes: { default: 4, minimum: 3, maximum: 6 } },
    { name: 'plane', problem: 'regression', num_classes: null },
  ],
  features: [{ name: 'x1' }, { name: 'x2' }, { name: 'x1_squared' }, { name: 'sin_x1' }],
  activations: [{ name: 'tanh' }, { name: 'relu' }],
  optimizers: [{ name: 'sgd' }, { name: 'adam' }],
  regularizations: [{ name: 'none' }, { name: 'l2' }],
  lr_schedules: [{ name: 'constant', params: {} }, { name: 'exponential_decay', params: {} }],
  losses: [
    { name: 'mse', problems: ['binary', 'multiclass', 'regression'] },
    { name: 'binary_crossentropy', problems: ['binary', 'multiclass'] },
  ],
};

const { defaultState } = stateTable(OPTIONS);
// Options as the server answers them for 20 points split at 0.5: ten training points.
const TWENTY_POINTS = { ...OPTIONS, training_set: { num_samples: 20, train_ratio: 0.5, n_train: 10, n_test: 10 },
  limits: { ...OPTIONS.limits, batch_size: { minimum: 1, maximum: 10 } } };

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
  const next = normalise(TWENTY_POINTS, { ...defaultState(), dataset: 'nope', activation: 'relux', features: ['x9'],
    num_samples: 20, train_ratio: 0.5, batch_size: 30 });
  assert.equal(next.dataset, 'circle');
  assert.equal(next.activation, 'tanh');
  assert.deepEqual(next.features, ['x1', 'x2']);
  assert.equal(next.batch_size, 10);
});

test('a new schedule starts from its own defaults', () => {
  const s = { ...defaultState(), lr_schedule: { name: 'exponential_decay', params: { decay_steps: 5 } } };
  assert.deepEqual(normalise(OPTIONS, s, { lr_schedule: { name: 'constant', params: {} } }).lr_schedule.params, {});
  assert.deepEqual(normalise(OPTIONS, s, { lr_schedule: { name: 'linear', params: { decay_steps: 5 } } }).lr_schedule,
    { name: 'constant', params: {} }, 'an unknown schedule gives way to the default');
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
  assert.ok(builtFrom(OPTIONS, config, s), 'live fields and server-filled nulls are not compared');
  assert.ok(!builtFrom(OPTIONS, { ...config, init_seed: 2 }, s));
  assert.ok(!builtFrom(OPTIONS, { ...config, hidden_layers: [4] }, s));
});

test('the batch size is capped by the training-set size the server gives, not one the page rounds', () => {
  // 25 points at 0.5: the server trains 12 (Python rounds halves to even); Math.round would say 13.
  const served = { ...OPTIONS, training_set: { num_samples: 25, train_ratio: 0.5, n_train: 12, n_test: 13 },
    limits: { ...OPTIONS.limits, batch_size: { minimum: 1, maximum: 12 } } };
  assert.equal(normalise(served, { ...defaultState(), num_samples: 25, train_ratio: 0.5, batch_size: 13 }).batch_size, 12);
  assert.equal(normalise(OPTIONS, { ...defaultState(), num_samples: 25, train_ratio: 0.5, batch_size: 13 }).batch_size, 13,
    'options sized for another data set say nothing about this one');
});
