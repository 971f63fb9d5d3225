import test from 'node:test';
import assert from 'node:assert/strict';

import { customProblem, normalise, outputsOf, problemOf } from '../../static/js/playground/rules.js';
import { stateTable } from '../../static/js/playground/state.js';
import { OPTIONS } from './options.mjs';

const CUSTOM = OPTIONS.custom_data.dataset;
const { defaultState } = stateTable(OPTIONS);

test('custom data is binary with two classes, multi-class with more, regression as the server says', () => {
  assert.equal(customProblem({ problem: 'classification', num_classes: 2 }), 'binary');
  assert.equal(customProblem({ problem: 'classification', num_classes: 5 }), 'multiclass');
  assert.equal(customProblem({ problem: 'regression', num_classes: null }), 'regression');
});

test("custom data's problem type and class names, not the dataset's entry, decide the problem and the outputs", () => {
  const state = { ...defaultState(), dataset: CUSTOM, dataset_id: 'abc', problem_type: 'classification',
    class_names: ['a', 'b', 'c', 'd'] };
  assert.equal(problemOf(OPTIONS, state), 'multiclass');
  assert.equal(outputsOf(OPTIONS, state), 4);
  assert.equal(problemOf(OPTIONS, { ...state, class_names: ['0', '1'] }), 'binary');
  assert.equal(problemOf(OPTIONS, { ...state, problem_type: 'regression', class_names: null }), 'regression');
  // Another dataset ignores custom fields the state still holds.
  const circle = { ...state, dataset: 'circle' };
  assert.equal(problemOf(OPTIONS, circle), 'binary');
  assert.equal(outputsOf(OPTIONS, circle), 1);
});

test("custom data's own fields stay out of the URL and are sent to the server", () => {
  const table = stateTable(OPTIONS);
  const own = { dataset_id: 'Zx3Qm-T0b_9k', problem_type: 'classification', class_names: ['a', 'b'], points: [[0, 0, 0], [1, 1, 1]] };
  assert.deepEqual(Object.keys(OPTIONS.custom_data.fields).sort(), Object.keys(own).sort());
  const state = { ...defaultState(), dataset: CUSTOM, ...own };
  assert.equal(table.toQuery(state), `dataset=${CUSTOM}`);
  const body = table.requestBody(state);
  for (const [key, value] of Object.entries(own)) assert.deepEqual(body[key], value, key);
});

test('new custom data is a data change for the running session; a new network is not', () => {
  const table = stateTable(OPTIONS);
  const before = { ...defaultState(), dataset: 'spiral' };
  const after = { ...before, dataset: CUSTOM, dataset_id: 'abc' };
  assert.deepEqual(table.dataChanges(before, after), { dataset: CUSTOM, dataset_id: 'abc' });
  assert.deepEqual(table.dataChanges(after, { ...after, dataset_id: 'def', train_ratio: 0.7, learning_rate: 0.1 }),
    { dataset_id: 'def', train_ratio: 0.7, learning_rate: 0.1 });
  assert.equal(table.dataChanges(after, { ...after, dataset_id: 'def', hidden_layers: [3] }), null);
  // Points an id names do not travel in the stream (its messages are capped); inline ones do.
  const points = [[0, 0, 0], [1, 1, 1]];
  assert.deepEqual(table.dataChanges(after, { ...after, dataset_id: 'def', points }), { dataset_id: 'def' });
  assert.deepEqual(table.dataChanges(after, { ...after, dataset_id: null, points }), { dataset_id: null, points });
});

test("a built-in dataset drops custom data's fields, so its link does not carry them", () => {
  const state = { ...defaultState(), dataset: CUSTOM, dataset_id: 'abc', problem_type: 'classification',
    class_names: ['a', 'b'], points: [[0, 0, 0], [1, 1, 1]] };
  const next = normalise(OPTIONS, state, { dataset: 'spiral' });
  assert.deepEqual([next.dataset_id, next.problem_type, next.class_names, next.points], [null, null, null, null]);
  assert.equal(stateTable(OPTIONS).toQuery(next), 'dataset=spiral');
  assert.equal(normalise(OPTIONS, state).dataset_id, 'abc');
});
