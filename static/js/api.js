// The one fetch helper every page uses: JSON in, JSON (or text) out, and a 4xx/5xx turned into an ApiError
// whose message says the failure in the page's language: an error of the app's own by its code
// (app/error_codes.py), a field error by its pydantic type, both from the catalogue (static/i18n:
// error.<code>); the server's English stays only for a code the catalogue lacks.

import { has, say } from './i18n.js';

export class ApiError extends Error {
  // body: the error's JSON ({detail, code?, params?}), as the server sent it.
  constructor(message, status, detail = message, body = {}) {
    super(message);
    this.status = status;
    this.detail = detail; // the server's detail as sent, so a page can say each field error in its language
    this.code = body.code ?? null;
    this.params = body.params ?? {};
  }
}

// One field error in words: "field: sentence", the sentence from the catalogue for its type and ctx.
function describeItem(d) {
  const field = (d.loc ?? []).slice(1).join('.');
  const key = `error.${d.type}`;
  // A sentence needs what was received; range_order names two fields, which only a lab's page can label.
  const known = has(key) && d.type !== 'range_order' && Object.hasOwn(d, 'input');
  if (known) return say(key, { ...(d.ctx ?? {}), field: field || 'body', input: d.input });
  const text = String(d.msg ?? d).replace(/^Value error, /, '');
  return field ? say('error.named', { field, message: text }) : text;
}

// FastAPI's 422 detail is a list of {loc, msg, type, ctx}; our own errors are a string.
// An object detail says itself in `message` (with where, such as a file's row and column, beside it).
export function describeDetail(detail) {
  if (detail && typeof detail === 'object' && !Array.isArray(detail) && typeof detail.message === 'string') return detail.message;
  if (Array.isArray(detail)) return detail.map(describeItem).join('; ');
  return String(detail ?? 'Request failed');
}

// An error body in the page's language: its code's sentence with its params (a shape as [2, 3]), else its detail.
export function describeError({ detail, code = null, params = {} } = {}) {
  if (!code || !has(`error.${code}`)) return describeDetail(detail);
  const shown = Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(', ')}]` : v]));
  return say(`error.${code}`, shown);
}

// The response, once it is known to be a success (for callers that read its headers too); a failure throws
// an ApiError with the server's detail. A body is sent as JSON, or as it is (a file, CSV text) when its
// `mediaType` is given; `headers` go with it (the saved runs' owner token).
export async function send(method, url, body, { mediaType = null, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': mediaType ?? 'application/json' },
    body: body === undefined || mediaType ? body : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    let raw = detail;
    let data = {};
    try {
      data = await response.json();
      if (data.detail !== undefined) [detail, raw] = [describeError(data), data.detail];
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(detail, response.status, raw, data ?? {});
  }
  return response;
}

export async function request(method, url, body, options = {}) {
  const response = await send(method, url, body, options);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

// Every registry with its labels and the server's limits: what a page builds its choices from.
export function getOptions() {
  return request('GET', '/api/options');
}
