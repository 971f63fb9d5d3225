import assert from 'node:assert/strict';
import test from 'node:test';

import { tableOf } from '../../static/js/playground/state.js';
import { valueAt } from '../../static/js/runs/compare-chart.js';
import { differingKeys } from '../../static/js/runs/config-diff.js';
import { stateFromConfig } from '../../static/js/runs/run-state.js';
import { OPTIONS } from './options.mjs';

const { requestBody } = tableOf(OPTIONS);

// A session's config as GET /api/sessions/{id} returns it (loss and classes resolved by the server).
const CONFIG = {
  dataset: 'spiral', noise: 5, num_samples: 300, train_ratio: 0.6, num_classes: 2, seed: 4, init_seed: 9,
  features: ['x1', 'x2', 'sin_x1'], hidden_layers: [8, 3], activation: 'relu', layer_activations: null,
  loss: 'binary_crossentropy', optimizer: 'adam', learning_rate: 0.01,
  lr_schedule: { name: 'exponential_decay', params: { decay_steps: 50, decay_rate: 0.9, staircase: false } },
  regularization: 'l2', regularization_rate: 0.001, batch_size: 16,
};

test('a saved config becomes a state whose request body is that config again', () => {
  const body = requestBody(stateFromConfig(OPTIONS, CONFIG));
  const { layer_activations: _, ...expected } = CONFIG; // null fields are left for the server to fill
  assert.deepEqual(body, expected);
});

test('only the settings that differ between runs are listed', () => {
  const other = { ...CONFIG, hidden_layers: [8, 3], learning_rate: 0.1, lr_schedule: { name: 'constant', params: {} } };
  assert.deepEqual(differingKeys([CONFIG, other, CONFIG]), ['learning_rate', 'lr_schedule']);
  assert.deepEqual(differingKeys([CONFIG, { ...CONFIG }]), []);
});

test('hovering an epoch reads the last loss recorded at or before it', () => {
  const history = { epochs: [0, 10, 25, 40], test_loss: [0.7, 0.5, null, 0.2] };
  assert.equal(valueAt(history, 0), 0.7);
  assert.equal(valueAt(history, 24), 0.5);
  assert.equal(valueAt(history, 25), null);
  assert.equal(valueAt(history, 100), 0.2);
  assert.equal(valueAt({ epochs: [5], test_loss: [1] }, 2), null);
});
