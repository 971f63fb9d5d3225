// Softmax lab: logits (drag the bars or type them) and a temperature -> probabilities, step by step.

import { fmt, parseRows, py, showCode, svg } from './lab.js';
import { say } from '../i18n.js';
import { LabWidget } from './widget.js';
import { minus, operand } from './notation.js';

const WIDTH = 640;
const ROW_HEIGHT = 190;

function asRows(x) {
  return Array.isArray(x[0]) ? x : [x];
}

// Values along the softmax axis through the first position of the other axis.
function firstSlice(x, axis, ndim) {
  if (ndim === 1) return x;
  return axis === 1 ? x[0] : x.map((row) => row[0]);
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function matrixTable(title, values, note = '') {
  const wrap = document.createElement('figure');
  wrap.className = 'step';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  wrap.appendChild(caption);
  const table = document.createElement('table');
  for (const row of asRows(values)) {
    const tr = document.createElement('tr');
    for (const v of row) tr.appendChild(v === null ? cell('∞', 'overflow') : cell(fmt(v, 5)));
    table.appendChild(tr);
  }
  wrap.appendChild(table);
  if (note) {
    const p = document.createElement('p');
    p.className = 'muted small';
    p.textContent = note;
    wrap.appendChild(p);
  }
  return wrap;
}

function sub(n) {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
}

function code(request) {
  const { logits, axis, temperature } = request;
  return [
    'import tensorflow as tf',
    'import keras',
    '',
    `logits = tf.constant(${py(logits)})`,
    `temperature = ${py(temperature)}`,
    `probabilities = tf.nn.softmax(logits / temperature, axis=${axis})`,
    'print(probabilities.numpy())',
    '',
    '# The same, step by step, as TensorFlow does it (no overflow):',
    'scaled = logits / temperature',
    `shifted = scaled - tf.reduce_max(scaled, axis=${axis}, keepdims=True)`,
    'exponentials = tf.exp(shifted)',
    `print((exponentials / tf.reduce_sum(exponentials, axis=${axis}, keepdims=True)).numpy())`,
    '',
    '# Or as the last layer of a model:',
    `print(keras.layers.Softmax(axis=${axis})(logits / temperature).numpy())`,
  ].join('\n');
}

export default class SoftmaxLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$logits = this.$('softmax-logits');
    this.$axis = this.$('softmax-axis');
    this.$temperature = this.$('softmax-temperature');
    this.$temperatureValue = this.$('softmax-temperature-value');
    this.$figure = this.$('softmax-figure');
    this.$numbers = this.$('softmax-numbers');
    this.$formula = this.$('softmax-formula');
  }

  async start() {
    this.listen([this.$logits, this.$axis, this.$temperature]);
  }

  readRequest() {
    this.$temperatureValue.textContent = this.$temperature.value;
    const rows = parseRows(this.$logits);
    const logits = rows.length === 1 ? rows[0] : rows;
    const is2d = rows.length > 1;
    this.$axis.querySelector('option[value="1"]').disabled = !is2d;
    if (!is2d && this.$axis.value === '1') this.$axis.value = '-1';
    return { logits, axis: Number(this.$axis.value), temperature: Number(this.$temperature.value) };
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    this.drawFigure(request, data);
    this.drawNumbers(data);
    this.drawFormula(request, data);
    showCode(code(request));
  }

  drawFigure(request, data) {
    const logitRows = asRows(request.logits);
    const probRows = asRows(data.probabilities);
    const height = ROW_HEIGHT * logitRows.length + 24;
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'softmax-bars',
      'aria-label': say('lab.softmax.logit-bars-and-probability') });
    const maxAbs = Math.max(1, ...logitRows.flat().map(Math.abs));
    const limit = Math.ceil(maxAbs * 1.1);
    svg('text', { x: WIDTH * 0.25, y: 14, 'text-anchor': 'middle', class: 'heading' }, root).textContent =
      say('lab.softmax.logits-z-divided-by', { temperature: request.temperature });
    svg('text', { x: WIDTH * 0.75, y: 14, 'text-anchor': 'middle', class: 'heading' }, root).textContent =
      say('lab.softmax.probabilities-sum-to-1', { axis: data.axis });
    logitRows.forEach((row, r) => {
      const top = 24 + r * ROW_HEIGHT;
      const plotH = ROW_HEIGHT - 40;
      const band = (x0, x1, n) => {
        const w = (x1 - x0) / n;
        return (i) => ({ x: x0 + i * w + w * 0.15, w: w * 0.7 });
      };
      // Logits: a zero line in the middle, bars up or down.
      const zeroY = top + 10 + plotH / 2;
      const scale = (plotH / 2) / limit;
      const slotL = band(20, WIDTH / 2 - 30, row.length);
      svg('line', { x1: 20, x2: WIDTH / 2 - 30, y1: zeroY, y2: zeroY, class: 'axis-line' }, root);
      row.forEach((z, i) => {
        const { x, w } = slotL(i);
        const h = Math.abs(z) * scale;
        const bar = svg('rect', { x, y: z >= 0 ? zeroY - h : zeroY, width: w, height: Math.max(h, 1),
          class: 'logit-bar', 'data-row': r, 'data-col': i, tabindex: 0 }, root);
        svg('title', {}, bar).textContent = say('lab.softmax.drag-up-or-down');
        svg('text', { x: x + w / 2, y: z >= 0 ? zeroY - h - 4 : zeroY + h + 12, 'text-anchor': 'middle', class: 'value' },
          root).textContent = fmt(z, 3);
        svg('text', { x: x + w / 2, y: top + plotH + 26, 'text-anchor': 'middle', class: 'index' }, root)
          .textContent = logitRows.length > 1 ? `[${r},${i}]` : String(i);
        this.enableDrag(bar, r, i, scale, zeroY);
      });
      // Arrow between the halves.
      svg('text', { x: WIDTH / 2, y: zeroY + 4, 'text-anchor': 'middle', class: 'arrow' }, root).textContent = '→';
      // Probabilities: 0 at the bottom, 1 at the top.
      const baseY = top + 10 + plotH;
      const slotR = band(WIDTH / 2 + 30, WIDTH - 10, row.length);
      svg('line', { x1: WIDTH / 2 + 30, x2: WIDTH - 10, y1: baseY, y2: baseY, class: 'axis-line' }, root);
      svg('line', { x1: WIDTH / 2 + 30, x2: WIDTH - 10, y1: baseY - plotH, y2: baseY - plotH, class: 'grid-line' }, root);
      svg('text', { x: WIDTH / 2 + 26, y: baseY - plotH + 4, 'text-anchor': 'end', class: 'index' }, root).textContent = '1';
      probRows[r].forEach((p, i) => {
        const { x, w } = slotR(i);
        const h = (p ?? 0) * plotH;
        svg('rect', { x, y: baseY - h, width: w, height: Math.max(h, 0.5), class: 'prob-bar', 'data-row': r, 'data-col': i },
          root);
        svg('text', { x: x + w / 2, y: baseY - h - 4, 'text-anchor': 'middle', class: 'value' }, root).textContent = fmt(p, 3);
        svg('text', { x: x + w / 2, y: top + plotH + 26, 'text-anchor': 'middle', class: 'index' }, root)
          .textContent = logitRows.length > 1 ? `[${r},${i}]` : String(i);
      });
    });
    this.$figure.replaceChildren(root);
  }

  // Dragging a logit bar edits the textarea while moving and asks the server on release.
  enableDrag(bar, r, i, scale, zeroY) {
    bar.addEventListener('pointerdown', (event) => {
      event.preventDefault();
      bar.setPointerCapture(event.pointerId);
      const rows = parseRows(this.$logits);
      const start = rows[r][i];
      const y0 = event.clientY;
      const ratio = bar.ownerSVGElement.viewBox.baseVal.height / bar.ownerSVGElement.getBoundingClientRect().height;
      const move = (e) => {
        rows[r][i] = Math.round((start - ((e.clientY - y0) * ratio) / scale) * 10) / 10;
        this.$logits.value = rows.map((row) => row.join(', ')).join('\n');
        const h = Math.abs(rows[r][i]) * scale;
        bar.setAttribute('y', rows[r][i] >= 0 ? zeroY - h : zeroY);
        bar.setAttribute('height', Math.max(h, 1));
        bar.classList.add('dragging');
      };
      const up = () => {
        bar.removeEventListener('pointermove', move);
        bar.removeEventListener('pointerup', up);
        this.$logits.dispatchEvent(new Event('change'));
      };
      bar.addEventListener('pointermove', move);
      bar.addEventListener('pointerup', up);
    });
    bar.addEventListener('keydown', (event) => {
      const step = { ArrowUp: 0.5, ArrowDown: -0.5 }[event.key];
      if (step === undefined) return;
      event.preventDefault();
      const rows = parseRows(this.$logits);
      rows[r][i] = Math.round((rows[r][i] + step) * 10) / 10;
      this.$logits.value = rows.map((row) => row.join(', ')).join('\n');
      this.$logits.dispatchEvent(new Event('change'));
    });
  }

  drawNumbers(data) {
    const T = data.temperature;
    const steps = [
      matrixTable(say('lab.softmax.1-z-t-t', { T }), data.scaled_logits),
      matrixTable(say('lab.softmax.2-max-along-the'), data.max_logits),
      matrixTable(say('lab.softmax.3-z-t-max'), data.shifted_logits),
      matrixTable(say('lab.softmax.4-exp-step-3'), data.exponentials),
      matrixTable(say('lab.softmax.5-sum-of-step'), data.sums),
      matrixTable(say('lab.softmax.6-probabilities-step-4'), data.probabilities),
      matrixTable(say('lab.softmax.naive-exp-z-t'), data.naive_exponentials,
        data.naive_exponentials.flat().includes(null)
          ? say('lab.softmax.overflowed-float32-this-is')
          : ''),
    ];
    this.$numbers.replaceChildren(...steps);
    this.$numbers.classList.add('steps');
  }

  drawFormula(request, data) {
    const ndim = Array.isArray(data.probabilities[0]) ? 2 : 1;
    const z = firstSlice(request.logits, data.axis, ndim);
    const p = firstSlice(data.probabilities, data.axis, ndim);
    const e = firstSlice(data.exponentials, data.axis, ndim);
    const m = firstSlice(data.max_logits, data.axis, ndim)[0];
    const s = firstSlice(data.sums, data.axis, ndim)[0];
    const T = request.temperature;
    const k = p.indexOf(Math.max(...p));
    const terms = z.map((zj) => `e^(${operand(zj, 3)}/${operand(T)}${minus(m, 3)})`).join(' + ');
    this.$formula.replaceChildren();
    const general = document.createElement('div');
    general.textContent = 'softmax(z)ᵢ = e^(zᵢ/T − max) / Σⱼ e^(zⱼ/T − max)';
    const live = document.createElement('div');
    live.textContent = `p${sub(k)} = e^(${operand(z[k], 3)}/${operand(T)}${minus(m, 3)}) / (${terms}) = ${fmt(e[k], 4)} / ${fmt(s, 4)} = ${fmt(p[k], 4)}`;
    this.$formula.append(general, live);
  }
}
