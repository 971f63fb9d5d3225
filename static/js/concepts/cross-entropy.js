// Cross-entropy lab: the hand-written steps (clip, log, multiply, sum, mean) next to Keras, and H(p, q) vs H(q, p).

import { fmt, parseRows, postConcept, py, showCode, showLines, svg } from './lab.js';
import { say } from '../i18n.js';
import { LabWidget } from './widget.js';
import { operand, sum } from './notation.js';

const HAND = '#0877bd';
const KERAS = '#f59322';
const LOGITS = '#2e7d32';
const SWAPPED = '#c62828';
const FORMULA_SAMPLES = 4;

function cell(row, text, className = '') {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function headRow(table, labels) {
  const head = table.createTHead().insertRow();
  for (const label of labels) {
    const th = document.createElement('th');
    th.textContent = label;
    head.appendChild(th);
  }
}

// Bars per sample and series; a value that is not finite is drawn full height, hatched, and labelled ∞.
function groupedBars(container, { groups, series }) {
  const width = 320;
  const height = 220;
  const pad = { l: 34, r: 8, t: 26 + 14 * series.length, b: 22 };
  const values = series.flatMap((s) => s.values).filter((v) => v !== null && Number.isFinite(v));
  const top = Math.max(1e-9, ...values.map(Math.abs)) * 1.15;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'ce-bars-chart',
    'aria-label': series.map((s) => s.name).join(', ') });
  const y = (v) => height - pad.b - (Math.max(0, v) / top) * (height - pad.t - pad.b);
  svg('line', { x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0), class: 'axis-line' }, root);
  svg('text', { x: pad.l - 4, y: y(top / 1.15) + 4, 'text-anchor': 'end', class: 'tick' }, root).textContent = fmt(top / 1.15, 3);
  svg('text', { x: pad.l - 4, y: y(0) + 4, 'text-anchor': 'end', class: 'tick' }, root).textContent = '0';
  const slot = (width - pad.l - pad.r) / groups.length;
  const barW = Math.min(36, (slot * 0.8) / series.length);
  groups.forEach((g, i) => {
    const x0 = pad.l + i * slot + (slot - barW * series.length) / 2;
    svg('text', { x: pad.l + (i + 0.5) * slot, y: height - 6, 'text-anchor': 'middle', class: 'tick' }, root).textContent = g;
    series.forEach((s, k) => {
      const v = s.values[i];
      const finite = v !== null && Number.isFinite(v);
      const yTop = finite ? y(v) : pad.t;
      svg('rect', { x: x0 + k * barW + 1, y: yTop, width: barW - 2, height: Math.max(0.5, y(0) - yTop),
        fill: s.color, class: finite ? 'bar' : 'bar infinite', 'data-series': s.name }, root);
      svg('text', { x: x0 + (k + 0.5) * barW, y: yTop - 3, 'text-anchor': 'middle', class: 'value' }, root)
        .textContent = finite ? fmt(v, 3) : '∞';
    });
  });
  series.forEach((s, k) => {
    svg('rect', { x: pad.l, y: 6 + k * 14, width: 12, height: 8, fill: s.color }, root);
    svg('text', { x: pad.l + 16, y: 14 + k * 14, class: 'legend' }, root).textContent = s.name;
  });
  container.replaceChildren(root);
}

function sub(n) {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

function code(request) {
  const p = request.from_logits ? 'probabilities' : 'y_pred';
  return [
    'import tensorflow as tf',
    'import keras',
    '',
    `y_true = tf.constant(${py(request.y_true)})`,
    `y_pred = tf.constant(${py(request.y_pred)})  # ${request.from_logits ? 'logits' : 'probabilities'}`,
    `epsilon = ${request.epsilon}`,
    ...(request.from_logits ? ['probabilities = tf.nn.softmax(y_pred, axis=-1)'] : []),
    '',
    '# by hand',
    `clipped = tf.clip_by_value(${p}, epsilon, 1 - epsilon)`,
    'log = tf.math.log(clipped)  # natural log, as TensorFlow',
    'product = tf.multiply(y_true, log)',
    'per_sample = -tf.reduce_sum(product, axis=-1)',
    'loss = tf.reduce_mean(per_sample)',
    'print(per_sample.numpy(), loss.numpy())',
    'print("log base 10:", (per_sample / tf.math.log(10.0)).numpy())',
    '',
    '# Keras (rescales each row to sum to 1, clips with keras.config.epsilon())',
    `keras_per_sample = keras.losses.categorical_crossentropy(y_true, ${p})`,
    'print(keras_per_sample.numpy(), (per_sample - keras_per_sample).numpy())',
    ...(request.from_logits ? [
      'from_logits = keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=True)',
      'print(from_logits.numpy(), (per_sample - from_logits).numpy())',
    ] : []),
    '',
    '# H(q, p): the arguments swapped',
    `swapped = -tf.reduce_sum(tf.multiply(${p}, tf.math.log(tf.clip_by_value(y_true, epsilon, 1 - epsilon))), axis=-1)`,
    'print(swapped.numpy())',
  ].join('\n');
}

export default class CrossEntropyLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$yTrue = this.$('ce-y-true');
    this.$yPred = this.$('ce-y-pred');
    this.$fromLogits = this.$('ce-from-logits');
    this.$epsilon = this.$('ce-epsilon');
    this.$samples = this.$('ce-samples');
    this.$steps = this.$('ce-steps');
    this.$bars = this.$('ce-bars');
    this.$swap = this.$('ce-swap');
    this.$numbers = this.$('ce-numbers');
    this.$formula = this.$('ce-formula');
    this._sample = 0;
  }

  async start() {
    this.listen([this.$yTrue, this.$yPred, this.$fromLogits, this.$epsilon]);
  }

  readRequest() {
    return {
      y_true: parseRows(this.$yTrue),
      y_pred: parseRows(this.$yPred),
      from_logits: this.$fromLogits.checked,
      epsilon: Number(this.$epsilon.value),
    };
  }

  async compute() {
    const request = this.readRequest();
    const data = await postConcept('cross-entropy', request);
    this._last = { request, data };
    this._sample = Math.min(this._sample, request.y_true.length - 1);
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    this.drawSamplePicker(request);
    this.drawSteps(request, data);
    groupedBars(this.$bars, {
      groups: request.y_true.map((_, i) => `#${i + 1}`),
      series: [
        { name: say('lab.cross-entropy.by-hand'), values: data.steps.per_sample, color: HAND },
        { name: 'Keras', values: data.keras.per_sample, color: KERAS },
        ...(data.keras_from_logits ? [{ name: 'Keras from_logits', values: data.keras_from_logits.per_sample, color: LOGITS }] : []),
      ],
    });
    groupedBars(this.$swap, {
      groups: request.y_true.map((_, i) => `#${i + 1}`),
      series: [
        { name: 'H(p, q) = −Σ p·ln q', values: data.steps.per_sample, color: HAND },
        { name: 'H(q, p) = −Σ q·ln p', values: data.swapped.per_sample, color: SWAPPED },
      ],
    });
    this.drawNumbers(request, data);
    this.drawFormula(request, data);
    showCode(code(request));
  }

  drawSamplePicker(request) {
    const buttons = request.y_true.map((_, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `#${i + 1}`;
      b.setAttribute('aria-pressed', String(i === this._sample));
      b.addEventListener('click', () => { this._sample = i; this.render(); });
      return b;
    });
    this.$samples.replaceChildren(...buttons);
  }

  // The five steps for one sample, one column per step and one row per class.
  drawSteps(request, data) {
    const s = data.steps;
    const table = document.createElement('table');
    table.className = 'ce-steps-table';
    table.createCaption().textContent = say('lab.cross-entropy.sample-the-classes-whose', { sample: this._sample + 1 });
    const eps = request.epsilon;
    headRow(table, [say('lab.cross-entropy.class'), 'y_true', data.from_logits ? 'softmax(y_pred)' : 'y_pred',
      `clip(·, ${eps}, 1 − ${eps})`, 'tf.math.log', 'y_true × log']);
    const body = table.createTBody();
    request.y_true[this._sample].forEach((y, j) => {
      const tr = body.insertRow();
      if (y !== 0) tr.className = 'counts';
      cell(tr, String(j));
      cell(tr, String(y));
      cell(tr, fmt(data.probabilities[this._sample][j]));
      cell(tr, fmt(s.clipped[this._sample][j]));
      cell(tr, fmt(s.log[this._sample][j]), s.log[this._sample][j] === null ? 'overflow' : '');
      cell(tr, fmt(s.product[this._sample][j]), s.product[this._sample][j] === null ? 'overflow' : '');
    });
    const sum = body.insertRow();
    sum.className = 'mean';
    const label = cell(sum, say('lab.cross-entropy.tf-reduce-sum-then'), 'label');
    label.colSpan = 5;
    cell(sum, `−(${fmt(s.row_sums[this._sample])}) = ${fmt(s.per_sample[this._sample])}`);
    this.$steps.replaceChildren(table);
  }

  drawNumbers(request, data) {
    const table = document.createElement('table');
    table.createCaption().textContent = say('lab.cross-entropy.per-sample-and-mean');
    const logits = data.keras_from_logits;
    headRow(table, ['#', 'y_true', 'y_pred', say('lab.cross-entropy.by-hand-ln'), 'log₁₀', 'Keras',
      say('lab.cross-entropy.hand-keras'),
      ...(logits ? ['Keras from_logits', say('lab.cross-entropy.hand-keras-from-logits')] : []),
      'H(p, q)', 'H(q, p)']);
    const body = table.createTBody();
    const row = (first, second, third, pick) => {
      const tr = body.insertRow();
      cell(tr, first);
      cell(tr, second, 'label');
      cell(tr, third, 'label');
      for (const v of [pick(data.steps), pick(data.log10), pick(data.keras), pick(data.keras, true),
        ...(logits ? [pick(logits), pick(logits, true)] : []), pick(data.steps), pick(data.swapped)]) {
        cell(tr, fmt(v), v === null ? 'overflow' : '');
      }
      return tr;
    };
    request.y_true.forEach((y, i) => {
      row(String(i + 1), `[${y.join(', ')}]`, `[${request.y_pred[i].join(', ')}]`,
        (part, diff = false) => (diff ? part.difference_per_sample[i] : part.per_sample[i]));
    });
    row(say('lab.cross-entropy.mean'), '', '', (part, diff = false) => (diff ? part.difference : part.loss)).className = 'mean';
    this.$numbers.replaceChildren(table);
  }

  drawFormula(request, data) {
    const lines = [];
    const pName = data.from_logits ? 'softmax(z)' : 'p';
    request.y_true.slice(0, FORMULA_SAMPLES).forEach((y, i) => {
      const terms = y.map((v, j) => `${operand(v)}·ln ${fmt(data.steps.clipped[i][j])}`).join(' + ');
      lines.push(`L${sub(i + 1)} = −Σ y·ln ${pName} = −(${terms}) = ${fmt(data.steps.per_sample[i])}` +
        `   (log₁₀: ${fmt(data.log10.per_sample[i])})`);
    });
    if (request.y_true.length > FORMULA_SAMPLES) lines.push('…');
    const n = request.y_true.length;
    lines.push(`L = (${sum(data.steps.per_sample)}) / ${n} = ${fmt(data.steps.loss)}` +
      `;  Keras: ${fmt(data.keras.loss)}` + (data.keras_from_logits ? `;  Keras from_logits: ${fmt(data.keras_from_logits.loss)}` : ''));
    showLines(this.$formula, lines);
  }
}
