// Small DOM helpers shared by the widgets, and the base class they extend.

import { CATALOGUE, t } from '../i18n.js';

export function el(tag, props = {}, parent = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  if (parent) parent.appendChild(node);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

// Bilingual text: <span data-lang="en">…</span><span data-lang="zh">…</span> (CSS shows one).
export function bilingual(parent, en, zh = null) {
  el('span', { 'data-lang': 'en', text: en }, parent);
  el('span', { 'data-lang': 'zh', text: zh ?? en }, parent);
  return parent;
}

// Fills {name} placeholders of a text: fill('Row {row}', {row: 3}) is 'Row 3'.
export function fill(text, values = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A catalogue entry (i18n.js: CATALOGUE) in both languages ({en, zh}), its placeholders filled from `values`.
export function catalogueText(key, values = {}) {
  const entry = CATALOGUE[key];
  if (!entry) throw new Error(`No catalogue entry ${key}`);
  return { en: fill(entry.en, values), zh: fill(entry.zh, values) };
}

// The same as bilingual spans inside `parent`.
export function catalogued(parent, key, values = {}) {
  const { en, zh } = catalogueText(key, values);
  return bilingual(parent, en, zh);
}

// A labelled form control inside a .pg-field wrapper; returns the control.
export function field(parent, { id, en, zh, tag = 'select', attrs = {} }) {
  const wrap = el('div', { class: 'pg-field' }, parent);
  bilingual(el('label', { for: id }, wrap), en, zh);
  return el(tag, { id, ...attrs }, wrap);
}

// A registry entry's label in both languages, from /api/options (an entry without label_zh keeps its English).
export function labels(entry) {
  return { en: entry.label, zh: entry.label_zh ?? entry.label };
}

// Text in the current language, kept in both (data-en, data-zh) so relabel() can switch it: for places
// the two <span data-lang> of bilingual() cannot go, such as inside an <option> (text only).
export function localised(node, text) {
  node.dataset.en = text.en;
  node.dataset.zh = text.zh ?? text.en;
  node.textContent = t(text);
  return node;
}

// Rewrites the localised() text under root in place, so a select keeps its selection and fires no change.
export function relabel(root) {
  for (const node of root.querySelectorAll('[data-en]')) node.textContent = t(node.dataset);
}

// items: [{value, label}], a label being plain text or bilingual ({en, zh}).
export function setOptions(select, items, value) {
  select.replaceChildren(...items.map(({ value: v, label }) => {
    const option = document.createElement('option');
    option.value = String(v);
    if (typeof label === 'string') option.textContent = label;
    else localised(option, label);
    return option;
  }));
  if (value !== undefined) select.value = String(value);
}

export function formatNumber(v, digits = 3) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits);
}

// What widgets share: a container, options, and the update/reset contract.
export class Widget {
  constructor(container, options = {}) {
    this.$container = container;
    this.options = options;
  }

  update() { return this; }

  reset() { return this; }
}
