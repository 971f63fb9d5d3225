// The saved-runs REST API. Errors throw the server's `detail` (as the playground's api.js does).

import { ownerToken } from './owner.js';

const OWNER_HEADER = 'X-Owner-Token';

async function request(method, url, body, { owner = false } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (owner) headers[OWNER_HEADER] = ownerToken();
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const data = await response.json();
      detail = typeof data.detail === 'string' ? data.detail : data.detail.map((d) => d.msg).join('; ');
    } catch { /* not JSON: keep the status line */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

const path = (id, tail = '') => `/api/runs/${encodeURIComponent(id)}${tail}`;

export const runsApi = {
  save: (sessionId, name, note) => request('POST', '/api/runs', { session_id: sessionId, name, note }, { owner: true }),
  list: (offset, limit) => request('GET', `/api/runs?offset=${offset}&limit=${limit}`),
  get: (id) => request('GET', path(id)),
  boundary: (id) => request('GET', path(id, '/boundary')),
  remove: (id) => request('DELETE', path(id), undefined, { owner: true }),
  continueRun: (id) => request('POST', path(id, '/sessions')),
  history: (sessionId) => request('GET', `/api/sessions/${encodeURIComponent(sessionId)}/history`),
};
