// The output panel's canvas: the network's output over the input domain (/api/options: limits.domain) with the
// data points and axes.
// Also exports the painters the network view uses for its thumbnails.

import {
  NEGATIVE, POSITIVE, background, blendClasses, classColor, css, diverging, lookupTable, paint, probability,
} from './colors.js';
import { say } from '../i18n.js';
import { Widget, bilingual, el, said } from './dom.js';

// Paint one quantised map (see splitMaps in api.js) into a canvas at its own resolution.
export function paintMap(canvas, map, colorOf) {
  if (canvas.width !== map.cols || canvas.height !== map.rows) {
    canvas.width = map.cols;
    canvas.height = map.rows;
  }
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(map.cols, map.rows);
  paint(image.data, map.bytes, lookupTable(map.lo, map.hi, colorOf));
  ctx.putImageData(image, 0, 0);
}

// Multi-class output: k probability maps blended into one image, as a background (lighter than the points).
export function paintClasses(canvas, maps, discrete) {
  const { rows, cols } = maps[0];
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const probs = new Array(maps.length);
  for (let i = 0; i < rows * cols; i++) {
    for (let c = 0; c < maps.length; c++) probs[c] = maps[c].bytes[i] / 255;
    const rgb = background(blendClasses(probs, discrete));
    image.data[4 * i] = rgb[0]; image.data[4 * i + 1] = rgb[1]; image.data[4 * i + 2] = rgb[2];
    image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

// The colour of one output map's values for a problem.
export function outputColor(problem, discrete) {
  if (problem === 'binary') return (p) => probability(p, discrete);
  if (discrete) return (v) => (v >= 0 ? POSITIVE : NEGATIVE);
  return (v) => diverging(v);
}

export function paintOutput(canvas, outputMaps, problem, discrete) {
  if (problem === 'multiclass') paintClasses(canvas, outputMaps, discrete);
  else {
    const colorOf = outputColor(problem, discrete);
    paintMap(canvas, outputMaps[0], (v) => background(colorOf(v)));
  }
}

export function labelColor(problem, label) {
  if (problem === 'multiclass') return classColor(label);
  if (problem === 'binary') return label >= 0.5 ? POSITIVE : NEGATIVE;
  return diverging(label);
}

// Room around the plot for the axis labels (px of the canvas). The legend and the view options line up with
// the plot through --pg-plot-left.
export const MARGIN = Object.freeze({ left: 26, top: 6, right: 6, bottom: 22 });

export class OutputHeatmap extends Widget {
  constructor(container, options = {}) {
    super(container, options);
    this.size = options.size ?? 300;
    this.domain = options.domain; // {minimum, maximum}: the square the server draws the output over
    this.margin = MARGIN;
    const m = this.margin;
    container.style.setProperty('--pg-plot-left', `${m.left}px`);
    this.$canvas = el('canvas', {
      id: 'pg-output-canvas', width: this.size + m.left + m.right, height: this.size + m.top + m.bottom,
      role: 'img', 'aria-label': say('playground.heatmap-label'),
    }, container);
    this.$image = document.createElement('canvas');
    // options.mirror: a container for a small live copy (on a phone, beside play; hidden by CSS elsewhere). The
    // stylesheet sizes it; the copy is drawn at that size, and not at all while hidden.
    this.$mirror = options.mirror ? el('canvas', { id: 'pg-output-mini-canvas' }, options.mirror) : null;
    // Its size as laid out, kept up to date by the browser: reading clientWidth at every frame would lay the
    // page out again each time (the numbers beside the output change with every frame).
    this._mirrorWidth = 0;
    if (this.$mirror) {
      new ResizeObserver(([entry]) => {
        this._mirrorWidth = entry.contentRect.width;
        this._drawMirror();
      }).observe(this.$mirror);
    }
    this.$legend = el('div', { class: 'pg-legend' }, container);
    const toggles = el('div', { class: 'pg-view-options' }, container);
    const checkbox = (id, key, text) => {
      const label = el('label', { class: 'pg-check' }, toggles);
      const input = el('input', { id, type: 'checkbox' }, label);
      said(label, text);
      input.addEventListener('change', () => options.onViewChange?.({ [key]: input.checked }));
      return input;
    };
    this.$showTest = checkbox('pg-show-test', 'show_test', 'playground.show-test-data');
    this.$discretize = checkbox('pg-discretize', 'discretize', 'playground.discretize-output');

    this._output = null;
    this._points = null;
    this._view = { problem: 'binary', discretize: false, showTest: false };
    this._drawAxes();
  }

  // data: {output?: maps, points?: {train, test}, problem?, discretize?, showTest?, pointProblem?, axes?,
  // everyPoint?}; any subset. pointProblem: the problem the points' colours follow when it is not the output's
  // (points being drawn); axes: {x1, x2} the original [min, max] of an axis scaled into the square (null: as it
  // is); everyPoint: test points are drawn whatever showTest says (while points are being drawn).
  update(data = {}) {
    if (data.output) this._output = data.output;
    if (data.points !== undefined) this._points = data.points;
    for (const key of ['problem', 'discretize', 'showTest', 'pointProblem', 'axes', 'everyPoint']) if (data[key] !== undefined) this._view[key] = data[key];
    this.$showTest.checked = this._view.showTest;
    this.$discretize.checked = this._view.discretize;
    this._draw();
    return this;
  }

  reset() {
    this._output = null;
    this._draw();
    return this;
  }

  // A position on the page → the input square's coordinates (the canvas may be shown smaller than its pixels).
  toData(clientX, clientY) {
    const box = this.$canvas.getBoundingClientRect();
    const px = (clientX - box.left) * (this.$canvas.width / box.width);
    const py = (clientY - box.top) * (this.$canvas.height / box.height);
    const { minimum: lo, maximum: hi } = this.domain;
    const s = (hi - lo) / this.size;
    return [lo + (px - this.margin.left) * s, hi - (py - this.margin.top) * s];
  }

  _toPixel(x1, x2) {
    const { minimum: lo, maximum: hi } = this.domain;
    const s = this.size / (hi - lo);
    return [this.margin.left + (x1 - lo) * s, this.margin.top + (hi - x2) * s];
  }

  _draw() {
    const ctx = this.$canvas.getContext('2d');
    const { left, top } = this.margin;
    const { problem, discretize, showTest, everyPoint } = this._view;
    ctx.clearRect(0, 0, this.$canvas.width, this.$canvas.height);
    if (this._output?.length) {
      paintOutput(this.$image, this._output, problem, discretize);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.$image, left, top, this.size, this.size);
    } else {
      ctx.fillStyle = '#eee';
      ctx.fillRect(left, top, this.size, this.size);
    }
    if (this._points) {
      this._drawPoints(ctx, this._points.train, '#fff');
      if (showTest || everyPoint) this._drawPoints(ctx, this._points.test, '#000');
    }
    this._drawAxes();
    this._drawLegend();
    this._drawMirror();
  }

  _drawMirror() {
    const shown = this._mirrorWidth;
    if (!shown) return;
    const side = Math.round(shown * devicePixelRatio);
    if (this.$mirror.width !== side) this.$mirror.width = this.$mirror.height = side;
    const { left, top } = this.margin;
    const mirror = this.$mirror.getContext('2d');
    mirror.clearRect(0, 0, side, side);
    mirror.drawImage(this.$canvas, left, top, this.size, this.size, 0, 0, side, side);
  }

  _drawPoints(ctx, rows, stroke) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = stroke;
    for (const [x1, x2, label] of rows) {
      const [px, py] = this._toPixel(x1, x2);
      ctx.beginPath();
      ctx.arc(px, py, 3, 0, 2 * Math.PI);
      ctx.fillStyle = css(labelColor(this._view.pointProblem ?? this._view.problem, label));
      ctx.fill();
      ctx.stroke();
    }
  }

  _drawAxes() {
    const ctx = this.$canvas.getContext('2d');
    const { left, top } = this.margin;
    ctx.strokeStyle = '#999';
    ctx.lineWidth = 1;
    ctx.strokeRect(left + 0.5, top + 0.5, this.size - 1, this.size - 1);
    ctx.fillStyle = '#555';
    ctx.font = '10px system-ui, sans-serif';
    const { minimum: lo, maximum: hi } = this.domain;
    // A scaled axis is labelled with the original values its ticks stand for (linearly: lo → min, hi → max).
    const label = (range, v) => (range ? String(Number((range[0] + ((v - lo) / (hi - lo)) * (range[1] - range[0])).toPrecision(3))) : String(v));
    const axes = this._view.axes ?? {};
    for (let v = lo; v <= hi; v += 2) {
      const [px] = this._toPixel(v, 0);
      const [, py] = this._toPixel(0, v);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'top';
      ctx.fillText(label(axes.x1, v), px, top + this.size + 4);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      ctx.fillText(label(axes.x2, v), left - 4, py);
    }
  }

  _drawLegend() {
    const { problem } = this._view;
    const key = `${problem}:${this._output?.length ?? 0}`;
    if (this._legendKey === key) return;
    this._legendKey = key;
    this.$legend.replaceChildren();
    // A legend entry: its colour, then its text (a number, or a catalogue entry the caller writes).
    const swatch = (rgb, number = null) => {
      const item = el('span', { class: 'pg-swatch' }, this.$legend);
      el('span', { class: 'pg-swatch-colour' }, item).style.background = css(rgb);
      if (number !== null) bilingual(item, number);
      return item;
    };
    if (problem === 'multiclass') {
      for (let c = 0; c < (this._output?.length ?? 0); c++) said(swatch(classColor(c)), 'playground.class', { class: c });
    } else if (problem === 'binary') {
      said(swatch(NEGATIVE), 'playground.class', { class: 0 });
      said(swatch(POSITIVE), 'playground.class', { class: 1 });
    } else {
      swatch(NEGATIVE, '−1');
      swatch(diverging(0), '0');
      swatch(POSITIVE, '+1');

    }
  }
}
