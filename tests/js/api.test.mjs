import test from 'node:test';
import assert from 'node:assert/strict';

import { ApiError, describeDetail, request } from '../../static/js/api.js';

// A stand-in for the browser's fetch answering with one Response, recording what it was asked.
function answering(status, body, headers = { 'Content-Type': 'application/json' }) {
  const calls = [];
  globalThis.fetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
  };
  return calls;
}

test('a validation error names each field and its message, as FastAPI lists them', () => {
  const detail = [
    { loc: ['body', 'logits', 0], msg: 'Input should be a finite number', type: 'finite_number' },
    { loc: ['body'], msg: 'Value error, start must be less than stop', type: 'value_error' },
  ];
  assert.equal(describeDetail(detail), 'logits.0: Input should be a finite number; Value error, start must be less than stop');
  assert.equal(describeDetail('Session not found'), 'Session not found');
});

test('a JSON body is sent as JSON and the JSON answer returned', async () => {
  const calls = answering(200, { probabilities: [0.5, 0.5] });
  assert.deepEqual(await request('POST', '/api/concepts/softmax', { logits: [1, 1] }), { probabilities: [0.5, 0.5] });
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body), { logits: [1, 1] });
});

test('a 4xx becomes an ApiError with the status and the server detail', async () => {
  answering(422, { detail: 'axis must be between -1 and 0; received 1' });
  await assert.rejects(request('POST', '/api/concepts/softmax', {}), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 422);
    assert.equal(error.message, 'axis must be between -1 and 0; received 1');
    return true;
  });
});

test('an answer that is not JSON keeps the status line as the message', async () => {
  answering(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
  await assert.rejects(request('GET', '/api/options'), /^Error: 502 /);
});
