// What every concept lab's script shares: calling its endpoint, showing errors, formatting numbers.

import { request } from '../api.js';
import { say } from '../i18n.js';
import { MINUS, num } from './notation.js';
import { explain } from './lab-errors.js';

// Every lab's endpoint is POST /api/concepts/<name> (app/concepts_catalog.py).
export function postConcept(name, body) {
  return request('POST', `/api/concepts/${name}`, body);
}

export class LabError extends Error {}

// Shows an error beside the input it is about (at the top of the inputs when it names none), and marks the
// lab stale: the figure and numbers stay those of the last inputs that worked. `null` clears both.
export function showError(error, { container = document.querySelector('article.lab'), request = null, ids = {} } = {}) {
  const el = document.getElementById('lab-error');
  if (!el) return;
  container?.toggleAttribute('data-stale', Boolean(error));
  if (!error) {
    el.textContent = '';
    el.hidden = true;
    return;
  }
  const { input, message } = explain(error, container ?? document, request, ids);
  el.textContent = `${say('error.prefix')}${message}`;
  el.hidden = false;
  const anchor = input?.closest('label') ?? input;
  if (anchor) anchor.after(el);
  else container?.querySelector('.lab-inputs h2')?.after(el);
}

export function showCode(text) {
  const el = document.getElementById('lab-code');
  if (el) el.textContent = text;
}

// "1, 2.5, -3" -> [1, 2.5, -3] (a number copied from the page, "−3", reads too); throws a LabError naming
// the bad entry. Given the input element itself, the error names it, so the page shows it there.
export function parseNumbers(source) {
  const text = source?.value ?? source;
  const parts = String(text).split(/[\s,]+/).filter(Boolean);
  return parts.map((p) => {
    const n = Number(p.replaceAll(MINUS, '-'));
    if (!Number.isFinite(n)) {
      const error = new LabError(`${say('lab.not-a-number')}: ${p}`);
      if (source?.value !== undefined) error.input = source;
      throw error;
    }
    return n;
  });
}

// A number shown on the page (real minus sign): notation.js writes it.
export const fmt = num;

// A number written back into an input, which parseNumbers reads: ASCII, so a learner can edit it.
export function inputNumber(x, digits = 4) {
  return Number(x.toFixed(digits)).toString();
}

export function debounce(fn, ms = 150) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Runs `compute` now and again whenever one of `inputs` changes, showing errors in the page.
export function wire(inputs, compute, onError = showError) {
  const run = debounce(async () => {
    try {
      await compute();
      onError(null);
    } catch (error) {
      onError(error);
    }
  });
  for (const el of inputs) {
    el.addEventListener('input', run);
    el.addEventListener('change', run);
  }
  run();
  return run;
}

// Lines (or ';'-separated parts) of numbers -> rows: "1, 2\n3, 4" -> [[1, 2], [3, 4]].
export function parseRows(source) {
  const text = source?.value ?? source;
  try {
    return String(text).split(/[\n;]+/).map((line) => line.trim()).filter(Boolean).map((line) => parseNumbers(line));
  } catch (error) {
    if (source?.value !== undefined) error.input = source;
    throw error;
  }
}

// A value as a Python literal for the code panels; floats keep a decimal point as tf.constant needs.
export function py(value) {
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  return JSON.stringify(value);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// An SVG element with attributes, appended to `parent` when given. A figure's root (an <svg> with a
// viewBox) is never shown narrower than its own units, so its text keeps at least its CSS size on a phone;
// the figure panel scrolls sideways instead (lab.css).
export function svg(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (name === 'svg' && attrs.viewBox) node.style.minWidth = `${String(attrs.viewBox).split(/[\s,]+/)[2]}px`;
  if (parent) parent.appendChild(node);
  return node;
}

// A registry entry's label (/api/options: label, label_zh) in both languages; CSS shows the page's one.
export function registryLabel({ label, label_zh: labelZh }) {
  const wrap = document.createElement('span');
  for (const [lang, text] of [['en', label], ['zh', labelZh || label]]) {
    const span = document.createElement('span');
    span.dataset.lang = lang;
    span.textContent = text;
    wrap.appendChild(span);
  }
  return wrap;
}

// One labelled checkbox per registry entry ({name, label, label_zh}), each with a colour swatch; returns the inputs.
export function checkboxList(container, entries, { checked = [], colorOf = new Map() } = {}) {
  return entries.map((entry) => {
    const { name } = entry;
    const row = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    box.checked = checked.includes(name);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colorOf.get(name) ?? '#888';
    row.append(box, swatch, registryLabel(entry));
    container.appendChild(row);
    return box;
  });
}

// A table with a caption, a header row and rows of cell texts (written as text, never as HTML).
export function table(caption, headers, rows) {
  const el = document.createElement('table');
  el.createCaption().textContent = caption;
  const head = el.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const body = el.createTBody();
  for (const cells of rows) {
    const tr = body.insertRow();
    for (const text of cells) tr.insertCell().textContent = String(text);
  }
  return el;
}

// Replaces the content of `container` with one <div> of text per line (e.g. a formula with its numbers).
export function showLines(container, lines) {
  container.replaceChildren(...lines.map((text) => {
    const div = document.createElement('div');
    div.textContent = text;
    return div;
  }));
}
