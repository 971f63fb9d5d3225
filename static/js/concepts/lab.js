// What every concept lab's script shares: calling its endpoint, showing errors, formatting numbers.

import { request } from '../api.js';
import { t } from '../i18n.js';

// Every lab's endpoint is POST /api/concepts/<name> (app/concepts_catalog.py).
export function postConcept(name, body) {
  return request('POST', `/api/concepts/${name}`, body);
}

export class LabError extends Error {}

export function showError(error) {
  const el = document.getElementById('lab-error');
  if (!el) return;
  if (error) {
    el.textContent = `${t({ en: 'Error', zh: '错误' })}: ${error.message ?? error}`;
    el.hidden = false;
  } else {
    el.textContent = '';
    el.hidden = true;
  }
}

export function showCode(text) {
  const el = document.getElementById('lab-code');
  if (el) el.textContent = text;
}

// "1, 2.5, -3" -> [1, 2.5, -3]; throws a LabError naming the bad entry.
export function parseNumbers(text) {
  const parts = String(text).split(/[\s,]+/).filter(Boolean);
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isFinite(n)) throw new LabError(`${t({ en: 'not a number', zh: '不是数字' })}: ${p}`);
    return n;
  });
}

export function fmt(x, digits = 4) {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-4)) return x.toExponential(digits - 1);
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
export function wire(inputs, compute) {
  const run = debounce(async () => {
    try {
      await compute();
      showError(null);
    } catch (error) {
      showError(error);
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
export function parseRows(text) {
  return String(text).split(/[\n;]+/).map((line) => line.trim()).filter(Boolean).map(parseNumbers);
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

// One labelled checkbox per registry entry ({name, label}), each with a colour swatch; returns the inputs.
export function checkboxList(container, entries, { checked = [], colorOf = new Map() } = {}) {
  return entries.map(({ name, label }) => {
    const row = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = name;
    box.checked = checked.includes(name);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colorOf.get(name) ?? '#888';
    row.append(box, swatch, document.createTextNode(label));
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
