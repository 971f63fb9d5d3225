// Activations lab: chosen activation functions over an x range, their derivatives, saturation and maxout.

import { checkboxList, fmt, parseNumbers, postConcept, py, showCode } from './lab.js';
import { LineChart } from '../widgets/line-chart.js';
import { say } from '../i18n.js';
import { getOptions } from '../api.js';
import { LabWidget } from './widget.js';
import { operand, plus } from './notation.js';

const COLORS = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f', '#5d4037', '#ad1457',
  '#455a64', '#9e9d24', '#3949ab', '#d81b60', '#00695c', '#6d4c41'];
const POINTS = 201;
const DEFAULT = ['relu', 'tanh', 'sigmoid'];
const colorOf = new Map();

function curvesOf(data) {
  return data.maxout ? [...data.curves, data.maxout] : data.curves;
}

function code(request, data, i) {
  const lines = [
    'import tensorflow as tf',
    'import keras',
    '',
    `x = tf.linspace(${py(request.start)}, ${py(request.stop)}, ${request.num})`,
    'with tf.GradientTape(persistent=True) as tape:',
    '    tape.watch(x)',
    `    values = {name: keras.activations.get(name)(x) for name in ${py(request.activations)}}`,
    'derivatives = {name: tape.gradient(y, x) for name, y in values.items()}',
  ];
  if (request.maxout) {
    lines.push('', '# maxout: the largest of k lines w_i * x + b_i',
      `w = tf.constant(${py(request.maxout.weights)})`, `b = tf.constant(${py(request.maxout.biases)})`,
      'with tf.GradientTape() as tape:', '    tape.watch(x)', '    maxout = tf.reduce_max(x[:, None] * w + b, axis=1)',
      'maxout_derivative = tape.gradient(maxout, x)');
  }
  lines.push('', `i = ${i}  # x[${i}] = ${fmt(data.x[i], 6)}`,
    'for name in values:', '    print(name, values[name][i].numpy(), derivatives[name][i].numpy())');
  if (request.maxout) lines.push('print("maxout", maxout[i].numpy(), maxout_derivative[i].numpy())');
  return lines.join('\n');
}

export default class ActivationsLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.fieldIds = { saturation_threshold: 'activations-threshold' };
    this.$names = this.$('activations-names');
    this.$start = this.$('activations-start');
    this.$stop = this.$('activations-stop');
    this.$threshold = this.$('activations-threshold');
    this.$probe = this.$('activations-probe');
    this.$probeValue = this.$('activations-probe-value');
    this.$maxout = this.$('activations-maxout');
    this.$weights = this.$('activations-maxout-weights');
    this.$biases = this.$('activations-maxout-biases');
    this.$numbers = this.$('activations-numbers');
    this.$formula = this.$('activations-formula');
    this.$nonlinearLink = this.$('activations-nonlinear-link');
    this.valuesChart = new LineChart(this.$('activations-values'), { width: 420, height: 300, xLabel: 'x', yLabel: 'f(x)' });
    this.derivativesChart = new LineChart(this.$('activations-derivatives'), { width: 420, height: 300, xLabel: 'x', yLabel: "f′(x)" });
  }

  async start() {
    const boxes = await this.buildChoices();
    this.$probe.max = String(POINTS - 1);
    this.$probe.addEventListener('input', () => this.render());
    this.listen([...boxes, this.$start, this.$stop, this.$threshold, this.$maxout, this.$weights, this.$biases]);
  }

  async buildChoices() {
    const { activations } = await getOptions();
    activations.forEach((a, i) => colorOf.set(a.name, COLORS[i % COLORS.length]));
    colorOf.set('maxout', '#111');
    return checkboxList(this.$names, activations, { checked: DEFAULT, colorOf });
  }

  readRequest() {
    const request = {
      activations: [...this.$names.querySelectorAll('input:checked')].map((b) => b.value),
      start: Number(this.$start.value),
      stop: Number(this.$stop.value),
      num: POINTS,
      saturation_threshold: Number(this.$threshold.value),
    };
    if (this.$maxout.checked) request.maxout = { weights: parseNumbers(this.$weights), biases: parseNumbers(this.$biases) };
    return request;
  }

  async compute() {
    const request = this.readRequest();
    const data = await postConcept('activations', request);
    this._last = { request, data };
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    const i = Math.min(Number(this.$probe.value), data.x.length - 1);
    const x0 = data.x[i];
    this.$probeValue.textContent = fmt(x0, 3);
    const curves = curvesOf(data);
    const bands = curves.flatMap((c) => c.saturated.map(([a, b]) => ({ x0: a, x1: b, color: `${colorOf.get(c.name)}1a` })));
    const marks = [{ x: x0, label: `x = ${fmt(x0, 3)}` }];
    const series = (key) => curves.map((c) => ({ name: c.name, x: data.x, y: c[key], color: colorOf.get(c.name) }));
    this.valuesChart.update({ series: series('values'), bands, marks });
    this.derivativesChart.update({ series: series('derivatives'), bands, marks });
    this.drawFormula(curves, data, i);
    this.drawNumbers(curves, data, i);
    showCode(code(request, data, i));
    const nonlinear = request.activations.find((n) => n !== 'linear') ?? 'tanh';
    this.$nonlinearLink.href = `/?dataset=circle&activation=${encodeURIComponent(nonlinear)}&hidden_layers=8,8&features=x1,x2&learning_rate=0.03`;
    this.$nonlinearLink.querySelector('[data-lang="en"]').textContent = `Non-linear (${nonlinear}): learns the circle`;
    this.$nonlinearLink.querySelector('[data-lang="zh"]').textContent = `非线性 (${nonlinear})：学会圆形边界`;
  }

  drawFormula(curves, data, i) {
    const x0 = fmt(data.x[i], 4);
    const lines = curves.map((c) => {
      const div = document.createElement('div');
      let text = `${c.name}(x) = ${c.formula}:   ${c.name}(${x0}) = ${fmt(c.values[i])},   ${c.name}′(${x0}) = ${fmt(c.derivatives[i])}`;
      if (c.name === 'maxout') {
        const terms = c.weights.map((w, k) => `${operand(w, 3)}·${operand(x0)}${plus(c.biases[k], 3)}`).join(', ');
        const k = c.active_piece[i];
        text = `maxout(${x0}) = max(${terms}) = ${fmt(c.values[i])} (${say('lab.activations.piece')} ${k}),   `
          + `maxout′(${x0}) = w${k} = ${fmt(c.derivatives[i])}`;
      }
      div.textContent = text;
      div.style.color = colorOf.get(c.name);
      return div;
    });
    this.$formula.replaceChildren(...lines);
  }

  drawNumbers(curves, data, probe) {
    const table = document.createElement('table');
    const caption = table.createCaption();
    caption.textContent = say('lab.activations.values-and-derivatives-at');
    const head = table.createTHead().insertRow();
    const th = (text) => { const c = document.createElement('th'); c.textContent = text; head.appendChild(c); };
    th('x');
    for (const c of curves) { th(`${c.name}(x)`); th(`${c.name}′(x)`); }
    const body = table.createTBody();
    const n = data.x.length;
    const rows = new Set(Array.from({ length: 11 }, (_, k) => Math.round((k * (n - 1)) / 10)));
    rows.add(probe);
    for (const i of [...rows].sort((a, b) => a - b)) {
      const tr = body.insertRow();
      if (i === probe) tr.className = 'probe';
      tr.insertCell().textContent = fmt(data.x[i], 4);
      for (const c of curves) {
        tr.insertCell().textContent = fmt(c.values[i]);
        tr.insertCell().textContent = fmt(c.derivatives[i]);
      }
    }
    const saturation = document.createElement('ul');
    saturation.className = 'small';
    for (const c of curves) {
      const li = document.createElement('li');
      const where = c.saturated.map(([a, b]) => `[${fmt(a, 3)}, ${fmt(b, 3)}]`).join(say('lab.activations.and'));
      li.textContent = `${c.name}: ` + (where
        ? say('lab.activations.saturated-on', { where })
        : say('lab.activations.no-saturation-in-this'));
      saturation.appendChild(li);
    }
    this.$numbers.replaceChildren(table, saturation);
  }
}
