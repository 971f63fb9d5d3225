// Train and test loss over epochs, drawn by uPlot (static/vendor): real axes with ticks, a legend outside the
// plot that shows the values under the cursor, and a log scale (automatic once the losses span two decades,
// or chosen by the learner). Points live in a bounded buffer (downsample.js), so drawing stays fast after
// 100,000 epochs; a point is added only when the epoch changes, never by a display change.

import uPlot from '../../vendor/uplot-1.6.32/uPlot.esm.js';
import { SeriesBuffer } from './downsample.js';
import { wantsLog } from './log-scale.js';
import { Widget, el, formatNumber, said } from './dom.js';
import { onLangChange, say } from '../i18n.js';

const TRAIN = '#999';
const TEST = '#222';
// The catalogue keys of the chart's own text.
const TEXT = {
  epoch: 'runs.epoch',
  train: 'playground.training-loss-legend',
  test: 'runs.col-test-loss',
  scale: 'playground.y-axis',
  auto: 'playground.auto',
  linear: 'playground.linear',
  log: 'playground.log',
  aria: 'playground.training-and-test-loss',
};

// A y tick: short, and in powers of ten beyond the everyday range (a log axis hides some ticks as null).
function tickLabel(v) {
  if (v === null || v === undefined) return '';
  if (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01)) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

export class LossChart extends Widget {
  constructor(container, options = {}) {
    super(container, options);
    this.height = options.height ?? 150;
    const head = el('div', { class: 'pg-loss-head' }, container);
    const test = el('span', { class: 'pg-loss-test' }, head);
    said(test, 'playground.test-loss');
    this.$testLoss = el('output', { id: 'pg-test-loss' }, test);
    const train = el('span', { class: 'pg-loss-train' }, head);
    said(train, 'playground.training-loss');
    this.$trainLoss = el('output', { id: 'pg-train-loss' }, train);
    const scale = el('label', { class: 'pg-loss-scale' }, head);
    this.$scaleLabel = el('span', {}, scale);
    this.$scale = el('select', { id: 'pg-loss-scale' }, scale);
    for (const value of ['auto', 'linear', 'log']) el('option', { value }, this.$scale);
    this.$scale.value = options.scale ?? 'auto';
    this.$scale.addEventListener('change', () => this._rebuild());
    this.$plot = el('div', { id: 'pg-loss-plot', class: 'pg-loss-plot', role: 'img' }, container);
    this.buffer = new SeriesBuffer(options.capacity ?? 400);
    this._log = false;
    this._relabel();
    this._rebuild();
    onLangChange(() => { this._relabel(); this._rebuild(); });
    // The chart fills its column, whatever the screen: follow the container's width.
    this._resize = new ResizeObserver(() => this._fit());
    this._resize.observe(this.$plot);
  }

  // data: a frame header (epoch, train_loss, test_loss).
  update({ epoch, train_loss, test_loss }) {
    const latest = this.buffer.latest;
    if (latest && epoch < latest.x) this.buffer.reset(); // a reset, not a step back
    if (!latest || epoch !== latest.x || train_loss !== latest.train || test_loss !== latest.test) {
      this.buffer.push({ x: epoch, train: train_loss, test: test_loss });
      this._draw();
    }
    this.$trainLoss.textContent = formatNumber(train_loss);
    this.$testLoss.textContent = formatNumber(test_loss);
    return this;
  }

  reset() {
    this.buffer.reset();
    this._draw();
    return this;
  }

  // Whether the y axis is logarithmic now (the learner's choice, or decided by the losses on "auto").
  get logScale() {
    return this._log;
  }

  _relabel() {
    this.$scaleLabel.textContent = `${say(TEXT.scale)} `;
    for (const option of this.$scale.options) option.textContent = say(TEXT[option.value]);
    this.$plot.setAttribute('aria-label', say(TEXT.aria));
  }

  _columns() {
    const points = this.buffer.points();
    // A log axis cannot show zero: such a point is left out of the line rather than drawn at -infinity.
    const y = (v) => (v === null || v === undefined || !Number.isFinite(v) || (this._log && v <= 0) ? null : v);
    return [points.map((p) => p.x), points.map((p) => y(p.train)), points.map((p) => y(p.test))];
  }

  _wantLog() {
    if (this.$scale.value !== 'auto') return this.$scale.value === 'log';
    const points = this.buffer.points();
    return wantsLog(points.flatMap((p) => [p.train, p.test]));
  }

  _rebuild() {
    this._log = this._wantLog();
    this.$plot.dataset.scale = this._log ? 'log' : 'linear';
    this.plot?.destroy();
    const value = (u, v) => formatNumber(v, 4);
    this.plot = new uPlot({
      width: Math.max(200, this.$plot.clientWidth || 300),
      height: this.height,
      legend: { live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: false }, y: this._log ? { distr: 3 } : { range: (u, min, max) => [0, max > 0 ? max : 1] } },
      axes: [
        { size: 32, font: '11px system-ui, sans-serif', stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' } },
        { size: 48, font: '11px system-ui, sans-serif', stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' },
          values: (u, ticks) => ticks.map(tickLabel) },
      ],
      series: [
        { label: say(TEXT.epoch), value: (u, v) => (v === null ? '–' : v.toLocaleString('en-US')) },
        { label: say(TEXT.train), stroke: TRAIN, width: 1.5, value, spanGaps: true },
        { label: say(TEXT.test), stroke: TEST, width: 1.5, value, spanGaps: true },
      ],
    }, this._columns(), this.$plot);
  }

  _draw() {
    if (this._wantLog() !== this._log) { this._rebuild(); return; }
    this.plot.setData(this._columns());
  }

  _fit() {
    const width = Math.max(200, this.$plot.clientWidth);
    if (this.plot && width !== this.plot.width) this.plot.setSize({ width, height: this.height });
  }
}
