import test from 'node:test';
import assert from 'node:assert/strict';

import { ApiError, describeDetail, describeError, request } from '../../static/js/api.js';
import { fill } from '../../static/js/i18n.js';
import en from '../../static/i18n/en.json' with { type: 'json' };

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
  // Without the value received there is no sentence to fill: the server's message stays, its prefix dropped.
  assert.equal(describeDetail(detail), 'logits.0: Input should be a finite number; start must be less than stop');
  assert.equal(describeDetail('Session not found'), 'Session not found');
});

test('a field error with its bound is said by the catalogue sentence of its pydantic type', () => {
  const item = { loc: ['body', 'learning_rate'], msg: 'Input should be less than or equal to 10', type: 'less_than_equal',
    input: 50, ctx: { le: 10 } };
  assert.equal(describeDetail([item]), fill(en['error.less_than_equal'], { field: 'learning_rate', le: 10, input: 50 }));
});

test("an error of the app's own is said by its code with its params, its English only for an unknown code", () => {
  const body = { detail: 'The server holds its maximum of 3 sessions; try again later', code: 'too_many_sessions',
    params: { max_sessions: 3, retry_after: 7 } };
  assert.equal(describeError(body), fill(en['error.too_many_sessions'], body.params));
  assert.equal(describeError({ ...body, code: 'a_code_no_catalogue_has' }), body.detail);
});

test('a JSON body is sent as JSON and the JSON answer returned', async () => {
  const calls = answering(200, { probabilities: [0.5, 0.5] });
  assert.deepEqual(await request('POST', '/api/concepts/softmax', { logits: [1, 1] }), { probabilities: [0.5, 0.5] });
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(calls[0].init.body), { logits: [1, 1] });
});

test('a coded 4xx becomes an ApiError carrying its code and params', async () => {
  answering(404, { detail: 'Session not found', code: 'session_not_found', params: {} });
  await assert.rejects(request('GET', '/api/sessions/x'), (error) => {
    assert.equal(error.code, 'session_not_found');
    assert.equal(error.message, en['error.session_not_found']);
    assert.equal(error.detail, 'Session not found');
    return true;
  });
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

test('a shape among the params is written as a list', () => {
  const body = { detail: 'y_true and y_pred must have the same shape; received [2, 2] and [2, 3]', code: 'shapes_differ',
    params: { y_true: [2, 2], y_pred: [2, 3] } };
  assert.equal(describeError(body), fill(en['error.shapes_differ'], { y_true: '[2, 2]', y_pred: '[2, 3]' }));
});
