// Losses lab: chosen losses on a batch (per-sample table and mean), and each loss against the prediction.

import { checkboxList, fmt, parseRows, postConcept, py, showCode } from './lab.js';
import { LineChart } from '../widgets/line-chart.js';
import { say } from '../i18n.js';
import { getOptions } from '../api.js';
import { LabWidget } from './widget.js';
import { num, operand, vector } from './notation.js';

const COLORS = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
const DEFAULT = ['mse', 'mae', 'huber', 'binary_crossentropy'];
const POINTS = 99;
const PROBABILITY_RANGE = [0.01, 0.99];
const LOGIT_RANGE = [-4, 4];
const colorOf = new Map();

function flat(rows) {
  return rows.every((r) => r.length === 1) ? rows.map((r) => r[0]) : rows;
}

function rowsOf(x) {
  return x.map((v) => (Array.isArray(v) ? v : [v]));
}

function code(request, data) {
  const { from_logits: fromLogits, curve } = request;
  // A loss that takes probabilities only gets the softmax (or sigmoid) of the logits, as the server did.
  const call = (r, a, b) => `${r.function}(${a}, ${r.squash ? `tf.nn.${r.squash}(${b})` : b}${r.from_logits ? ', from_logits=True' : ''})`;
  const lines = [
    'import numpy as np',
    'import tensorflow as tf',
    'import keras',
    '',
    `y_true = np.array(${py(rowsOf(request.y_true))}, dtype="float32")`,
    `y_pred = np.array(${py(rowsOf(request.y_pred))}, dtype="float32")  # ${fromLogits ? 'logits' : 'probabilities'}`,
    '',
    '# per-sample values; their mean is the loss',
  ];
  for (const r of data.results) {
    lines.push(`${r.name} = ${call(r, 'y_true', 'y_pred')}`, `print("${r.name}", ${r.name}.numpy(), float(tf.reduce_mean(${r.name})))`);
  }
  lines.push('', `# curves: one sample with target t, prediction p from ${curve.start} to ${curve.stop}`,
    `t = ${py(curve.target)}`, `p = tf.linspace(${py(curve.start)}, ${py(curve.stop)}, ${curve.num})`);
  for (const s of data.curve.series) {
    const r = { ...data.results.find((x) => x.name === s.name), squash: s.squash, from_logits: s.from_logits };
    if (s.columns === 2) {
      const two = s.from_logits ? 'tf.stack([tf.zeros_like(p), p], axis=1)' : 'tf.stack([1 - p, p], axis=1)';
      lines.push(`${s.name}_curve = ${call(r, `tf.tile([[1 - t, t]], [${curve.num}, 1])`, two)}`);
    } else {
      lines.push(`${s.name}_curve = ${call(r, `tf.fill([${curve.num}, 1], t)`, 'p[:, None]')}`);
    }
  }
  return lines.join('\n');
}

export default class LossesLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$names = this.$('losses-names');
    this.$yTrue = this.$('losses-y-true');
    this.$yPred = this.$('losses-y-pred');
    this.$fromLogits = this.$('losses-from-logits');
    this.$target = this.$('losses-target');
    this.$targetValue = this.$('losses-target-value');
    this.$start = this.$('losses-start');
    this.$stop = this.$('losses-stop');
    this.$numbers = this.$('losses-numbers');
    this.$formula = this.$('losses-formula');
    this.$note = this.$('losses-chart-note');
    this.$playground = this.$('losses-playground');
    this._chart = null;
  }

  async start() {
    const boxes = await this.buildChoices();
    this.makeChart(this.$fromLogits.checked);
    this.$fromLogits.addEventListener('change', () => this.onFromLogits());
    this.listen([...boxes, this.$yTrue, this.$yPred, this.$fromLogits, this.$target, this.$start, this.$stop]);
  }

  languageChanged() {
    this.makeChart(this._last?.request.from_logits ?? this.$fromLogits.checked);
    this.render();
  }

  // The chart's x axis is a logit or a probability: it is rebuilt when an answer of the other kind arrives
  // (not when the box is ticked, so a failing request leaves the last good chart in place).
  makeChart(fromLogits) {
    const box = this.$('losses-chart');
    box.replaceChildren();
    this._chartLogits = fromLogits;
    this._chart = new LineChart(box, { width: 640, height: 340, yLabel: say('lab.losses.loss'),
      xLabel: fromLogits ? say('lab.losses.prediction-logit-z')
        : say('lab.losses.prediction-p') });
  }

  async buildChoices() {
    const { losses } = await getOptions();
    losses.forEach((loss, i) => colorOf.set(loss.name, COLORS[i % COLORS.length]));
    return checkboxList(this.$names, losses, { checked: DEFAULT, colorOf });
  }

  // Switching from_logits swaps the curve's default range between probabilities and logits.
  onFromLogits() {
    const [from, to] = this.$fromLogits.checked ? [PROBABILITY_RANGE, LOGIT_RANGE] : [LOGIT_RANGE, PROBABILITY_RANGE];
    if (Number(this.$start.value) === from[0] && Number(this.$stop.value) === from[1]) {
      [this.$start.value, this.$stop.value] = to;
    }
  }

  readRequest() {
    return {
      losses: [...this.$names.querySelectorAll('input:checked')].map((b) => b.value),
      y_true: flat(parseRows(this.$yTrue)),
      y_pred: flat(parseRows(this.$yPred)),
      from_logits: this.$fromLogits.checked,
      curve: { target: Number(this.$target.value), start: Number(this.$start.value), stop: Number(this.$stop.value), num: POINTS },
    };
  }

  async compute() {
    this.$targetValue.textContent = this.$target.value;
    const request = this.readRequest();
    const data = await postConcept('losses', request);
    this._last = { request, data };
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    const curve = data.curve;
    if (this._chartLogits !== request.from_logits) this.makeChart(request.from_logits);
    this._chart.update({
      series: curve.series.map((s) => ({ name: s.name, x: curve.y_pred, y: s.values, color: colorOf.get(s.name) })),
      marks: curve.target > curve.y_pred[0] && curve.target < curve.y_pred.at(-1) && !request.from_logits
        ? [{ x: curve.target, label: `y_true = ${curve.target}` }] : [],
    });
    const twoColumn = curve.series.filter((s) => s.columns === 2).map((s) => s.name);
    const pair = request.from_logits ? say('lab.losses.the-logits-0-z') : '[1 − p, p]';
    this.$note.textContent = say('lab.losses.curve-note', { target: curve.target, two_class: twoColumn.length
      ? say('lab.losses.curve-note-two-class', { losses: twoColumn.join(say('lab.losses.list-separator')), pair }) : '' });
    this.drawNumbers(request, data);
    this.drawFormula(request, data);
    showCode(code(request, data));
    const trainable = data.results.find((r) => r.name !== 'kl_divergence') ?? data.results[0];
    this.$playground.href = `/?dataset=circle&loss=${encodeURIComponent(trainable.name)}&hidden_layers=4,2&activation=tanh&learning_rate=0.03`;
  }

  drawNumbers(request, data) {
    const table = document.createElement('table');
    table.createCaption().textContent = say('lab.losses.per-sample-loss-the');
    const head = table.createTHead().insertRow();
    for (const h of ['i', 'y_true', 'y_pred', ...data.results.map((r) => r.name + (r.from_logits ? ' (from_logits)' : r.squash ? ` (${r.squash})` : ''))]) {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    }
    const body = table.createTBody();
    const yTrue = rowsOf(request.y_true);
    const yPred = rowsOf(request.y_pred);
    yTrue.forEach((row, i) => {
      const tr = body.insertRow();
      tr.insertCell().textContent = String(i);
      tr.insertCell().textContent = vector(row);
      tr.insertCell().textContent = vector(yPred[i]);
      for (const r of data.results) tr.insertCell().textContent = fmt(r.per_sample[i]);
    });
    const mean = body.insertRow();
    mean.className = 'mean';
    const label = mean.insertCell();
    label.colSpan = 3;
    label.className = 'label';
    label.textContent = say('lab.losses.mean-the-loss');
    for (const r of data.results) mean.insertCell().textContent = fmt(r.loss);
    this.$numbers.replaceChildren(table);
  }

  // The first sample, written out term by term where the formula is short.
  drawFormula(request, data) {
    const y = rowsOf(request.y_true)[0];
    const p = rowsOf(request.y_pred)[0];
    const k = y.length;
    const lines = data.results.map((r) => {
      const value = fmt(r.per_sample[0]);
      const call = `${r.name}(y_true=${vector(y)}, y_pred=${vector(p)})`;
      let terms = '';
      if (r.name === 'mse') terms = `(${y.map((v, j) => `(${num(v)} − ${operand(p[j])})²`).join(' + ')}) / ${k}`;
      else if (r.name === 'mae') terms = `(${y.map((v, j) => `|${num(v)} − ${operand(p[j])}|`).join(' + ')}) / ${k}`;
      else if (r.name === 'binary_crossentropy' && !r.from_logits) {
        terms = `−(${y.map((v, j) => `${operand(v)}·ln ${num(p[j])} + ${operand(1 - v)}·ln ${num(1 - p[j])}`).join(' + ')}) / ${k}`;
      } else if (r.name === 'hinge') terms = `(${y.map((v, j) => `max(0, 1 − ${operand(v === 0 ? -1 : v)}·${operand(p[j])})`).join(' + ')}) / ${k}`;
      else terms = r.description;
      const div = document.createElement('div');
      div.textContent = `${call} = ${terms} = ${value}`;
      div.style.color = colorOf.get(r.name);
      return div;
    });
    this.$formula.replaceChildren(...lines);
  }
}
