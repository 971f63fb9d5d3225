import test from 'node:test';
import assert from 'node:assert/strict';

import { stateTable } from '../../static/js/playground/state.js';
import { OPTIONS } from './options.mjs';

const {
  FIELDS, changedScopes, defaultState, liveChanges, liveFields, parseQuery, requestBody, toQuery,
} = stateTable(OPTIONS);

test('default state serialises to an empty query and back', () => {
  assert.equal(toQuery(defaultState()), '');
  assert.deepEqual(parseQuery(''), defaultState());
});

test('every field round-trips through the URL', () => {
  const state = {
    ...defaultState(),
    dataset: 'spiral_k', num_classes: 4, noise: 12.5, train_ratio: 0.7, num_samples: 300, seed: 42, init_seed: 7,
    features: ['x1', 'sin_x2', 'x1_x2'], hidden_layers: [8, 8, 8], activation: 'relu',
    layer_activations: ['relu', 'tanh', 'sigmoid'], loss: 'mse', optimizer: 'adam', learning_rate: 0.003,
    lr_schedule: { name: 'piecewise_constant', params: { boundaries: [100, 200], values: [0.1, 0.01, 0.001] } },
    regularization: 'l2', regularization_rate: 0.001, batch_size: 25, show_test: true, discretize: true, pace: 10,
  };
  const query = toQuery(state);
  assert.deepEqual(parseQuery(query), state);
  assert.deepEqual(parseQuery(`?${query}`), state);
  // Custom data's own fields never travel in a link (see custom-problem.test.mjs).
  for (const f of FIELDS.filter((x) => x.url !== false)) assert.ok(query.includes(`${f.key}=`), f.key);
});

test('no hidden layers and schedule booleans survive the round trip', () => {
  const state = { ...defaultState(), hidden_layers: [],
    lr_schedule: { name: 'exponential_decay', params: { decay_steps: 50, decay_rate: 0.5, staircase: true } } };
  assert.deepEqual(parseQuery(toQuery(state)), state);
});

test('malformed values fall back to their defaults', () => {
  const state = parseQuery('noise=abc&hidden_layers=4,x&features=&seed=1.5&dataset=<script>&show_test=maybe&lr_=1');
  assert.deepEqual(state, defaultState());
});

test('request body holds session and live fields, not view ones', () => {
  const body = requestBody({ ...defaultState(), show_test: true,
    lr_schedule: { name: 'cosine_decay', params: { decay_steps: 10 } } });
  assert.equal(body.show_test, undefined);
  assert.equal(body.discretize, undefined);
  assert.equal(body.loss, undefined, 'null fields are left to the server');
  assert.deepEqual(body.lr_schedule, { name: 'cosine_decay', params: { decay_steps: 10 } });
  assert.equal(body.lr_schedule_params, undefined);
  assert.deepEqual(body.hidden_layers, [4, 2]);
  assert.equal(body.learning_rate, 0.03);
});

test('live changes list only what changed, with the schedule as one object', () => {
  const before = defaultState();
  assert.deepEqual(liveChanges(before, { ...before, learning_rate: 0.1 }), { learning_rate: 0.1 });
  assert.deepEqual(liveChanges(before, { ...before, lr_schedule: { name: 'inverse_time', params: {} } }),
    { lr_schedule: { name: 'inverse_time', params: {} } });
  assert.deepEqual(liveChanges(before, { ...before, dataset: 'xor' }), {});
});

test('changed scopes tell a new session from a live change from a view change', () => {
  const s = defaultState();
  assert.deepEqual(changedScopes(s, { ...s, dataset: 'xor' }), { session: true, live: false, view: false, pace: false });
  assert.deepEqual(changedScopes(s, { ...s, batch_size: 5 }), { session: false, live: true, view: false, pace: false });
  assert.deepEqual(changedScopes(s, { ...s, discretize: true }), { session: false, live: false, view: true, pace: false });
});

test('live fields list every live knob, the schedule as one object', () => {
  assert.deepEqual(liveFields(defaultState()), {
    learning_rate: 0.03, regularization: 'none', regularization_rate: 0, batch_size: 10,
    lr_schedule: { name: 'constant', params: {} },
  });
});

test('a one-item list parameter stays a list through the URL', () => {
  const state = { ...defaultState(), lr_schedule: { name: 'piecewise_constant', params: { boundaries: [100], values: [0.1, 0.01] } } };
  assert.deepEqual(parseQuery(toQuery(state)), state);
});

test('links made before the schedule became {name, params} still open the same schedule', () => {
  const state = parseQuery('lr_schedule=exponential_decay&lr_decay_steps=50&lr_staircase=1');
  assert.deepEqual(state.lr_schedule, { name: 'exponential_decay', params: { decay_steps: 50, staircase: true } });
});

test('every field the server lists is in the table with the server default', () => {
  for (const [key, f] of Object.entries(OPTIONS.fields)) {
    const field = FIELDS.find((x) => x.key === key);
    assert.ok(field, key);
    assert.deepEqual(defaultState()[key], OPTIONS.defaults[key], key);
    assert.equal(field.scope, f.live ? 'live' : 'session', key);
  }
});
