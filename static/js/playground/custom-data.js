// "Your own data" in the data panel: draw points on the output (a class or a target value, an eraser, clear),
// start from the current dataset, paste or upload a CSV, see and override the problem type, download the points.
// Every change goes to the server as a new dataset (POST /api/datasets); once it is taken, `onData` lets the
// page train on it. Refused data leaves the points and the session as they were and says why.

import { currentLang, fill, onLangChange, say } from '../i18n.js';
import { classColor, css, diverging } from './colors.js';
import { CsvImport } from './csv-import.js';
import { describeDataError, join } from './data-errors.js';
import { Widget, catalogueText as text, catalogued, el, labels, localised, relabel } from './dom.js';
import { PointEditor } from './point-editor.js';
import { PointSet } from './point-set.js';
import { customProblem } from './rules.js';

const round6 = (v) => Math.round(v * 1e6) / 1e6;

// Points the session already trains on (sent inline) are uploaded once the learner pauses this long: the upload
// only names them (a download, a link, the split shown), and meanwhile it would compete for the server and the
// page with the frame trained on them, which is what the learner waits for.
const UPLOAD_PAUSE_MS = 250;

// A range's ends as an axis shows them: three significant digits.
const short = (v) => String(Number(v.toPrecision(3)));

export class CustomData extends Widget {
  // options: {options: /api/options, api (createDataset, uploadCsv, dataset, datasetCsvUrl), dropZone,
  //   canvas, toData(clientX, clientY) (the output canvas drawn on), currentData() → {points, problem} of the
  //   dataset shown, onPoints(points, problem) (draw them), onEditing(editing), onData(summary, points) (train on
  //   them: the points as the server keeps them, scaled, classes by index), onDraft(points) (train on them now,
  //   before the server has checked and kept them: points of the problem and classes it trains on already)}
  constructor(container, options) {
    super(container, options);
    const custom = this.custom = options.options.custom_data;
    this.points = new PointSet({ cap: custom.max_rows, domain: options.options.limits.domain });
    this.editing = false;
    this.erasing = false;
    this.kind = 'classification'; // the problem the points are drawn for
    this.override = null; // the problem the learner chose instead of the inferred one
    this.summary = null; // the server's summary of the data trained on
    this._onCustom = false; // the points edited are the custom data's own (not a copy of the dataset shown)
    this._names = null; // class names of an uploaded file
    this._classes = 2;
    this._label = 0;
    this._sending = null;
    this._again = false;
    this._version = 0; // counts the changes of the points: an upload's answer counts only if none came since
    this._asked = null; // the dataset id last read back from the server (or being read)

    catalogued(el('h3', { class: 'pg-subhead' }, container), 'data.heading');
    this.$edit = el('button', { type: 'button', id: 'pg-data-edit', class: 'pg-text-button', 'aria-pressed': 'false' }, container);
    catalogued(this.$edit, 'data.edit');
    this.$tools = el('div', { class: 'pg-data-tools', id: 'pg-data-tools', hidden: true }, container);
    catalogued(el('p', { class: 'pg-hint muted' }, this.$tools), 'data.edit-hint');
    catalogued(el('p', { class: 'pg-hint muted', id: 'pg-data-test-hint' }, this.$tools), 'data.test-hint');
    this.$classWrap = el('div', { class: 'pg-field' }, this.$tools);
    catalogued(el('span', { class: 'pg-field-label', id: 'pg-data-class-label' }, this.$classWrap), 'data.class');
    this.$classes = el('div', { class: 'pg-data-classes', role: 'radiogroup', 'aria-labelledby': 'pg-data-class-label' }, this.$classWrap);
    this.$targetWrap = el('div', { class: 'pg-field', hidden: true }, this.$tools);
    catalogued(el('label', { for: 'pg-data-target' }, this.$targetWrap), 'data.target');
    this.$target = el('input', { id: 'pg-data-target', type: 'number', step: '0.1', value: '1' }, this.$targetWrap);
    const row = el('div', { class: 'pg-data-row' }, this.$tools);
    this.$eraser = el('button', { type: 'button', id: 'pg-data-eraser', class: 'pg-text-button', 'aria-pressed': 'false' }, row);
    catalogued(this.$eraser, 'data.eraser');
    this.$clear = el('button', { type: 'button', id: 'pg-data-clear', class: 'pg-text-button' }, row);
    catalogued(this.$clear, 'data.clear');
    this.$count = el('p', { id: 'pg-data-count', class: 'pg-hint', 'aria-live': 'polite' }, this.$tools);

    const problemWrap = el('div', { class: 'pg-field' }, container);
    catalogued(el('label', { for: 'pg-data-problem' }, problemWrap), 'data.problem');
    this.$problem = el('select', { id: 'pg-data-problem' }, problemWrap);
    this.$inferred = localised(el('option', { value: '' }, this.$problem), this._inferredLabel());
    for (const p of custom.problems) localised(el('option', { value: p.name }, this.$problem), labels(p));

    this.importer = new CsvImport(container, { dropZone: options.dropZone, load: (body) => this.load(body) });
    const { minimum: lo, maximum: hi } = options.options.limits.domain;
    catalogued(el('p', { class: 'pg-hint muted', id: 'pg-data-limits' }, container), 'data.limits', { max: custom.max_rows, lo, hi });
    this.$download = el('a', { id: 'pg-data-download', class: 'pg-text-button', download: 'dataset.csv', hidden: true }, container);
    catalogued(this.$download, 'data.download');
    this.$scaled = el('p', { id: 'pg-data-scaled', class: 'pg-hint pg-data-notice', hidden: true }, container);
    this.$keep = el('p', { id: 'pg-data-keep', class: 'pg-hint muted', hidden: true }, container);
    catalogued(this.$keep, 'data.keep');
    this.$message = el('p', { id: 'pg-data-message', class: 'pg-data-message', role: 'status' }, container);

    this.editor = new PointEditor(options.canvas, {
      points: this.points,
      toData: options.toData,
      label: () => this.label(),
      erasing: () => this.erasing,
      onChange: () => this._drawn(),
      onFinishChange: () => this.send(),
      onFull: () => this._say(text('data.full', { max: custom.max_rows })),
    });
    this.$edit.addEventListener('click', () => (this.editing ? this.stopEditing() : this.startEditing()));
    this.$eraser.addEventListener('click', () => {
      this.erasing = !this.erasing;
      this.$eraser.setAttribute('aria-pressed', String(this.erasing));
    });
    this.$clear.addEventListener('click', () => {
      this.points.clear();
      this._drawn();
      this._say(null);
    });
    this.$target.addEventListener('input', () => this._drawClasses());
    this.$problem.addEventListener('change', () => {
      this.override = this.$problem.value || null;
      if (this.override) this.kind = this.override;
      this._drawClasses();
      if (this.points.size) this.send();
    });
    onLangChange(() => { relabel(this.$problem); this._drawClasses(); });
    this._drawClasses();
  }

  // The label a new point gets: the picked class, or the target value for regression.
  label() {
    if (this.kind !== 'regression') return this._label;
    const v = Number(this.$target.value);
    return Number.isFinite(v) ? v : 0;
  }

  // The current dataset's points become editable; on the custom dataset, the points it trains on.
  startEditing() {
    if (!this._onCustom) {
      const { points, problem } = this.options.currentData();
      this.points.replace(points);
      this.kind = problem === 'regression' ? 'regression' : 'classification';
      this._names = null;
      this._classes = this.kind === 'regression' ? 2 : Math.max(2, ...points.map((p) => p[2] + 1));
    }
    this.editing = true;
    this.$edit.setAttribute('aria-pressed', 'true');
    this.$tools.hidden = false;
    this.editor.update({ editing: true });
    this.options.onEditing(true);
    this._drawClasses();
    this._drawn();
  }

  stopEditing() {
    if (!this.editing) return;
    this.editing = false;
    this.$edit.setAttribute('aria-pressed', 'false');
    this.$tools.hidden = true;
    this.editor.update({ editing: false });
    this.options.onEditing(false);
  }

  // The custom dataset's thumbnail: train on the points already taken, or draw on an empty canvas.
  openCustom() {
    if (this.summary) {
      this.options.onData(this.summary, this.points.points);
    } else {
      this.points.clear();
      this.kind = this.override ?? 'classification';
      this._names = null;
      this._classes = 2;
      this._onCustom = true; // nothing of the current dataset is copied
    }
    this.startEditing();
  }

  // data: {state}: the page's state (which dataset it trains on)
  update({ state } = {}) {
    if (!state) return this;
    const onCustom = state.dataset === this.custom.dataset;
    if (state.dataset !== this._dataset && this._dataset !== undefined && !onCustom) {
      this.stopEditing(); // another dataset was picked: its points are its own again
      this._onCustom = false;
      clearTimeout(this._pause); // and an upload of the drawn points, due or on its way, no longer applies
      this._again = false; // nor one asked for after it
      this._version++;
    }
    if (onCustom) this._onCustom = true;
    this._dataset = state.dataset;
    this._state = state;
    this.$keep.hidden = !onCustom;
    // A link or a saved run names data the page has not loaded yet: read it back from the server.
    if (onCustom && state.dataset_id && state.dataset_id !== this._asked) this._fetch(state);
    return this;
  }

  // The state's data by its id; a state without points (a link: they are not in it) gets them back.
  async _fetch({ dataset_id: id, points }) {
    this._asked = id; // asked once: an expired id is not asked again at every change
    try {
      const full = await this.options.api.dataset(id);
      if (this._asked !== id) return;
      this.points.replace(full.points);
      this._took(full, { train: points ? null : full.points });
    } catch { /* expired: a saved run's state holds its points; a link's session says so when it is refused */ }
  }

  // Drawn points → the server. Only the newest points count: a change made while one is on its way is
  // sent after it, and the older answer is not used.
  send() {
    clearTimeout(this._pause);
    this._version++;
    // Too few points, or one class only, is a drawing not finished yet: wait for more rather than ask.
    const classes = new Set(this.points.points.map((p) => p[2])).size;
    if (this.points.size < this.custom.min_rows || (this.kind !== 'regression' && classes < this.custom.num_classes.minimum)) {
      this._drawn();
      this._say(text('data.too-few', { min: this.custom.min_rows, classes: this.custom.num_classes.minimum }));
      return;
    }
    // New points of the same problem and classes go to the session at once, inline (no upload round trip),
    // before anything else is done with them; the upload then names them by an id (a link, a download, a new
    // network after the points left the state).
    if (this._sameProblem(this.points.points, this.override ?? this.kind)) {
      this.options.onDraft(this._copy()); // the output and the count show them already (onChange)
      this._pause = setTimeout(() => this._upload(), UPLOAD_PAUSE_MS);
      return;
    }
    this._drawn();
    this._upload();
  }

  // A copy of the points (a drag may go on while they are on their way), to the 6 decimals the server keeps.
  _copy() {
    return this.points.points.map(([x1, x2, label]) => [round6(x1), round6(x2), label]);
  }

  async _upload() {
    if (this._sending) {
      this._again = true;
      return;
    }
    const problem = this.override ?? this.kind;
    const sent = this._copy();
    const version = this._version;
    this._sending = this.options.api.createDataset({ points: sent, problem });
    try {
      const summary = await this._sending;
      if (version === this._version && !this._again) this._took(summary, { train: sent });
    } catch (e) {
      if (version === this._version && !this._again) this._say(describeDataError(e, this.custom), 'error');
    } finally {
      this._sending = null;
      if (this._again) {
        this._again = false;
        this._upload();
      }
    }
  }

  // Whether `points` keep the problem type and class count the session trains on (its weights then stay).
  _sameProblem(points, problem) {
    const state = this._state;
    if (!state || state.dataset !== this.custom.dataset || state.problem_type !== problem) return false;
    if (problem === 'regression') return true;
    return Math.max(...points.map((p) => p[2])) + 1 === state.class_names?.length;
  }

  // A CSV file or text → the server; its points replace the current ones only once the server took them.
  // Returns null, or why not in the page's language (the paste dialog shows it too).
  async load(body) {
    this._say(null);
    try {
      const summary = await this.options.api.uploadCsv(body, this.override);
      const full = await this.options.api.dataset(summary.id);
      clearTimeout(this._pause); // drawn points not uploaded yet give way to the file
      this._again = false;
      this._version++;
      this.points.replace(full.points);
      this._took(full, { train: full.points });
      this._say(text('data.loaded', { rows: full.rows }));
      return null;
    } catch (e) {
      const why = join(describeDataError(e, this.custom), text('data.kept'));
      this._say(why, 'error');
      return why[currentLang()] ?? why.en;
    }
  }

  // The server took some data: show what it says of it and (train: its points) train on it.
  _took(summary, { train = null } = {}) {
    this.summary = summary;
    this._asked = summary.id;
    this.kind = summary.problem;
    this._classes = Math.max(2, summary.num_classes ?? 0);
    this._names = summary.class_names ?? null;
    localised(this.$inferred, this._inferredLabel());
    this.$download.href = this.options.api.datasetCsvUrl(summary.id);
    this.$download.hidden = false;
    this.$scaled.hidden = !summary.scaled;
    if (summary.scaled) {
      const { x1, x2 } = summary.ranges;
      this.$scaled.replaceChildren();
      catalogued(this.$scaled, 'data.scaled', { x1lo: short(x1[0]), x1hi: short(x1[1]), x2lo: short(x2[0]), x2hi: short(x2[1]) });
    }
    this._say(null);
    this._drawClasses();
    this._drawn();
    if (train) this.options.onData(summary, train);
  }

  // What the output shows and the count say after the points changed.
  _drawn() {
    const max = this.custom.max_rows;
    this.$count.replaceChildren();
    catalogued(this.$count, this.points.full ? 'data.full' : 'data.count', { rows: this.points.size, max });
    if (this.editing) this.options.onPoints(this.points.points, this._pointProblem());
  }

  // The problem the points' colours follow: the server's names for a session's problem.
  _pointProblem() {
    return customProblem({ problem: this.kind, num_classes: this._classes });
  }

  // "Inferred (classification)" in both languages, the problem's name from the server's registry.
  _inferredLabel() {
    const kind = this.summary?.problem ?? this.kind;
    const entry = labels(this.custom.problems.find((p) => p.name === kind) ?? { label: kind });
    const auto = text('data.problem-auto', {});
    return { en: fill(auto.en, { problem: entry.en }), zh: fill(auto.zh, { problem: entry.zh }) };
  }

  // The class picker (one button per class and one to add a class), or the target value for regression.
  _drawClasses() {
    const regression = this.kind === 'regression';
    this.$classWrap.hidden = regression;
    this.$targetWrap.hidden = !regression;
    this.$target.style.borderColor = css(diverging(this.label()));
    if (regression) return;
    this._label = Math.min(this._label, this._classes - 1);
    this.$classes.replaceChildren();
    for (let c = 0; c < this._classes; c++) {
      const name = this._names?.[c];
      const button = el('button', { type: 'button', role: 'radio', class: 'pg-data-class', 'data-class': String(c),
        'aria-checked': String(c === this._label) }, this.$classes);
      el('span', { class: 'pg-swatch-colour' }, button).style.background = css(classColor(c));
      if (name !== undefined && name !== String(c)) el('span', { text: name }, button); // shown as text, never as HTML
      else catalogued(button, 'data.class-n', { n: c });
      button.addEventListener('click', () => { this._label = c; this._drawClasses(); });
    }
    if (this._classes < this.custom.num_classes.maximum) {
      const add = el('button', { type: 'button', id: 'pg-data-add-class', class: 'pg-data-class', title: say('data.add-class'),
        'aria-label': say('data.add-class'), text: '+' }, this.$classes);
      add.addEventListener('click', () => { this._label = this._classes++; this._drawClasses(); });
    }
  }

  // One line under the panel: null clears it; kind "error" for refused data.
  _say(message, kind = '') {
    this.$message.replaceChildren();
    this.$message.classList.toggle('pg-data-error', kind === 'error');
    this.$message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    if (message) {
      el('span', { 'data-lang': 'en', text: message.en }, this.$message);
      el('span', { 'data-lang': 'zh', text: message.zh }, this.$message);
    }
  }
}
