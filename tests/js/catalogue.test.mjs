// The language catalogues (static/i18n/<lang>.json) against each other and against the code that reads them:
// the same keys and placeholders in every language, and every key the pages say exists. The keys used are
// read from the sources themselves (static/js, templates), not listed here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import en from '../../static/i18n/en.json' with { type: 'json' };
import zh from '../../static/i18n/zh.json' with { type: 'json' };
import * as i18n from '../../static/js/i18n.js';
import { OPTIONS } from './options.mjs';

const CATALOGUES = { en, zh };
const placeholders = (text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

function files(dir, ending) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ending))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

// Every catalogue key written out in a source: a quoted string starting with one of the catalogue's own
// key families (nav., playground., lab., …), in scripts and in templates (say('…'), data-say="…").
const FAMILIES = [...new Set(Object.keys(en).map((k) => k.split('.')[0]))];
const KEY = new RegExp(`['"\`]((?:${FAMILIES.join('|')})\\.[\\w.-]+?)['"\`]`, 'g');
const sources = [...files('static/js', '.js'), ...files('templates', '.html')];
const used = new Map(); // key -> the first file that uses it
for (const file of sources) {
  for (const m of readFileSync(file, 'utf8').matchAll(KEY)) if (!used.has(m[1])) used.set(m[1], file);
}
// Keys built from a value: the problem type a session has (controls.js: `playground.problem-${problem}`).
for (const problem of Object.keys(OPTIONS.default_losses)) used.set(`playground.problem-${problem}`, 'controls.js');

test('every language has the same keys', () => {
  for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
    assert.deepEqual(Object.keys(catalogue).filter((k) => !(k in en)), [], `keys only in ${lang}.json`);
    assert.deepEqual(Object.keys(en).filter((k) => !(k in catalogue)), [], `keys missing from ${lang}.json`);
  }
});

test('every entry has the same placeholders in every language, and no empty text', () => {
  for (const [key, text] of Object.entries(en)) {
    for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
      assert.deepEqual(placeholders(catalogue[key]), placeholders(text), `${key}: {…} in ${lang}.json differ from en.json`);
      assert.ok(catalogue[key].trim().length > 0, `${key} is empty in ${lang}.json`);
    }
  }
});

test('every key the pages say is in the catalogue', () => {
  assert.ok(used.size > 100, `only ${used.size} keys found in the sources: is the pattern still right?`);
  const missing = [...used].filter(([key]) => !(key in en)).map(([key, file]) => `${key} (${file})`);
  assert.deepEqual(missing, []);
});

test('every key in the catalogue is said somewhere (error.<code> keys are the server\'s: see test_errors.py)', () => {
  const unused = Object.keys(en).filter((key) => !used.has(key) && !key.startsWith('error.'));
  assert.deepEqual(unused, []);
});

// A module written against the old inline pairs (t({en, zh})) would stop every page loading: say which.
test('every name a module imports from i18n.js is one it exports', () => {
  const wrong = [];
  for (const file of files('static/js', '.js')) {
    for (const m of readFileSync(file, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'[./]*(?:\.\.\/)?i18n\.js'/g)) {
      for (const name of m[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean)) {
        if (!(name in i18n)) wrong.push(`${file}: ${name}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
