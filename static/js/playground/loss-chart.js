// Train and test loss over epochs. Points live in a bounded buffer (downsample.js), so drawing stays fast
// after 100,000 epochs; a point is added only when the epoch changes, never by a display change.

import { SeriesBuffer, nearest } from './downsample.js';
import { Widget, bilingual, el, formatNumber } from './dom.js';

const TRAIN = '#888';
const TEST = '#222';

export class LossChart extends Widget {
  constructor(container, options = {}) {
    super(container, options);
    this.width = options.width ?? 300;
    this.height = options.height ?? 80;
    const head = el('div', { class: 'pg-loss-head' }, container);
    const test = el('span', { class: 'pg-loss-test' }, head);
    bilingual(test, 'Test loss ', '测试损失 ');
    this.$testLoss = el('output', { id: 'pg-test-loss' }, test);
    const train = el('span', { class: 'pg-loss-train' }, head);
    bilingual(train, 'Training loss ', '训练损失 ');
    this.$trainLoss = el('output', { id: 'pg-train-loss' }, train);
    this.$canvas = el('canvas', { id: 'pg-loss-canvas', width: this.width, height: this.height, role: 'img', 'aria-label': 'Loss over epochs' }, container);
    this.$hover = el('p', { class: 'pg-loss-hover muted', 'aria-live': 'off' }, container);
    this.buffer = new SeriesBuffer(options.capacity ?? 400);
    this.$canvas.addEventListener('mousemove', (e) => this._hover(e));
    this.$canvas.addEventListener('mouseleave', () => { this.$hover.textContent = ''; this._hoverX = null; this._draw(); });
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

  _scales(points) {
    let max = 0;
    for (const p of points) max = Math.max(max, p.train ?? 0, p.test ?? 0);
    const x0 = points[0]?.x ?? 0;
    const x1 = Math.max(x0 + 1, points.at(-1)?.x ?? 1);
    const sx = (x) => ((x - x0) / (x1 - x0)) * (this.width - 2) + 1;
    const sy = (y) => this.height - 2 - ((y ?? 0) / (max || 1)) * (this.height - 6);
    return { sx, sy, x0, x1, max };
  }

  _draw() {
    const ctx = this.$canvas.getContext('2d');
    ctx.clearRect(0, 0, this.width, this.height);
    const points = this.buffer.points();
    if (!points.length) return;
    const { sx, sy, max } = this._scales(points);
    ctx.fillStyle = '#777';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.textAlign = 'right';
    ctx.fillText(formatNumber(max, 3), this.width - 2, 1);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`epoch ${points.at(-1).x.toLocaleString('en-US')}`, this.width - 2, this.height - 3);
    for (const [key, colour] of [['train', TRAIN], ['test', TEST]]) {
      ctx.beginPath();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      let started = false;
      for (const p of points) {
        if (p[key] === null || p[key] === undefined) { started = false; continue; }
        if (started) ctx.lineTo(sx(p.x), sy(p[key])); else ctx.moveTo(sx(p.x), sy(p[key]));
        started = true;
      }
      ctx.stroke();
    }
    if (this._hoverX !== null && this._hoverX !== undefined) {
      ctx.strokeStyle = '#0877bd';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(this._hoverX, 0);
      ctx.lineTo(this._hoverX, this.height);
      ctx.stroke();
    }
  }

  _hover(event) {
    const points = this.buffer.points();
    if (!points.length) return;
    const box = this.$canvas.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * this.width;
    const { sx, x0, x1 } = this._scales(points);
    const p = nearest(points, x0 + ((px - 1) / (this.width - 2)) * (x1 - x0));
    this._hoverX = sx(p.x);
    this.$hover.textContent = `Epoch ${p.x.toLocaleString('en-US')}: train ${formatNumber(p.train, 4)}, test ${formatNumber(p.test, 4)}`;
    this._draw();
  }
}
