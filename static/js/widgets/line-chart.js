// A small SVG line chart: several named series over a shared x axis, with axes and a legend below it.
// Used by the concept labs for curves (activations, losses, learning rates, trajectories).

import { MINUS } from '../concepts/notation.js'; // ticks are numbers shown to a reader: a real minus sign

const SVG_NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function niceTicks(min, max, count = 5) {
  if (!(max > min)) return [min];
  const step0 = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export class LineChart {
  constructor(container, { width = 560, height = 320, xLabel = '', yLabel = '', yRange = null } = {}) {
    this.$container = container;
    this._opts = { width, height, xLabel, yLabel, yRange };
    this.$svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'line-chart' });
    container.appendChild(this.$svg);
    this.$legend = document.createElement('div');
    this.$legend.className = 'line-chart-legend';
    container.appendChild(this.$legend);
    this._series = [];
    this._marks = [];
    // Drawn at the width it is shown at (up to `width`), so its text keeps its size on a phone.
    this._shown = 0;
    new ResizeObserver(() => {
      if (this._fitWidth() !== this._shown) this._draw();
    }).observe(container);
  }

  _fitWidth() {
    const available = this.$container.clientWidth;
    return available > 0 ? Math.min(this._opts.width, available) : this._opts.width;
  }

  // series: [{name, x: number[], y: (number|null)[], color?, dashed?}]; marks: [{x, label}] vertical lines.
  update({ series = [], marks = [], bands = [] } = {}) {
    this._series = series;
    this._marks = marks;
    this._bands = bands;
    this._draw();
    return this;
  }

  reset() {
    return this.update({});
  }

  _draw() {
    const { xLabel, yLabel, yRange } = this._opts;
    const width = this._shown = this._fitWidth();
    // Narrower keeps most of the height: a phone's chart stays tall enough to read.
    const height = Math.round(this._opts.height * Math.max(0.75, width / this._opts.width));
    this.$svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const pad = { l: 52, r: 12, t: 12, b: 40 };
    const svg = this.$svg;
    svg.replaceChildren();
    // The legend sits below the plot, never on top of the curves it names.
    this.$legend.replaceChildren(...this._series.map((s, i) => {
      const item = document.createElement('span');
      item.className = 'line-chart-key';
      const swatch = document.createElement('span');
      swatch.className = `line-chart-swatch${s.dashed ? ' dashed' : ''}`;
      swatch.style.borderTopColor = s.color ?? PALETTE[i % PALETTE.length];
      item.append(swatch, document.createTextNode(s.name));
      return item;
    }));
    const xs = this._series.flatMap((s) => s.x);
    const ys = this._series.flatMap((s) => s.y).filter((v) => v !== null && Number.isFinite(v));
    if (!xs.length || !ys.length) return;
    let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = yRange ?? [Math.min(...ys), Math.max(...ys)];
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (y0 === y1) { y0 -= 1; y1 += 1; }
    const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
    const sy = (y) => height - pad.b - ((Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * (height - pad.t - pad.b);
    for (const band of this._bands ?? []) {
      el('rect', { x: sx(Math.max(band.x0, x0)), y: pad.t, width: Math.max(0, sx(Math.min(band.x1, x1)) - sx(Math.max(band.x0, x0))),
        height: height - pad.t - pad.b, fill: band.color ?? '#0000000d' }, svg);
    }
    const axes = el('g', { class: 'axes', 'font-size': 11, fill: '#555' }, svg);
    for (const tx of niceTicks(x0, x1)) {
      el('line', { x1: sx(tx), x2: sx(tx), y1: pad.t, y2: height - pad.b, stroke: '#eee' }, axes);
      el('text', { x: sx(tx), y: height - pad.b + 14, 'text-anchor': 'middle' }, axes).textContent = String(tx).replace('-', MINUS);
    }
    for (const ty of niceTicks(y0, y1)) {
      el('line', { x1: pad.l, x2: width - pad.r, y1: sy(ty), y2: sy(ty), stroke: '#eee' }, axes);
      el('text', { x: pad.l - 6, y: sy(ty) + 4, 'text-anchor': 'end' }, axes).textContent = String(ty).replace('-', MINUS);
    }
    if (y0 < 0 && y1 > 0) el('line', { x1: pad.l, x2: width - pad.r, y1: sy(0), y2: sy(0), stroke: '#999' }, axes);
    el('text', { x: (pad.l + width - pad.r) / 2, y: height - 6, 'text-anchor': 'middle' }, axes).textContent = xLabel;
    el('text', { x: 12, y: (pad.t + height - pad.b) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 12 ${(pad.t + height - pad.b) / 2})` }, axes).textContent = yLabel;
    for (const mark of this._marks) {
      el('line', { x1: sx(mark.x), x2: sx(mark.x), y1: pad.t, y2: height - pad.b, stroke: '#888', 'stroke-dasharray': '4 3' }, svg);
      if (mark.label) el('text', { x: sx(mark.x) + 3, y: pad.t + 10, 'font-size': 11, fill: '#555' }, svg).textContent = mark.label;
    }
    this._series.forEach((s, i) => {
      const color = s.color ?? PALETTE[i % PALETTE.length];
      let d = '';
      let pen = false;
      s.x.forEach((x, j) => {
        const y = s.y[j];
        if (y === null || !Number.isFinite(y)) { pen = false; return; }
        d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
        pen = true;
      });
      el('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '5 4' : 'none',
        'data-series': s.name }, svg);
      if (s.points) {
        s.x.forEach((x, j) => { if (s.y[j] !== null) el('circle', { cx: sx(x), cy: sy(s.y[j]), r: 3, fill: color }, svg); });
      }
    });
  }
}
