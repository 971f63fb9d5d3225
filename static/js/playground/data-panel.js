// The data column: dataset thumbnails (drawn from /api/datasets/preview), classes for multi-class data,
// train/test ratio, noise, batch size and "regenerate" (a new data seed).

import { both, currentLang, onLangChange, say } from '../i18n.js';
import { css } from './colors.js';
import { Widget, bilingual, el, labels, localised, relabel, said } from './dom.js';
import { labelColor } from './heatmap.js';

const THUMB = 48;

function slider(parent, { id, en, zh, min, max, step }) {
  const wrap = el('div', { class: 'pg-field pg-slider' }, parent);
  const label = el('label', { for: id }, wrap);
  bilingual(label, en, zh);
  const value = el('output', { for: id, class: 'pg-slider-value' }, label);
  const input = el('input', { id, type: 'range', min, max, step }, wrap);
  return { input, value };
}

export class DataPanel extends Widget {
  // options: {options: /api/options, preview(config) → Promise, onChange(changes), onCustom() (the custom
  //   dataset's thumbnail: its points are drawn by the learner, not generated)}
  constructor(container, options) {
    super(container, options);
    const o = options.options;
    const heading = el('h3', { class: 'pg-subhead' }, container);
    said(heading, 'playground.which-dataset');
    this.$datasets = el('div', { class: 'pg-datasets', role: 'group', 'aria-label': 'Dataset' }, container);
    this._thumbs = {};
    for (const d of o.datasets) {
      const button = el('button', { type: 'button', class: 'pg-dataset', 'data-dataset': d.name }, this.$datasets);
      const canvas = el('canvas', { width: THUMB, height: THUMB }, button);
      localised(el('span', { class: 'pg-dataset-label' }, button), labels(d));
      const custom = d.name === o.custom_data?.dataset;
      button.addEventListener('click', () => (custom ? options.onCustom() : options.onChange({ dataset: d.name })));
      this._thumbs[d.name] = { button, canvas, problem: d.problem, label: labels(d) };
    }
    this._nameDatasets();
    onLangChange(() => { relabel(this.$datasets); this._nameDatasets(); });
    this.$classesWrap = el('div', { class: 'pg-field' }, container);
    said(el('label', { for: 'pg-num-classes' }, this.$classesWrap), 'playground.classes');
    this.$classes = el('input', { id: 'pg-num-classes', type: 'number', step: '1' }, this.$classesWrap);
    this.$classes.addEventListener('change', () => {
      const v = Number(this.$classes.value);
      if (Number.isInteger(v)) options.onChange({ num_classes: v });
    });
    const limits = o.limits;
    this.$ratio = slider(container, { id: 'pg-train-ratio', ...both('playground.ratio-of-training-to'), min: Math.round(limits.train_ratio.minimum * 100), max: Math.round(limits.train_ratio.maximum * 100), step: 10 });
    this.$noise = slider(container, { id: 'pg-noise', ...both('playground.noise'), min: limits.noise.minimum, max: limits.noise.maximum, step: 5 });
    this.$batch = slider(container, { id: 'pg-batch-size', ...both('playground.batch-size'), min: limits.batch_size.minimum, max: limits.batch_size.maximum, step: 1 });
    // While dragging only the number moves; the server is asked on release.
    const wire = ({ input, value }, show, key, toValue) => {
      input.addEventListener('input', () => { value.textContent = show(input.value); });
      input.addEventListener('change', () => options.onChange({ [key]: toValue(Number(input.value)) }));
    };
    wire(this.$ratio, (v) => `${v}%`, 'train_ratio', (v) => v / 100);
    wire(this.$noise, (v) => v, 'noise', (v) => v);
    wire(this.$batch, (v) => v, 'batch_size', (v) => v);
    this.$regenerate = el('button', { type: 'button', id: 'pg-regenerate', class: 'pg-text-button' }, container);
    said(this.$regenerate, 'playground.regenerate');
    this.$regenerate.addEventListener('click', () => options.onChange({ seed: 1 + Math.floor(Math.random() * 2 ** 31 - 2) }));
    this._thumbKey = null;
  }

  // The tooltip and the name a screen reader gives each thumbnail, in the page's language.
  _nameDatasets() {
    for (const { button, label } of Object.values(this._thumbs)) {
      const name = label[currentLang()] ?? label.en;
      button.title = name;
      button.setAttribute('aria-label', say('playground.dataset', { name }));
    }
  }

  // data: {state, options}: `options` sized for the state's data (its batch limits), when they changed
  update({ state, options }) {
    if (options) this.options.options = options;
    const o = this.options.options;
    for (const [name, thumb] of Object.entries(this._thumbs)) {
      thumb.button.classList.toggle('pg-selected', name === state.dataset);
      thumb.button.setAttribute('aria-pressed', name === state.dataset ? 'true' : 'false');
    }
    const dataset = o.datasets.find((d) => d.name === state.dataset);
    const classes = dataset?.num_classes;
    this.$classesWrap.hidden = !classes;
    if (classes) {
      this.$classes.min = classes.minimum;
      this.$classes.max = classes.maximum;
      this.$classes.value = state.num_classes ?? classes.default;
    }
    this.$ratio.input.value = Math.round(state.train_ratio * 100);
    this.$ratio.value.textContent = `${this.$ratio.input.value}%`;
    // Noise makes generated data: custom data's points are as they were drawn or uploaded.
    this.$noise.input.closest('.pg-field').hidden = dataset?.name === o.custom_data?.dataset;
    this.$noise.input.value = state.noise;
    this.$noise.value.textContent = String(state.noise);
    // the training-set size as the server computes it (it rounds halves to even: 25 points at 0.5 train 12)
    this.$batch.input.min = o.limits.batch_size.minimum;
    this.$batch.input.max = o.limits.batch_size.maximum;
    this.$batch.input.value = state.batch_size;
    this.$batch.value.textContent = String(state.batch_size);
    // Thumbnails follow the noise and seed, as the data they preview does.
    const key = `${state.noise}:${state.seed}`;
    if (key !== this._thumbKey) {
      this._thumbKey = key;
      this._drawThumbnails(state);
    }
    return this;
  }

  async _drawThumbnails(state) {
    const key = this._thumbKey;
    const custom = this.options.options.custom_data?.dataset;
    await Promise.all(this.options.options.datasets.filter((d) => d.name !== custom).map(async (d) => {
      let preview;
      try {
        preview = await this.options.preview({ dataset: d.name, noise: state.noise, num_samples: 200, seed: state.seed });
      } catch {
        return; // a thumbnail is decoration: leave it blank
      }
      if (key !== this._thumbKey) return;
      this.paintThumbnail(d.name, [...preview.train, ...preview.test], preview.problem);
    }));
  }

  // One thumbnail's points (the custom dataset's are the learner's own, painted as they change).
  paintThumbnail(name, points, problem) {
    const thumb = this._thumbs[name];
    if (!thumb) return;
    const ctx = thumb.canvas.getContext('2d');
    const { minimum: lo, maximum: hi } = this.options.options.limits.domain;
    ctx.clearRect(0, 0, THUMB, THUMB);
    for (const [x1, x2, label] of points) {
      ctx.fillStyle = css(labelColor(problem, label));
      ctx.fillRect(((x1 - lo) / (hi - lo)) * THUMB - 1, ((hi - x2) / (hi - lo)) * THUMB - 1, 2.2, 2.2);
    }
  }
}
