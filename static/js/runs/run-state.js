// A saved run's configuration (the session's `config`, as the server returns it) → the playground's state:
// the inverse of the state table's requestBody. Pure, so Node tests can check the round trip.

import { tableOf } from '../playground/state.js';

export function stateFromConfig(options, config) {
  const state = tableOf(options).defaultState();
  for (const key of Object.keys(state)) {
    if (key in config && config[key] !== null) state[key] = structuredClone(config[key]);
  }
  return state;
}
