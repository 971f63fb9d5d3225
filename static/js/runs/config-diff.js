// The compared runs' configurations as a table of only the settings that differ.

import { Widget, el, said } from '../playground/dom.js';
import { RUN_COLORS } from './palette.js';

const show = (v) => (v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));

// The keys whose values are not all equal, in the first configuration's order. Pure (no DOM).
export function differingKeys(configs) {
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))];
  return keys.filter((k) => new Set(configs.map((c) => JSON.stringify(c[k] ?? null))).size > 1);
}

export class ConfigDiff extends Widget {
  // runs: [{name, config}]
  update(runs) {
    this.$container.replaceChildren();
    const keys = differingKeys(runs.map((r) => r.config));
    if (!keys.length) {
      said(el('p', { id: 'runs-no-diff' }, this.$container), 'runs.no-diff');
      return this;
    }
    const table = el('table', { id: 'runs-diff-table' }, this.$container);
    const head = el('tr', {}, el('thead', {}, table));
    said(el('th', {}, head), 'runs.setting');
    runs.forEach((run, i) => {
      const th = el('th', {}, head);
      el('span', { class: 'runs-swatch', style: `background:${RUN_COLORS[i % RUN_COLORS.length]}` }, th);
      th.append(run.name);
    });
    const body = el('tbody', {}, table);
    for (const key of keys) {
      const tr = el('tr', { 'data-key': key }, body);
      el('th', { text: key }, tr);
      for (const run of runs) el('td', { text: show(run.config[key]) }, tr);
    }
    return this;
  }

  reset() { this.$container.replaceChildren(); return this; }
}
