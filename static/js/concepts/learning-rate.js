// Learning-rate lab: a keras.optimizers.schedules schedule, its rate per step, and J(x) = x² descended with it
// next to the same start with the initial rate held constant.

import { LabError, fmt, parseNumbers, postConcept, py, registryLabel, showCode, showLines, table, wire } from './lab.js';
import { localised } from '../playground/dom.js';
import { LineChart } from '../widgets/line-chart.js';
import { currentLang, say } from '../i18n.js';
import { getOptions } from '../api.js';
import { LabWidget } from './widget.js';
import { operand } from './notation.js';

// Starting values that show each schedule within a few dozen steps (the registry's defaults suit real training).
const PAGE_DEFAULTS = {
  exponential_decay: { decay_steps: 5, decay_rate: 0.5 },
  inverse_time: { decay_steps: 5, decay_rate: 1 },
  piecewise_constant: { boundaries: [10, 20], values: [1, 0.4, 0.1] },
  cosine_decay: { decay_steps: 40 },
};
const VERDICTS = {
  converging: 'lab.learning-rate.converges',
  oscillating: 'lab.learning-rate.oscillates',
  bouncing: 'lab.learning-rate.bounces-forever',
  diverging: 'lab.learning-rate.diverges',
};
const SCHEDULED = '#0877bd';
const CONSTANT = '#c62828';
const TABLE_ROWS = 20;

function xs(run) {
  return run.trajectory.map((p) => p.x[0]);
}

function code(request, data) {
  const constant = data.schedule === 'constant';
  return [
    'import tensorflow as tf',
    'import keras',
    '',
    `schedule = ${data.keras}`,
    constant ? `print([schedule] * ${request.steps})` : `print([float(schedule(step)) for step in range(${request.steps})])`,
    '',
    `for learning_rate in (schedule, ${py(request.learning_rate)}):`,
    `    x = tf.Variable([${py(request.x)}])`,
    '    optimizer = keras.optimizers.SGD(learning_rate=learning_rate)',
    `    for step in range(${request.steps}):`,
    '        with tf.GradientTape() as tape:',
    '            loss = x[0] ** 2',
    '        optimizer.apply_gradients([(tape.gradient(loss, x), x)])',
    '    print(x.numpy())',
  ].join('\n');
}

export default class LearningRateLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$schedule = this.$('lr-schedule');
    this.$params = this.$('lr-params');
    this.$lr = this.$('lr-learning-rate');
    this.$steps = this.$('lr-steps');
    this.$x = this.$('lr-x');
    this.$rates = this.$('lr-rates');
    this.$path = this.$('lr-path');
    this.$verdict = this.$('lr-verdict');
    this.$numbers = this.$('lr-numbers');
    this.$formula = this.$('lr-formula');
    this.$playground = this.$('lr-playground');
    this._schedules = [];
  }

  async start() {
    await this.setup();
  }

  spec() {
    return this._schedules.find((s) => s.name === this.$schedule.value);
  }

  // One input per parameter of the chosen schedule, from the registry (kind, bounds, description).
  buildParams() {
    const fields = Object.entries(this.spec().params).map(([name, p]) => {
      const value = PAGE_DEFAULTS[this.spec().name]?.[name] ?? p.default;
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.dataset.param = name;
      input.dataset.kind = p.kind;
      if (p.kind === 'bool') {
        input.type = 'checkbox';
        input.checked = value;
        label.className = 'inline';
        label.append(input, ' ', registryLabel({ label: name, label_zh: p.label_zh }));
      } else if (p.kind === 'ints' || p.kind === 'floats') {
        input.type = 'text';
        input.spellcheck = false;
        input.value = value.join(', ');
        label.append(registryLabel({ label: name, label_zh: p.label_zh }), ' ', input);
      } else {
        input.type = 'number';
        input.step = p.kind === 'int' ? '1' : 'any';
        if (p.minimum !== null) input.min = p.minimum;
        if (p.maximum !== null) input.max = p.maximum;
        input.value = value;
        label.append(registryLabel({ label: name, label_zh: p.label_zh }), ' ', input);
      }
      const note = registryLabel({ label: p.description, label_zh: p.description_zh });
      note.className = 'muted small';
      note.prepend(' ');
      label.insertBefore(note, input.type === 'checkbox' ? null : input);
      return label;
    });
    this.$params.replaceChildren(...fields);
  }

  readParams() {
    const params = {};
    for (const input of this.$params.querySelectorAll('input')) {
      const { param, kind } = input.dataset;
      if (kind === 'bool') params[param] = input.checked;
      else if (kind === 'ints' || kind === 'floats') params[param] = parseNumbers(input);
      else {
        const n = Number(input.value);
        if (input.value.trim() === '' || !Number.isFinite(n)) throw new LabError(`${param}: ${say('lab.not-a-number')}`);
        params[param] = n;
      }
    }
    return params;
  }

  async compute() {
    const request = { schedule: { name: this.$schedule.value, params: this.readParams() }, learning_rate: Number(this.$lr.value),
      steps: Number(this.$steps.value), x: Number(this.$x.value) };
    this._last = { request, data: await postConcept('learning-rate', request) };
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    const steps = data.learning_rates.map((_, i) => i);
    this.$rates.replaceChildren();
    new LineChart(this.$rates, { width: 320, height: 240, xLabel: say('lab.step'), yLabel: say('lab.learning-rate-axis') }).update({
      series: [
        { name: this.spec() ? (this.spec()[currentLang() === 'zh' ? 'label_zh' : 'label'] || this.spec().label) : data.schedule, x: steps, y: data.learning_rates, color: SCHEDULED },
        { name: say('lab.learning-rate.constant', { learning_rate: request.learning_rate }), x: steps,
          y: steps.map(() => request.learning_rate), color: CONSTANT, dashed: true },
      ],
    });
    const bound = Math.abs(request.x) * 1.5 || 1;
    const clip = (v) => (v === null || Math.abs(v) > bound * 10 ? null : v);
    this.$path.replaceChildren();
    new LineChart(this.$path, { width: 320, height: 240, xLabel: say('lab.step'), yLabel: 'x', yRange: [-bound, bound] }).update({
      series: [
        { name: say('lab.learning-rate.with-the-schedule'), x: data.scheduled.trajectory.map((p) => p.step),
          y: xs(data.scheduled).map(clip), color: SCHEDULED, points: true },
        { name: say('lab.learning-rate.constant-rate'), x: data.constant.trajectory.map((p) => p.step),
          y: xs(data.constant).map(clip), color: CONSTANT, dashed: true },
      ],
    });
    this.$verdict.textContent = say('lab.learning-rate.verdict-line', {
      scheduled: say(VERDICTS[data.scheduled.verdict]), steps: data.scheduled.steps_run, x_scheduled: fmt(xs(data.scheduled).at(-1)),
      rate: request.learning_rate, constant: say(VERDICTS[data.constant.verdict]), x_constant: fmt(xs(data.constant).at(-1)),
    });
    this.$verdict.dataset.verdict = data.scheduled.verdict;
    this.drawNumbers(data);
    this.drawFormula(request, data);
    showCode(code(request, data));
    this.$playground.href = `/?dataset=spiral&hidden_layers=8,8,8&optimizer=sgd&learning_rate=0.3&lr_schedule=${encodeURIComponent(data.schedule)}`;
  }

  drawNumbers(data) {
    const count = data.scheduled.trajectory.length;
    const steps = count > TABLE_ROWS + 1 ? [...Array(TABLE_ROWS).keys(), null, count - 1] : [...Array(count).keys()];
    this.$numbers.replaceChildren(table(
      say('lab.learning-rate.x-before-each-step'),
      [say('lab.step'), say('lab.learning-rate-axis'), say('lab.learning-rate.x-schedule'), say('lab.learning-rate.x-constant')],
      steps.map((i) => (i === null ? ['…', '', '', ''] : [String(i), fmt(data.learning_rates[i] ?? null, 6),
        fmt(data.scheduled.trajectory[i]?.x[0] ?? null, 6), fmt(data.constant.trajectory[i]?.x[0] ?? null, 6)]))));
  }

  // The schedule's formula with the numbers put in, and the first steps of x ← (1 − 2·lr)·x.
  drawFormula(request, data) {
    let rule = this.spec()?.description ?? '';
    for (const [name, value] of Object.entries(data.params)) {
      rule = rule.replaceAll(name, Array.isArray(value) ? `[${value.join(', ')}]` : String(value));
    }
    rule = rule.replace(/\blr\b/g, String(request.learning_rate));
    const traj = data.scheduled.trajectory;
    const first = traj.slice(0, 3).filter((_, i) => traj[i + 1]).map((p, i) =>
      `x${'₀₁₂₃'[i + 1]} = (1 − 2 × ${fmt(data.learning_rates[i])}) × ${operand(p.x[0])} = ${fmt(traj[i + 1].x[0])}`);
    const lines = [`lr(step) = ${rule}`, `xₜ₊₁ = xₜ − lrₜ · 2xₜ = (1 − 2·lrₜ) · xₜ`, first.join(';  ')];
    showLines(this.$formula, lines);
  }

  async setup() {
    this._schedules = (await getOptions()).lr_schedules;
    this.$schedule.replaceChildren(...this._schedules.map((s) => {
      const option = document.createElement('option');
      option.value = s.name;
      return localised(option, { en: s.label, zh: s.label_zh || s.label });
    }));
    this.$schedule.value = 'exponential_decay';
    this.buildParams();
    this.$schedule.addEventListener('change', () => this.buildParams());
    wire([this.$schedule, this.$params, this.$lr, this.$steps, this.$x], () => this.compute(), (e) => this.showError(e));
  }
}
