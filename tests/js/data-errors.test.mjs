import test from 'node:test';
import assert from 'node:assert/strict';

import { ApiError, describeDetail } from '../../static/js/api.js';
import { describeDataError, formatBytes } from '../../static/js/playground/data-errors.js';
import { CATALOGUE } from '../../static/js/i18n.js';

// /api/options' custom_data as the server documents it (docs/custom-data-api.md).
const CUSTOM = { dataset: 'custom', max_rows: 2000, min_rows: 10, upload_bytes: 1048576 };

// An ApiError as static/js/api.js builds it from a response: the status and the detail as sent.
const refused = (status, detail) => new ApiError(typeof detail === 'string' ? detail : 'x', status, detail);

test('a bad cell names its row and column in both languages, with the server message as plain text', () => {
  const error = refused(422, { message: "'abc' is not a number", row: 3, column: 2, expected: 'a number', received: 'abc' });
  assert.deepEqual(describeDataError(error, CUSTOM), {
    en: "Row 3, column 2: 'abc' is not a number",
    zh: "第 3 行第 2 列：'abc' is not a number",
  });
});

test('a problem with a whole row, or the whole file, says so', () => {
  assert.equal(describeDataError(refused(422, { message: 'expected 3 cells, received 2', row: 7, column: null }), CUSTOM).en,
    'Row 7: expected 3 cells, received 2');
  assert.equal(describeDataError(refused(422, { message: 'only one class', row: null, column: null }), CUSTOM).zh,
    '整个文件：only one class');
});

test('too many rows names the cap the page was given', () => {
  const error = refused(422, { message: 'more than 2000 rows', row: null, column: null, limit: 'TP_MAX_SAMPLES' });
  assert.equal(describeDataError(error, CUSTOM).en, 'At most 2000 rows. more than 2000 rows');
});

test('a body above the upload cap says the cap in bytes a reader knows', () => {
  const error = refused(413, 'Request body too large: at most 1048576 bytes');
  assert.equal(describeDataError(error, CUSTOM).en,
    'The file is larger than the upload limit of 1 MB. Request body too large: at most 1048576 bytes');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(20), '20 B');
});

test('a full dataset store asks to try again later', () => {
  for (const status of [429, 503]) {
    assert.ok(describeDataError(refused(status, 'too many datasets'), CUSTOM).en.startsWith(CATALOGUE['data.store-full'].en));
  }
});

test('every data string of the catalogue has English and Chinese with the same placeholders', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, entry] of Object.entries(CATALOGUE).filter(([k]) => k.startsWith('data.'))) {
    assert.ok(entry.en && entry.zh, key);
    assert.deepEqual(names(entry.zh), names(entry.en), key);
  }
});

test('the fetch helper reads the message of a detail that places it', () => {
  assert.equal(describeDetail({ message: 'not a number', row: 2, column: 1 }), 'not a number');
  assert.equal(describeDetail('Dataset not found'), 'Dataset not found');
});
