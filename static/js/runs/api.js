// The saved-runs REST API, through the one fetch helper: a run's owner sends this browser's token.

import { request } from '../api.js';
import { ownerToken } from './owner.js';

const OWNER_HEADER = 'X-Owner-Token';
const owner = () => ({ headers: { [OWNER_HEADER]: ownerToken() } });

const path = (id, tail = '') => `/api/runs/${encodeURIComponent(id)}${tail}`;

export const runsApi = {
  save: (sessionId, name, note) => request('POST', '/api/runs', { session_id: sessionId, name, note }, owner()),
  list: (offset, limit) => request('GET', `/api/runs?offset=${offset}&limit=${limit}`),
  get: (id) => request('GET', path(id)),
  boundary: (id) => request('GET', path(id, '/boundary')),
  remove: (id) => request('DELETE', path(id), undefined, owner()),
  continueRun: (id) => request('POST', path(id, '/sessions')),
  history: (sessionId) => request('GET', `/api/sessions/${encodeURIComponent(sessionId)}/history`),
};
