// A saved run's configuration (the session's `config`, as the server returns it) → the playground's state:
// the inverse of state.js's requestBody. Pure, so Node tests can check the round trip.

import { defaultState } from '../playground/state.js';

export function stateFromConfig(config) {
  const state = defaultState();
  for (const key of Object.keys(state)) {
    if (key in config && key !== 'lr_schedule') state[key] = config[key];
  }
  const { name, ...params } = config.lr_schedule ?? { name: state.lr_schedule };
  state.lr_schedule = name;
  state.lr_schedule_params = params;
  return state;
}
