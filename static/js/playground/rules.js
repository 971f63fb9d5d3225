// The rules a playground state follows, given /api/options. Pure (no DOM): tested with node --test.

import { tableOf } from './state.js';

const has = (list, name) => list.some((x) => x.name === name);
// The session fields only custom data has, besides its points (/api/options: custom_data.points_field).
const CUSTOM_FIELDS = ['dataset_id', 'problem_type', 'class_names'];

// Custom data's problem is its points' (the state's problem_type and class names), not the dataset entry's.
export function problemOf(options, state) {
  if (isCustom(options, state)) return customProblem({ problem: state.problem_type, num_classes: state.class_names?.length ?? 2 });
  return options.datasets.find((d) => d.name === state.dataset)?.problem ?? 'binary';
}

export function isCustom(options, state) {
  return state.dataset === options.custom_data?.dataset;
}

// A session's problem for custom data: "classification" is binary with two classes, multi-class with more.
export function customProblem({ problem, num_classes: classes }) {
  if (problem === 'regression') return 'regression';
  return classes > 2 ? 'multiclass' : 'binary';
}

// Output units of the network: one per class for multi-class data, else one.
export function outputsOf(options, state) {
  if (problemOf(options, state) !== 'multiclass') return 1;
  if (isCustom(options, state)) return state.class_names.length;
  return state.num_classes ?? options.datasets.find((d) => d.name === state.dataset).num_classes.default;
}

// Whether `options` (its `training_set`) were asked for the data size of `state`: only then do its batch
// limits apply to it (see sizedFor in main.js).
export function sizedFor(options, state) {
  const t = options.training_set;
  return t.num_samples === state.num_samples && t.train_ratio === state.train_ratio;
}

// `state` with `changes` applied and made consistent: a new dataset drops the class count; the batch fits the
// training set (its size as the server computes it, from `options` sized for this state); names the server
// does not know (an old or hand-edited link) fall back to their defaults; a loss that does not fit the
// problem gives way to the problem's default.
export function normalise(options, state, changes = {}) {
  const d = tableOf(options).defaultState();
  const out = { ...state, ...changes };
  if (changes.dataset !== undefined && changes.dataset !== state.dataset && changes.num_classes === undefined) out.num_classes = null;
  if (!has(options.datasets, out.dataset)) out.dataset = d.dataset;
  if (!out.features.every((f) => has(options.features, f))) out.features = d.features;
  if (!has(options.activations, out.activation)) out.activation = d.activation;
  if (!has(options.optimizers, out.optimizer)) out.optimizer = d.optimizer;
  if (!has(options.regularizations, out.regularization)) out.regularization = d.regularization;
  if (!has(options.lr_schedules, out.lr_schedule.name)) out.lr_schedule = d.lr_schedule;
  const problem = problemOf(options, out);
  if (out.loss !== null && !options.losses.some((l) => l.name === out.loss && l.problems.includes(problem))) out.loss = null;
  if (!options.datasets.find((x) => x.name === out.dataset).num_classes) out.num_classes = null;
  // Custom data's own fields mean nothing to a built-in dataset (the server drops them): nor in its link.
  if (options.custom_data && !isCustom(options, out)) {
    for (const key of [...CUSTOM_FIELDS, options.custom_data.points_field]) if (key in out) out[key] = null;
  }
  const batch = options.limits.batch_size;
  if (sizedFor(options, out) && out.batch_size > batch.maximum) out.batch_size = batch.maximum;
  if (out.batch_size < batch.minimum) out.batch_size = batch.minimum;
  return out;
}

// The features after switching `name` on or off, in the registry's order; null if none would be left.
export function toggleFeature(options, active, name) {
  const on = new Set(active);
  if (on.has(name)) on.delete(name); else on.add(name);
  return on.size ? options.features.map((f) => f.name).filter((n) => on.has(n)) : null;
}

// Whether a session's config (as the server reports it) was built from `state`. Fields the request leaves to
// the server (null) are not compared; live fields are not either, a `set` brings them in line.
export function builtFrom(options, config, state) {
  const { FIELDS, requestBody } = tableOf(options);
  const body = requestBody(state);
  return FIELDS.filter((f) => f.scope === 'session' && body[f.key] !== undefined)
    .every((f) => JSON.stringify(config[f.key]) === JSON.stringify(body[f.key]));
}
