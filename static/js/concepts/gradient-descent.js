// Gradient-descent lab: the zig-zag on J(x) with a live learning-rate slider and its bands, optimizers compared on a
// contour plot of J(x, y), and full-batch vs stochastic vs mini-batch descent on a linear regression.

import { checkboxList, fmt, postConcept, py, showCode, showLines, svg, table, wire } from './lab.js';
import { LineChart } from '../widgets/line-chart.js';
import { localised } from '../playground/dom.js';
import { say } from '../i18n.js';
import { getOptions } from '../api.js';
import { LabWidget } from './widget.js';
import { operand } from './notation.js';

const PALETTE = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f'];
const MODES = [['full_batch', 'lab.gradient-descent.full-batch', '#0877bd'], ['stochastic', 'lab.gradient-descent.stochastic', '#c62828'],
  ['mini_batch', 'lab.gradient-descent.mini-batch', '#2e7d32']];
const VERDICTS = {
  converging: 'lab.gradient-descent.converging',
  oscillating: 'lab.gradient-descent.oscillating',
  bouncing: 'lab.gradient-descent.bouncing',
  diverging: 'lab.gradient-descent.diverging',
};
const BAND_COLORS = { converging: '#2e7d3240', oscillating: '#f5932250', bouncing: '#6a1b9a', diverging: '#c6282840' };
const BAND_LABELS = {
  converging: 'lab.gradient-descent.smooth', oscillating: 'lab.gradient-descent.oscillating',
  bouncing: 'lab.gradient-descent.band-bouncing', diverging: 'lab.gradient-descent.diverging',
};
const DEFAULT_2D = ['sgd', 'momentum', 'adam'];
const TABLE_ROWS = 40; // trajectory rows listed before "…" and the last one
const LEVELS = 14; // colour bands of the contour plot

// ---- 2-D: contour plot and paths -------------------------------------------------------------------------
function shade(level) {
  const a = [247, 251, 255];
  const b = [8, 48, 107];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * level)).join(',')})`;
}

function descentCode(request, data) {
  return [
    ...data.runs.map((run) => [
      `x = tf.Variable(${py(data.start)})`,
      `optimizer = ${run.keras}`,
      `for step in range(${request.steps}):`,
      '    with tf.GradientTape() as tape:',
      `        loss = ${data.formula}`,
      '    gradient = tape.gradient(loss, x)',
      '    print(step, x.numpy(), loss.numpy(), gradient.numpy())',
      '    optimizer.apply_gradients([(gradient, x)])',
      `print(${request.steps}, x.numpy())`,
    ].join('\n')),
  ].join('\n\n');
}

export default class GradientDescentLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$function = this.$('gd-function');
    this.$x0 = this.$('gd-x0');
    this.$lr = this.$('gd-lr');
    this.$lrValue = this.$('gd-lr-value');
    this.$steps = this.$('gd-steps');
    this.$optimizer = this.$('gd-optimizer');
    this.$bands = this.$('gd-bands');
    this.$function2d = this.$('gd-function-2d');
    this.$startX = this.$('gd-start-x');
    this.$startY = this.$('gd-start-y');
    this.$lr2d = this.$('gd-lr-2d');
    this.$steps2d = this.$('gd-steps-2d');
    this.$optimizers = this.$('gd-optimizers');
    this.$curve = this.$('gd-curve');
    this.$verdict = this.$('gd-verdict');
    this.$contour = this.$('gd-contour');
    this.$legend = this.$('gd-legend');
    this.$numbers = this.$('gd-numbers');
    this.$formula = this.$('gd-formula');
    this.$playground = this.$('gd-playground');
    this.$batch = {
      samples: this.$('gd-samples'), batch_size: this.$('gd-batch-size'), epochs: this.$('gd-epochs'), learning_rate: this.$('gd-lr-batch'),
      noise: this.$('gd-noise'), seed: this.$('gd-seed'),
    };
    this._optimizerNames = [];
    this._curve = null;
    this._surface = null;
    this._batch = null;
    this._ownStart1d = false;
    this._ownStart2d = false;
  }

  async start() {
    await this.setup();
  }

  languageChanged() {
    this.renderCurve();
    this.renderSurface();
    this.renderBatch();
    this.renderShared();
  }

  // ---- requests --------------------------------------------------------------------------------------------
  async computeCurve() {
    this.$lrValue.textContent = this.$lr.value;
    const request = { function: this.$function.value, learning_rate: Number(this.$lr.value), steps: Number(this.$steps.value),
      optimizers: [this.$optimizer.value] };
    if (!this._ownStart1d) request.x = [Number(this.$x0.value)];
    const data = await postConcept('gradient-descent', request);
    [this.$x0.value] = data.start;
    this._curve = { request: { ...request, x: data.start }, data };
    this.renderCurve();
    this.renderShared();
  }

  async computeSurface() {
    const optimizers = [...this.$optimizers.querySelectorAll('input:checked')].map((b) => b.value);
    const request = { function: this.$function2d.value, learning_rate: Number(this.$lr2d.value), steps: Number(this.$steps2d.value),
      optimizers: optimizers.length ? optimizers : ['sgd'] };
    if (!this._ownStart2d) request.x = [Number(this.$startX.value), Number(this.$startY.value)];
    const data = await postConcept('gradient-descent', request);
    [this.$startX.value, this.$startY.value] = data.start;
    this._surface = { request: { ...request, x: data.start }, data };
    this.renderSurface();
    this.renderShared();
  }

  async computeBatch() {
    const request = Object.fromEntries(Object.entries(this.$batch).map(([k, el]) => [k, Number(el.value)]));
    this._batch = { request, data: await postConcept('gradient-descent/batch', request) };
    this.renderBatch();
    this.renderShared();
  }

  // ---- 1-D: the parabola and the zig-zag -------------------------------------------------------------------
  renderCurve() {
    if (!this._curve) return;
    const { request, data } = this._curve;
    const run = data.runs[0];
    const [lo, hi] = [data.plot.x[0], data.plot.x.at(-1)];
    const inView = [];
    for (const p of run.trajectory) {
      if (p.x[0] === null || p.loss === null || p.x[0] < lo || p.x[0] > hi) break;
      inView.push(p);
    }
    const visible = data.plot.loss.filter((v) => v !== null);
    this.$curve.replaceChildren();
    new LineChart(this.$curve, { width: 640, height: 300, xLabel: 'x', yLabel: 'J(x)',
      yRange: [Math.min(...visible), Math.max(...visible)] }).update({
      series: [
        { name: `J(x) = ${data.formula.replaceAll('x[0]', 'x')}`, x: data.plot.x, y: data.plot.loss, color: '#999' },
        { name: say('lab.gradient-descent.run-legend', { optimizer: run.optimizer, learning_rate: request.learning_rate }),
          x: inView.map((p) => p.x[0]), y: inView.map((p) => p.loss), color: '#c62828', points: true },
      ],
      marks: data.minima.map((m) => ({ x: m[0], label: say('lab.gradient-descent.minimum') })),
    });
    const left = inView.length < run.trajectory.length;
    this.$verdict.textContent = say('lab.gradient-descent.verdict-line', {
      verdict: say(VERDICTS[run.verdict]),
      band: data.regime ? say('lab.gradient-descent.verdict-band', { rate: request.learning_rate, band: say(BAND_LABELS[data.regime]) }) : '',
      left: left ? say('lab.gradient-descent.verdict-left', { step: inView.length }) : '',
      overflow: run.overflow ? say('lab.gradient-descent.verdict-overflow', { step: run.steps_run }) : '',
    });
    this.$verdict.dataset.verdict = run.verdict;
    this.drawBands(data, request.learning_rate);
  }

  // The learning-rate bands of a quadratic under the slider, with a marker at the current rate.
  drawBands(data, rate) {
    const bands = data.learning_rate_bands;
    if (!bands || this.$optimizer.value !== 'sgd') {
      this.$bands.replaceChildren();
      this.$bands.hidden = true;
      return;
    }
    this.$bands.hidden = false;
    const width = 300;
    const max = Number(this.$lr.max);
    const x = (v) => (Math.min(v, max) / max) * width;
    const root = svg('svg', { viewBox: `0 0 ${width} 44`, class: 'bands' });
    for (const band of bands) {
      const x0 = x(band.low);
      const x1 = band.high === null ? width : x(band.high);
      if (band.regime === 'bouncing') {
        svg('line', { x1: x0, x2: x0, y1: 0, y2: 20, stroke: BAND_COLORS.bouncing, 'stroke-width': 2 }, root);
      } else {
        svg('rect', { x: x0, y: 0, width: Math.max(0, x1 - x0), height: 20, fill: BAND_COLORS[band.regime] }, root);
        svg('text', { x: (x0 + x1) / 2, y: 14, 'text-anchor': 'middle', class: 'tick' }, root).textContent = say(BAND_LABELS[band.regime]);
      }
    }
    svg('path', { d: `M${x(rate)},20 l-5,9 h10 z`, class: 'marker' }, root);
    svg('text', { x: Math.min(width - 20, Math.max(20, x(rate))), y: 41, 'text-anchor': 'middle', class: 'tick' }, root).textContent = `η ${rate}`;
    this.$bands.replaceChildren(root);
  }

  renderSurface() {
    if (!this._surface) return;
    const { data } = this._surface;
    const ctx = this.$contour.getContext('2d');
    const { width, height } = this.$contour;
    const pad = { l: 40, r: 10, t: 10, b: 30 };
    const { x: xs, y: ys, loss } = data.plot;
    const flat = loss.flat().filter((v) => v !== null);
    const min = Math.min(...flat);
    const range = Math.log1p(Math.max(...flat) - min) || 1;
    const sx = (v) => pad.l + ((v - xs[0]) / (xs.at(-1) - xs[0])) * (width - pad.l - pad.r);
    const sy = (v) => height - pad.b - ((v - ys[0]) / (ys.at(-1) - ys[0])) * (height - pad.t - pad.b);
    ctx.clearRect(0, 0, width, height);
    const cw = (width - pad.l - pad.r) / (xs.length - 1);
    const ch = (height - pad.t - pad.b) / (ys.length - 1);
    loss.forEach((row, i) => row.forEach((v, j) => {
      const level = v === null ? 1 : Math.floor((Math.log1p(v - min) / range) * LEVELS) / LEVELS;
      ctx.fillStyle = shade(level);
      ctx.fillRect(sx(xs[j]) - cw / 2, sy(ys[i]) - ch / 2, cw + 1, ch + 1);
    }));
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t, width - pad.l - pad.r, height - pad.t - pad.b);
    ctx.clip();
    for (const m of data.minima) {
      ctx.fillStyle = '#ffd54f';
      ctx.font = '16px sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('★', sx(m[0]), sy(m[1]) + 5);
    }
    data.runs.forEach((run) => {
      const color = PALETTE[this._optimizerNames.indexOf(run.optimizer) % PALETTE.length];
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      for (const p of run.trajectory) {
        if (p.x[0] === null || p.x[1] === null) break;
        const [px, py2] = [sx(p.x[0]), sy(p.x[1])];
        if (pen) ctx.lineTo(px, py2); else ctx.moveTo(px, py2);
        pen = true;
      }
      ctx.stroke();
      for (const p of run.trajectory) {
        if (p.x[0] === null || p.x[1] === null) break;
        ctx.beginPath();
        ctx.arc(sx(p.x[0]), sy(p.x[1]), 2, 0, 2 * Math.PI);
        ctx.fill();
      }
    });
    ctx.restore();
    ctx.fillStyle = '#000';
    ctx.beginPath();
    ctx.arc(sx(data.start[0]), sy(data.start[1]), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = '#555';
    ctx.font = '11px sans-serif';
    ctx.textAlign = 'center';
    for (const v of [xs[0], (xs[0] + xs.at(-1)) / 2, xs.at(-1)]) ctx.fillText(fmt(v, 2), sx(v), height - pad.b + 14);
    ctx.fillText('x', (pad.l + width - pad.r) / 2, height - 4);
    ctx.textAlign = 'right';
    for (const v of [ys[0], (ys[0] + ys.at(-1)) / 2, ys.at(-1)]) ctx.fillText(fmt(v, 2), pad.l - 4, sy(v) + 4);
    ctx.fillText('y', 12, (pad.t + height - pad.b) / 2);
    this.$contour.dataset.drawn = String(data.runs.length);
    this.$legend.replaceChildren(...data.runs.map((run) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = PALETTE[this._optimizerNames.indexOf(run.optimizer) % PALETTE.length];
      const final = run.trajectory.at(-1);
      li.append(swatch, `${run.optimizer}: ${say(VERDICTS[run.verdict])}, J = ${fmt(final.loss)}` +
        ` ${say('lab.gradient-descent.after')} ${run.steps_run}`);
      return li;
    }));
  }

  // ---- batch sizes -----------------------------------------------------------------------------------------
  renderBatch() {
    if (!this._batch) return;
    const { data } = this._batch;
    const top = Math.max(...MODES.map(([k]) => data[k].epoch_losses[0] ?? 0)) * 1.5;
    const updates = this.$('gd-updates');
    updates.replaceChildren();
    new LineChart(updates, { width: 320, height: 240, xLabel: say('lab.epoch'), yLabel: say('lab.loss'), yRange: [0, top] }).update({
      series: MODES.map(([k, name, color]) => ({ name: say(name), color,
        x: data[k].update_losses.map((_, u) => (u + 1) / data[k].updates_per_epoch), y: data[k].update_losses })),
    });
    const epochs = this.$('gd-epochs-chart');
    epochs.replaceChildren();
    new LineChart(epochs, { width: 320, height: 240, xLabel: say('lab.epoch'), yLabel: say('lab.loss'), yRange: [0, top] }).update({
      series: [
        ...MODES.map(([k, name, color]) => ({ name: say(name), color, points: true,
          x: data[k].epoch_losses.map((_, e) => e), y: data[k].epoch_losses })),
        { name: say('lab.gradient-descent.least-squares'), color: '#555', dashed: true,
          x: [0, data.full_batch.epoch_losses.length - 1], y: [data.least_squares.loss, data.least_squares.loss] },
      ],
    });
  }

  // ---- numbers, formula, code ------------------------------------------------------------------------------
  renderShared() {
    const parts = [];
    if (this._curve) {
      const run = this._curve.data.runs[0];
      const shown = run.trajectory.length > TABLE_ROWS + 1 ? [...run.trajectory.slice(0, TABLE_ROWS), null, run.trajectory.at(-1)] : run.trajectory;
      parts.push(table(say('lab.gradient-descent.curve-table', { formula: this._curve.data.formula.replaceAll('x[0]', 'x'),
        optimizer: run.optimizer, rate: this._curve.request.learning_rate }),
      [say('lab.step'), 'x', 'J(x)', "J′(x)"], shown.map((p) => (p === null ? ['…', '', '', ''] : [String(p.step), fmt(p.x[0], 6), fmt(p.loss, 6), fmt(p.gradient[0], 6)]))));
    }
    if (this._surface) {
      parts.push(table(say('lab.gradient-descent.j-x-y', { formula: this._surface.data.formula, learning_rate: this._surface.request.learning_rate }),
        [say('field.optimizer'), say('lab.gradient-descent.verdict'), say('field.steps'), say('lab.gradient-descent.final-x-y'), say('lab.gradient-descent.final-j')],
        this._surface.data.runs.map((run) => {
          const final = run.trajectory.at(-1);
          return [run.optimizer, say(VERDICTS[run.verdict]), String(run.steps_run), `(${fmt(final.x[0])}, ${fmt(final.x[1])})`, fmt(final.loss)];
        })));
    }
    if (this._batch) {
      const d = this._batch.data;
      parts.push(table(say('lab.gradient-descent.y-x-noise-samples', { true_w: d.true_w, true_b: d.true_b, samples: this._batch.request.samples, epochs: this._batch.request.epochs }),
      ['', 'batch_size', say('lab.gradient-descent.updates-per-epoch'), 'w', 'b', say('lab.gradient-descent.final-loss')],
      [...MODES.map(([k, name]) => [say(name), String(d[k].batch_size), String(d[k].updates_per_epoch), fmt(d[k].w), fmt(d[k].b), fmt(d[k].epoch_losses.at(-1))]),
        [say('lab.gradient-descent.least-squares-exact'), '', '', fmt(d.least_squares.w), fmt(d.least_squares.b), fmt(d.least_squares.loss)]]));
    }
    this.$numbers.replaceChildren(...parts);
    this.drawFormula();
    showCode(this.code());
    if (this._curve) {
      this.$playground.href = `/?dataset=spiral&hidden_layers=8,8,8&optimizer=${encodeURIComponent(this._curve.request.optimizers[0])}` +
        `&learning_rate=${this._curve.request.learning_rate}`;
    }
  }

  drawFormula() {
    if (!this._curve) return;
    const { request, data } = this._curve;
    const traj = data.runs[0].trajectory;
    const eta = request.learning_rate;
    const lines = request.optimizers[0] === 'sgd'
      ? [`xₜ₊₁ = xₜ − η · J′(xₜ), η = ${eta}`, ...traj.slice(0, 3).filter((p, i) => traj[i + 1]).map((p, i) =>
        `x${'₀₁₂₃'[i + 1]} = ${fmt(p.x[0])} − ${operand(eta)} × ${operand(p.gradient[0])} = ${fmt(traj[i + 1].x[0])}`)]
      : [say('lab.gradient-descent.each-step-uses-and', { optimizer: request.optimizers[0], eta })];
    lines.push(`x: ${traj.slice(0, 8).map((p) => fmt(p.x[0])).join(', ')}${traj.length > 8 ? ', …' : ''}`);
    showLines(this.$formula, lines);
  }

  code() {
    const parts = ['import numpy as np', 'import tensorflow as tf', 'import keras'];
    if (this._curve) parts.push('', '# 1-D', descentCode(this._curve.request, this._curve.data));
    if (this._surface) parts.push('', '# 2-D, each optimizer from the same start', descentCode(this._surface.request, this._surface.data));
    if (this._batch) {
      const r = this._batch.request;
      const d = this._batch.data;
      parts.push('', '# full batch, stochastic, mini-batch on one linear regression',
        `rng = np.random.default_rng(${r.seed})`,
        `x_all = rng.uniform(-1.0, 1.0, ${r.samples}).astype("float32")`,
        `y_all = (${d.true_w} * x_all + ${d.true_b} + ${r.noise} * rng.standard_normal(${r.samples})).astype("float32")`,
        `for batch_size in (${r.samples}, 1, ${r.batch_size}):`,
        '    w, b = tf.Variable([0.0]), tf.Variable([0.0])',
        `    optimizer = keras.optimizers.SGD(learning_rate=${r.learning_rate})`,
        `    for epoch in range(${r.epochs}):`,
        `        order = np.random.default_rng([${r.seed}, epoch]).permutation(${r.samples})`,
        '        xs, ys = x_all[order], y_all[order]',
        `        for start in range(0, ${r.samples}, batch_size):`,
        '            with tf.GradientTape() as tape:',
        '                loss = tf.reduce_mean(tf.square(w * xs[start:start + batch_size] + b - ys[start:start + batch_size]))',
        '            optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))',
        '        print(batch_size, epoch, float(tf.reduce_mean(tf.square(w * x_all + b - y_all))))');
    }
    return parts.join('\n');
  }

  // ---- start -----------------------------------------------------------------------------------------------
  async setup() {
    const options = await getOptions();
    this._optimizerNames = options.optimizers.map((o) => o.name);
    this.$optimizer.replaceChildren(...options.optimizers.map((o) => {
      const option = document.createElement('option');
      option.value = o.name;
      return localised(option, { en: o.label, zh: o.label_zh || o.label });
    }));
    checkboxList(this.$optimizers, options.optimizers,
      { checked: DEFAULT_2D, colorOf: new Map(this._optimizerNames.map((name, i) => [name, PALETTE[i % PALETTE.length]])) });
    this.$function.addEventListener('change', () => { this._ownStart1d = true; });
    this.$x0.addEventListener('input', () => { this._ownStart1d = false; });
    this.$function2d.addEventListener('change', () => { this._ownStart2d = true; });
    for (const el of [this.$startX, this.$startY]) el.addEventListener('input', () => { this._ownStart2d = false; });
    wire([this.$function, this.$x0, this.$lr, this.$steps, this.$optimizer], () => this.computeCurve(), (e) => this.showError(e));
    wire([this.$function2d, this.$startX, this.$startY, this.$lr2d, this.$steps2d, this.$optimizers], () => this.computeSurface(), (e) => this.showError(e));
    wire(Object.values(this.$batch), () => this.computeBatch(), (e) => this.showError(e));
  }
}
