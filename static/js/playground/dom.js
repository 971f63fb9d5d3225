// Small DOM helpers shared by the widgets, and the base class they extend.

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

// A labelled form control inside a .pg-field wrapper; returns the control.
export function field(parent, { id, en, zh, tag = 'select', attrs = {} }) {
  const wrap = el('div', { class: 'pg-field' }, parent);
  bilingual(el('label', { for: id }, wrap), en, zh);
  return el(tag, { id, ...attrs }, wrap);
}

export function setOptions(select, items, value) {
  select.replaceChildren(...items.map(({ value: v, label }) => {
    const option = document.createElement('option');
    option.value = String(v);
    option.textContent = label;
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
