// The playground's whole state in ONE declarative table, built from the server's table of session fields
// (/api/options: `fields` and `defaults`): each field's URL parameter, codec, default and scope.
// Pure (no DOM): the URL (shareable links), the session request body and the live `set` changes all come from it.
//   scope "session": changing it builds a new session (new data or a new network)
//   scope "live":    sent to the running session with the stream's `set` command (no reset)
//   scope "view":    display only; never reaches the server (declared here: the server does not know them)
//   scope "pace":    the stream's epochs per second (play and set commands), never the session's
// The fields that decide the data (/api/options: custom_data.data_fields) may also change with `set` (see
// dataChanges). Custom data's own fields (custom_data.fields) are no control and stay out of the URL: a link
// cannot carry thousands of points (a saved run does); they are in the state and the request body, so a new
// network keeps them.

const str = {
  parse: (s) => (/^[a-z0-9_-]{1,40}$/i.test(s) ? s : undefined), // names, and ids such as a dataset's
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
const CODECS = { str, int, float: num, ints, strs: names };

// A schedule parameter's value by the kind its registry entry gives ("float", "int", "bool", "ints", "floats").
const PARAM_CODECS = {
  bool,
  float: num,
  int,
  ints: { parse: (s) => listOf(s, int), format: (v) => v.join(',') },
  floats: { parse: (s) => listOf(s, num), format: (v) => v.join(',') },
};

function listOf(s, codec) {
  const list = s.split(',').map((p) => codec.parse(p));
  return list.length && list.every((x) => x !== undefined) ? list : undefined;
}

// A schedule travels in the URL as `<key>=<name>` and one `lr_<param>=<value>` per parameter (lists
// comma-separated), so that links stay short and readable; in the state and on the wire it is {name, params}.
const PARAM_PREFIX = 'lr_';

function scheduleField(key, schedules) {
  const paramsOf = (name) => schedules.find((s) => s.name === name)?.params ?? {};
  return {
    parse(query, fallback) {
      const name = query.has(key) ? str.parse(query.get(key)) : undefined;
      const out = { name: name ?? fallback.name, params: {} };
      for (const [param, p] of Object.entries(paramsOf(out.name))) {
        const raw = query.get(PARAM_PREFIX + param);
        const value = raw === null ? undefined : PARAM_CODECS[p.kind]?.parse(raw);
        if (value !== undefined) out.params[param] = value;
      }
      return out;
    },
    format(value, query) {
      query.set(key, value.name);
      const table = paramsOf(value.name);
      for (const [param, v] of Object.entries(value.params)) {
        const codec = PARAM_CODECS[table[param]?.kind] ?? PARAM_CODECS[Array.isArray(v) ? 'floats' : 'float'];
        query.set(PARAM_PREFIX + param, typeof v === 'boolean' ? bool.format(v) : codec.format(v));
      }
    },
  };
}

const VIEW_FIELDS = [
  { key: 'show_test', codec: bool, default: false, scope: 'view' },
  { key: 'discretize', codec: bool, default: false, scope: 'view' },
];

// The stream's pace, epochs per second ("max": as fast as the server allows); its choices and default are the
// server's (/api/options: pace). Scope "pace": sent to the stream, never to the session.
const pace = {
  parse: (s) => (s === 'max' ? null : num.parse(s) > 0 ? num.parse(s) : undefined),
  format: (v) => (v === null ? 'max' : String(v)),
};

// The scopes a session is built from (the body of POST /api/sessions).
const SENT = new Set(['session', 'live']);

function clone(v) {
  return Array.isArray(v) ? [...v] : v && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// The table and everything derived from it, for one /api/options answer.
export function stateTable(options) {
  const FIELDS = [
    ...Object.entries(options.fields).map(([key, f]) => {
      const scope = f.live ? 'live' : 'session';
      if (f.kind === 'schedule') return { key, schedule: scheduleField(key, options.lr_schedules), default: options.defaults[key], scope };
      const codec = CODECS[f.kind];
      if (!codec) throw new Error(`The page does not know the field kind '${f.kind}' (field ${key})`);
      return { key, codec: f.optional ? optional(codec) : codec, default: options.defaults[key], scope };
    }),
    // Custom data's own fields (its points, their id, problem type and class names): state, not link.
    ...Object.keys(options.custom_data?.fields ?? {}).map((key) => ({ key, url: false, default: options.defaults[key] ?? null, scope: 'session' })),
    ...VIEW_FIELDS,
    ...(options.pace ? [{ key: 'pace', codec: pace, default: options.pace.default, scope: 'pace' }] : []),
  ];
  const BY_KEY = Object.fromEntries(FIELDS.map((f) => [f.key, f]));

  const defaultState = () => Object.fromEntries(FIELDS.map((f) => [f.key, clone(f.default)]));

  // URL query string (with or without "?") → a full state; missing or malformed values take their defaults.
  function parseQuery(search) {
    const query = new URLSearchParams(search);
    const state = defaultState();
    for (const f of FIELDS) {
      if (f.url === false) continue;
      if (f.schedule) {
        state[f.key] = f.schedule.parse(query, f.default);
      } else if (query.has(f.key)) {
        const value = f.codec.parse(query.get(f.key));
        if (value !== undefined) state[f.key] = value;
      }
    }
    return state;
  }

  // A state → the shortest query string that parses back to it (defaults are left out), in table order.
  function toQuery(state) {
    const query = new URLSearchParams();
    for (const f of FIELDS) {
      if (f.url === false || same(state[f.key], f.default)) continue;
      if (f.schedule) f.schedule.format(state[f.key], query);
      else query.set(f.key, f.codec.format(state[f.key]));
    }
    return query.toString();
  }

  // The body of POST /api/sessions: every session and live field; nulls left for the server to fill.
  function requestBody(state) {
    const body = {};
    for (const f of FIELDS) if (SENT.has(f.scope) && state[f.key] !== null) body[f.key] = clone(state[f.key]);
    return body;
  }

  // The `changes` of the stream's `set` command for the live fields that differ between two states.
  function liveChanges(before, after) {
    const changes = {};
    for (const f of FIELDS) if (f.scope === 'live' && !same(before[f.key], after[f.key])) changes[f.key] = clone(after[f.key]);
    return changes;
  }

  // Every live field of a state, as the `changes` of a `set` command.
  function liveFields(state) {
    const changes = {};
    for (const f of FIELDS) if (f.scope === 'live') changes[f.key] = clone(state[f.key]);
    return changes;
  }

  // The `changes` of a `set` command that moves a running session to the data of `after` (the server keeps the
  // weights when the network stays the same): the data fields and live fields that differ; null when any other
  // session field differs too (that needs a new session).
  // Points named by a dataset id stay out of it: the server has them, and a stream message is capped in size.
  const DATA = new Set(options.custom_data?.data_fields ?? []);
  const POINTS = options.custom_data?.points_field;
  function dataChanges(before, after) {
    const changes = {};
    for (const f of FIELDS) {
      if (same(before[f.key], after[f.key])) continue;
      if (DATA.has(f.key) || f.scope === 'live') changes[f.key] = clone(after[f.key]);
      else if (f.scope === 'session') return null;
    }
    if (after.dataset_id) delete changes[POINTS];
    return changes;
  }

  // Which scopes changed between two states: {session, live, view, pace} booleans.
  function changedScopes(before, after) {
    const out = { session: false, live: false, view: false, pace: false };
    for (const f of FIELDS) if (!same(before[f.key], after[f.key])) out[f.scope] = true;
    return out;
  }

  return { FIELDS, BY_KEY, defaultState, parseQuery, toQuery, requestBody, liveChanges, liveFields, dataChanges, changedScopes };
}

// One table per /api/options answer, so callers may ask for it freely.
const TABLES = new WeakMap();
export function tableOf(options) {
  if (!TABLES.has(options.fields)) TABLES.set(options.fields, stateTable(options));
  return TABLES.get(options.fields);
}

export function withChanges(state, changes) {
  return { ...state, ...clone(changes) };
}
