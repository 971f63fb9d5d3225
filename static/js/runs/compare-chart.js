// The compared runs' test-loss curves on one canvas; hovering reads every run's value at that epoch.

import { say } from '../i18n.js';
import { Widget, el, formatNumber } from '../playground/dom.js';
import { RUN_COLORS } from './palette.js';

const PAD = { l: 48, r: 10, t: 10, b: 24 };

// The last recorded point at or before `epoch` (history is sorted by epoch): what the run showed then.
export function valueAt(history, epoch) {
  let lo = 0;
  let hi = history.epochs.length - 1;
  if (hi < 0 || history.epochs[0] > epoch) return null;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (history.epochs[mid] <= epoch) lo = mid; else hi = mid - 1;
  }
  return history.test_loss[lo];
}

export class CompareChart extends Widget {
  constructor(container, options = {}) {
    super(container, options);
    const wrap = el('div', { class: 'runs-chart' }, container);
    this.$canvas = el('canvas', { id: 'runs-curves-canvas', width: 720, height: 300, role: 'img' }, wrap);
    this.$hover = el('p', { class: 'runs-hover', id: 'runs-hover', 'aria-live': 'off' }, container);
    this.runs = [];
    this.$canvas.addEventListener('mousemove', (e) => this._hover(e));
    this.$canvas.addEventListener('mouseleave', () => { this.$hover.textContent = ''; this._draw(null); });
  }

  // runs: [{name, history: {epochs, test_loss}}]
  update(runs) {
    this.runs = runs;
    const epochs = runs.flatMap((r) => r.history.epochs);
    const losses = runs.flatMap((r) => r.history.test_loss).filter((v) => v !== null && Number.isFinite(v));
    this._x = [Math.min(0, ...epochs), Math.max(1, ...epochs)];
    this._y = [0, Math.max(1e-6, ...losses)];
    this._draw(null);
    return this;
  }

  reset() { return this.update([]); }

  _sx(epoch) {
    return PAD.l + ((epoch - this._x[0]) / (this._x[1] - this._x[0])) * (this.$canvas.width - PAD.l - PAD.r);
  }
  _sy(loss) { return this.$canvas.height - PAD.b - (loss / this._y[1]) * (this.$canvas.height - PAD.t - PAD.b); }

  _draw(epoch) {
    const ctx = this.$canvas.getContext('2d');
    const { width, height } = this.$canvas;
    ctx.clearRect(0, 0, width, height);
    if (!this.runs.length) return;
    ctx.fillStyle = '#555';
    ctx.font = '11px sans-serif';
    ctx.fillText(formatNumber(this._y[1]), 4, PAD.t + 8);
    ctx.fillText('0', 4, height - PAD.b);
    ctx.fillText(String(this._x[1]), width - PAD.r - 40, height - 6);
    ctx.fillText(say('runs.epoch'), PAD.l, height - 6);
    this.runs.forEach((run, i) => {
      ctx.strokeStyle = RUN_COLORS[i % RUN_COLORS.length];
      ctx.lineWidth = 2;
      ctx.beginPath();
      let pen = false;
      run.history.epochs.forEach((x, j) => {
        const y = run.history.test_loss[j];
        if (y === null || !Number.isFinite(y)) { pen = false; return; }
        if (pen) ctx.lineTo(this._sx(x), this._sy(y)); else ctx.moveTo(this._sx(x), this._sy(y));
        pen = true;
      });
      ctx.stroke();
    });
    if (epoch !== null) {
      ctx.strokeStyle = '#888';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(this._sx(epoch), PAD.t);
      ctx.lineTo(this._sx(epoch), height - PAD.b);
      ctx.stroke();
    }
  }

  _hover(event) {
    if (!this.runs.length) return;
    const box = this.$canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * this.$canvas.width;
    const fraction = Math.min(1, Math.max(0, (x - PAD.l) / (this.$canvas.width - PAD.l - PAD.r)));
    const epoch = Math.round(this._x[0] + fraction * (this._x[1] - this._x[0]));
    this._draw(epoch);
    this.$hover.replaceChildren(el('span', { text: `${say('runs.epoch')} ${epoch}: ` }));
    this.runs.forEach((run, i) => {
      const item = el('span', { class: 'runs-hover-item' }, this.$hover);
      el('span', { class: 'runs-swatch', style: `background:${RUN_COLORS[i % RUN_COLORS.length]}` }, item);
      item.append(`${run.name} ${formatNumber(valueAt(run.history, epoch))}  `);
    });
  }
}
