// Small DOM helpers shared by the widgets, and the base class they extend.

import { both, currentLang } from '../i18n.js';

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

// A catalogue entry (static/i18n) written in every language, as bilingual() does.
export function said(parent, key, params = {}) {
  const text = both(key, params);
  return bilingual(parent, text.en, text.zh);
}

// A catalogue entry in both languages ({en, zh}), its placeholders filled from `values`.
export function catalogueText(key, values = {}) {
  return both(key, values);
}

// The same as bilingual spans inside `parent`.
export function catalogued(parent, key, values = {}) {
  return said(parent, key, values);
}

// A labelled form control inside a .pg-field wrapper; returns the control. The label is a catalogue key.
export function field(parent, { id, key, tag = 'select', attrs = {} }) {
  const wrap = el('div', { class: 'pg-field' }, parent);
  said(el('label', { for: id }, wrap), key);
  return el(tag, { id, ...attrs }, wrap);
}

// A registry entry's label in both languages, from /api/options (an entry without label_zh keeps its English).
export function labels(entry) {
  return { en: entry.label, zh: entry.label_zh ?? entry.label };
}

// Text in the current language, kept in both (data-en, data-zh) so relabel() can switch it: for places
// the two <span data-lang> of bilingual() cannot go, such as inside an <option> (text only). `text` is a
// catalogue key (with `params`) or a registry label in both languages ({en, zh}, see labels()).
export function localised(node, text, params = {}) {
  const pair = typeof text === 'string' ? both(text, params) : text;
  node.dataset.en = pair.en;
  node.dataset.zh = pair.zh ?? pair.en;
  node.textContent = node.dataset[currentLang()];
  return node;
}

// Rewrites the localised() text under root in place, so a select keeps its selection and fires no change.
export function relabel(root) {
  for (const node of root.querySelectorAll('[data-en]')) node.textContent = node.dataset[currentLang()] ?? node.dataset.en;
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
