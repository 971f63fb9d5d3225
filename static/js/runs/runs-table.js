// The list of saved runs, one page at a time: a tick box per run, its link, and "delete" on the runs this
// browser saved. onSelect(ids) fires whenever the ticked set changes.

import { currentLang, onLangChange } from '../i18n.js';
import { Widget, el, formatNumber, labels, said } from '../playground/dom.js';
import { myRuns } from './owner.js';

const COLUMNS = ['runs.col-name', 'runs.col-dataset', 'runs.col-network', 'runs.col-epochs', 'runs.col-test-loss', 'runs.col-when'];

export class RunsTable extends Widget {
  // options: { datasets (/api/options' entries, for their names), onSelect(ids), onDelete(id), onPage(offset) }
  constructor(container, options) {
    super(container, options);
    this.selected = new Set();
    this.datasets = new Map(options.datasets.map((d) => [d.name, labels(d)]));
    onLangChange(() => { if (this._page) this.update(this._page); }); // names and dates in the new language
    this.$message = el('p', { class: 'runs-message', id: 'runs-message', 'aria-live': 'polite' }, container);
    this.$table = el('table', { id: 'runs-list' }, container);
    this.$pager = el('div', { class: 'runs-pager' }, container);
  }

  // page: GET /api/runs's answer
  update(page) {
    this._page = page;
    const mine = myRuns();
    const head = el('tr');
    el('th', {}, head);
    for (const key of COLUMNS) said(el('th', {}, head), key);
    el('th', {}, head);
    const rows = page.runs.map((run) => this._row(run, mine.has(run.id)));
    this.$table.replaceChildren(el('thead'), el('tbody'));
    this.$table.tHead.appendChild(head);
    this.$table.tBodies[0].append(...rows);
    this.$message.replaceChildren();
    if (!page.total) said(this.$message, 'runs.none');
    this._pager(page);
    return this;
  }

  // Shows the catalogue entry `key` with its `params` (no key: clears the message).
  say(key = null, params = {}) {
    this.$message.replaceChildren();
    if (key) said(this.$message, key, params);
  }

  _row(run, mine) {
    const tr = el('tr', { 'data-run': run.id });
    const box = el('input', { type: 'checkbox', 'aria-label': run.name || run.id }, el('td', {}, tr));
    box.checked = this.selected.has(run.id);
    box.addEventListener('change', () => {
      if (box.checked) this.selected.add(run.id); else this.selected.delete(run.id);
      this.options.onSelect([...this.selected]);
    });
    const name = el('a', { href: run.link }, el('td', {}, tr));
    // A learner's own name for a run is theirs, in whatever language: not the page's words to translate.
    if (run.name) Object.assign(name, { textContent: run.name, translate: false }); else said(name, 'runs.untitled');
    el('td', { text: this.datasets.get(run.dataset)?.[currentLang()] ?? run.dataset }, tr);
    el('td', { text: run.hidden_layers.join('-') || '–' }, tr);
    el('td', { class: 'num', text: String(run.epoch) }, tr);
    el('td', { class: 'num', text: formatNumber(run.test_loss) }, tr);
    el('td', { text: new Date(run.created_at).toLocaleString(document.documentElement.lang) /* the page's language, as i18n.js set it */ }, tr);
    const actions = el('td', {}, tr);
    if (mine) {
      const button = el('button', { type: 'button', class: 'runs-delete' }, actions);
      said(button, 'runs.delete');
      button.addEventListener('click', () => this.options.onDelete(run.id));
    }
    return tr;
  }

  _pager({ total, offset, limit }) {
    this.$pager.replaceChildren();
    if (total <= limit) return;
    const newer = el('button', { type: 'button', disabled: offset === 0 }, this.$pager);
    said(newer, 'runs.previous');
    newer.addEventListener('click', () => this.options.onPage(Math.max(0, offset - limit)));
    el('span', { text: `${offset + 1}–${Math.min(total, offset + limit)} / ${total}` }, this.$pager);
    const older = el('button', { type: 'button', disabled: offset + limit >= total }, this.$pager);
    said(older, 'runs.next');
    older.addEventListener('click', () => this.options.onPage(offset + limit));
  }
}
