// The one fetch helper every page uses: JSON in, JSON (or text) out, and a 4xx/5xx turned into an
// Error whose message is the server's `detail` (FastAPI's list of field errors as "field: message").

export class ApiError extends Error {
  constructor(message, status, detail = message) {
    super(message);
    this.status = status;
    this.detail = detail; // the server's detail as sent, so a page can say each field error in its language
  }
}

// FastAPI's 422 detail is a list of {loc, msg}; our own errors are a string, or an object whose `message`
// says it (with where, such as a file's row and column, beside it).
export function describeDetail(detail) {
  if (detail && typeof detail === 'object' && !Array.isArray(detail) && typeof detail.message === 'string') return detail.message;
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const field = (d.loc ?? []).slice(1).join('.');
      return field ? `${field}: ${d.msg ?? String(d)}` : d.msg ?? String(d);
    }).join('; ');
  }
  return String(detail ?? 'Request failed');
}

// The response, once it is known to be a success (for callers that read its headers too); a failure throws
// an ApiError with the server's detail. A body is sent as JSON, or as it is (a file, CSV text) when its
// `mediaType` is given.
export async function send(method, url, body, mediaType = null) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': mediaType ?? 'application/json' },
    body: body === undefined || mediaType ? body : JSON.stringify(body),
  });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    let raw = detail;
    try {
      const data = await response.json();
      if (data.detail !== undefined) [detail, raw] = [describeDetail(data.detail), data.detail];
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(detail, response.status, raw);
  }
  return response;
}

export async function request(method, url, body, mediaType = null) {
  const response = await send(method, url, body, mediaType);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

// Every registry with its labels and the server's limits: what a page builds its choices from.
export function getOptions() {
  return request('GET', '/api/options');
}
