// The playground's whole state in ONE declarative table: each field's URL parameter, type, default and scope.
// Pure (no DOM): the URL (shareable links), the session request body and the live `set` changes all come from it.
//   scope "session": changing it builds a new session (new data or a new network)
//   scope "live":    sent to the running session with the stream's `set` command (no reset)
//   scope "view":    display only; never reaches the server

const str = {
  parse: (s) => (/^[a-z0-9_]{1,40}$/i.test(s) ? s : undefined),
  format: (v) => v,
};
const num = {
  parse: (s) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined),
  format: (v) => String(v),
};
const int = {
  parse: (s) => (/^-?\d{1,10}$/.test(s) ? Number(s) : undefined),
  format: (v) => String(v),
};
const bool = {
  parse: (s) => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined),
  format: (v) => (v ? '1' : '0'),
};
const names = {
  parse: (s) => {
    const parts = s.split(',').filter(Boolean);
    return parts.length && parts.every((p) => str.parse(p) !== undefined) ? parts : undefined;
  },
  format: (v) => v.join(','),
};
const ints = {
  // "" is a network without hidden layers
  parse: (s) => (s === '' ? [] : s.split(',').every((p) => /^\d{1,4}$/.test(p)) ? s.split(',').map(Number) : undefined),
  format: (v) => v.join(','),
};
const optional = (codec) => ({
  parse: (s) => (s === '' ? null : codec.parse(s)),
  format: (v) => (v === null ? '' : codec.format(v)),
});

export const FIELDS = [
  { key: 'dataset', codec: str, default: 'circle', scope: 'session' },
  { key: 'num_classes', codec: optional(int), default: null, scope: 'session' },
  { key: 'noise', codec: num, default: 0, scope: 'session' },
  { key: 'train_ratio', codec: num, default: 0.5, scope: 'session' },
  { key: 'num_samples', codec: int, default: 500, scope: 'session' },
  { key: 'seed', codec: int, default: 1, scope: 'session' },
  { key: 'init_seed', codec: int, default: 1, scope: 'session' },
  { key: 'features', codec: names, default: ['x1', 'x2'], scope: 'session' },
  { key: 'hidden_layers', codec: ints, default: [4, 2], scope: 'session' },
  { key: 'activation', codec: str, default: 'tanh', scope: 'session' },
  { key: 'loss', codec: optional(str), default: null, scope: 'session' },
  { key: 'optimizer', codec: str, default: 'sgd', scope: 'session' },
  { key: 'learning_rate', codec: num, default: 0.03, scope: 'live' },
  { key: 'lr_schedule', codec: str, default: 'constant', scope: 'live' },
  // Schedule parameters travel as lr_<name>=value (lists comma-separated); see scheduleParams below.
  { key: 'lr_schedule_params', codec: null, default: {}, scope: 'live' },
  { key: 'regularization', codec: str, default: 'none', scope: 'live' },
  { key: 'regularization_rate', codec: num, default: 0, scope: 'live' },
  { key: 'batch_size', codec: int, default: 10, scope: 'live' },
  { key: 'show_test', codec: bool, default: false, scope: 'view' },
  { key: 'discretize', codec: bool, default: false, scope: 'view' },
];

export const BY_KEY = Object.fromEntries(FIELDS.map((f) => [f.key, f]));
const PARAM_PREFIX = 'lr_';

function clone(v) {
  return Array.isArray(v) ? [...v] : v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function defaultState() {
  return Object.fromEntries(FIELDS.map((f) => [f.key, clone(f.default)]));
}

function parseParamValue(s) {
  if (s === 'true' || s === 'false') return s === 'true';
  if (s.includes(',')) {
    const list = s.split(',').map(Number);
    return list.every(Number.isFinite) ? list : undefined;
  }
  return num.parse(s);
}

// URL query string (with or without "?") → a full state; missing or malformed values take their defaults.
export function parseQuery(search) {
  const params = new URLSearchParams(search);
  const state = defaultState();
  for (const f of FIELDS) {
    if (!f.codec || !params.has(f.key)) continue;
    const value = f.codec.parse(params.get(f.key));
    if (value !== undefined) state[f.key] = value;
  }
  for (const [k, v] of params) {
    if (!k.startsWith(PARAM_PREFIX) || BY_KEY[k]) continue;
    const name = k.slice(PARAM_PREFIX.length);
    const value = parseParamValue(v);
    if (/^[a-z_]{1,30}$/.test(name) && value !== undefined) state.lr_schedule_params[name] = value;
  }
  return state;
}

// A state → the shortest query string that parses back to it (defaults are left out), in table order.
export function toQuery(state) {
  const params = new URLSearchParams();
  for (const f of FIELDS) {
    if (!f.codec || same(state[f.key], f.default)) continue;
    params.set(f.key, f.codec.format(state[f.key]));
  }
  for (const [name, value] of Object.entries(state.lr_schedule_params ?? {})) {
    params.set(PARAM_PREFIX + name, Array.isArray(value) ? value.join(',') : String(value));
  }
  return params.toString();
}

// The body of POST /api/sessions: every session and live field; nulls left for the server to fill.
export function requestBody(state) {
  const body = {};
  for (const f of FIELDS) {
    if (f.scope === 'view' || f.key.startsWith('lr_schedule') || state[f.key] === null) continue;
    body[f.key] = clone(state[f.key]);
  }
  body.lr_schedule = { name: state.lr_schedule, ...clone(state.lr_schedule_params) };
  return body;
}

// The `changes` of the stream's `set` command for the live fields that differ between two states.
export function liveChanges(before, after) {
  const changes = {};
  for (const f of FIELDS) {
    if (f.scope !== 'live' || f.key.startsWith('lr_schedule') || same(before[f.key], after[f.key])) continue;
    changes[f.key] = after[f.key];
  }
  if (before.lr_schedule !== after.lr_schedule || !same(before.lr_schedule_params, after.lr_schedule_params)) {
    changes.lr_schedule = { name: after.lr_schedule, ...clone(after.lr_schedule_params) };
  }
  return changes;
}

// Every live field of a state, as the `changes` of a `set` command.
export function liveFields(state) {
  const changes = {};
  for (const f of FIELDS) {
    if (f.scope === 'live' && !f.key.startsWith('lr_schedule')) changes[f.key] = state[f.key];
  }
  changes.lr_schedule = { name: state.lr_schedule, ...clone(state.lr_schedule_params) };
  return changes;
}

// Which scopes changed between two states: {session, live, view} booleans.
export function changedScopes(before, after) {
  const out = { session: false, live: false, view: false };
  for (const f of FIELDS) if (!same(before[f.key], after[f.key])) out[f.scope] = true;
  return out;
}

export function withChanges(state, changes) {
  return { ...state, ...clone(changes) };
}
