// Dense lab: x · W + b through an activation, drawn cell by cell, with shapes and parameter count.

import { fmt, inputNumber, parseNumbers, parseRows, postConcept, py, showCode, svg } from './lab.js';
import { say } from '../i18n.js';
import { getOptions } from '../api.js';
import { localised } from '../playground/dom.js';
import { LabWidget } from './widget.js';
import { operand, plus } from './notation.js';

const WIDTH = 860;

function code(request, data) {
  const lines = [
    'import numpy as np',
    'import keras',
    '',
    `x = np.array(${py(request.x)}, dtype="float32")`,
    `layer = keras.layers.Dense(${request.units}, activation=${py(request.activation)}, use_bias=${py(request.use_bias)},`,
    `                           kernel_initializer=keras.initializers.GlorotUniform(seed=${request.seed}))`,
    'layer.build(x.shape)',
  ];
  if (request.kernel) {
    lines.push(`kernel = np.array(${py(request.kernel)}, dtype="float32")`);
    if (data.bias) {
      lines.push(request.bias ? `bias = np.array(${py(request.bias)}, dtype="float32")` : 'bias = layer.bias.numpy()',
        'layer.set_weights([kernel, bias])');
    } else {
      lines.push('layer.set_weights([kernel])');
    }
  }
  lines.push('', 'print("W =", layer.kernel.numpy())');
  if (data.bias) lines.push('print("b =", layer.bias.numpy())');
  lines.push(`print("x @ W${data.bias ? ' + b' : ''} =", x @ layer.kernel.numpy()${data.bias ? ' + layer.bias.numpy()' : ''})`,
    'print("output =", layer(x).numpy())', 'print("parameters:", layer.count_params())');
  return lines.join('\n');
}

export default class DenseLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$x = this.$('dense-x');
    this.$units = this.$('dense-units');
    this.$activation = this.$('dense-activation');
    this.$useBias = this.$('dense-use-bias');
    this.$seed = this.$('dense-seed');
    this.$manual = this.$('dense-manual');
    this.$kernel = this.$('dense-kernel');
    this.$bias = this.$('dense-bias');
    this.$figure = this.$('dense-figure');
    this.$numbers = this.$('dense-numbers');
    this.$formula = this.$('dense-formula');
    this.$next = this.$('dense-next');
    this.$playground = this.$('dense-playground');
    this._selected = [0, 0];
  }

  async start() {
    this.$next.addEventListener('click', () => {
      if (!this._last) return;
      const [rows, cols] = this._last.data.output_shape;
      const k = (this._selected[0] * cols + this._selected[1] + 1) % (rows * cols);
      this._selected = [Math.floor(k / cols), k % cols];
      this.render();
    });
    await this.buildChoices();
    this.$manual.addEventListener('change', () => this.onManual());
    this.listen([this.$x, this.$units, this.$activation, this.$useBias, this.$seed, this.$manual, this.$kernel, this.$bias]);
  }

  async buildChoices() {
    const options = await getOptions();
    for (const a of options.activations) {
      const option = document.createElement('option');
      option.value = a.name;
      localised(option, { en: a.label, zh: a.label_zh || a.label });
      option.selected = a.name === 'relu';
      this.$activation.appendChild(option);
    }
  }

  // Turning manual weights on starts from the weights currently shown.
  onManual() {
    this.$kernel.disabled = !this.$manual.checked;
    this.$bias.disabled = !this.$manual.checked || !this.$useBias.checked;
    if (this.$manual.checked && this._last && !this.$kernel.value.trim()) {
      this.$kernel.value = this._last.data.kernel.map((row) => row.map((v) => inputNumber(v)).join(', ')).join('\n');
      if (this._last.data.bias) this.$bias.value = this._last.data.bias.map((v) => inputNumber(v)).join(', ');
    }
  }

  readRequest() {
    const request = {
      x: parseRows(this.$x),
      units: Number(this.$units.value),
      activation: this.$activation.value,
      use_bias: this.$useBias.checked,
      seed: Number(this.$seed.value),
    };
    if (this.$manual.checked) {
      request.kernel = parseRows(this.$kernel);
      if (this.$useBias.checked && this.$bias.value.trim()) request.bias = parseNumbers(this.$bias);
    }
    return request;
  }

  async compute() {
    this.onManual();
    const request = this.readRequest();
    const data = await postConcept('dense', request);
    this._last = { request, data };
    const [rows, cols] = data.output_shape;
    if (this._selected[0] >= rows || this._selected[1] >= cols) this._selected = [0, 0];
    this.render();
  }

  render() {
    if (!this._last) return;
    this.drawFigure(this._last.data);
    this.drawFormula(this._last.data);
    this.drawNumbers(this._last.data);
    showCode(code(this._last.request, this._last.data));
    const units = this._last.data.output_shape[1];
    const act = this._last.data.activation === 'linear' ? 'tanh' : this._last.data.activation;
    this.$playground.href = `/?dataset=xor&hidden_layers=${units}&activation=${encodeURIComponent(act)}&learning_rate=0.03`;
  }

  drawFigure(data) {
    const [B, I] = data.input_shape;
    const U = data.output_shape[1];
    const hasBias = data.bias !== null;
    const gap = 34;
    const columns = I + U * (hasBias ? 5 : 3); // x, then W, x·W, (b, z,) output
    const cell = Math.max(8, Math.min(60, (WIDTH - gap * (hasBias ? 5 : 3) - 20) / columns));
    const cellH = Math.min(34, cell * 0.7);
    const rows = Math.max(B, I);
    const height = rows * cellH + 70;
    const showValues = cell >= 34;
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'dense-product',
      'aria-label': say('lab.dense.x-times-w-plus') });
    const [sr, sc] = this._selected;
    let left = 10;
    const top = 36;
    const matrix = (values, kind, title, highlight, onClick, shape = null) => {
      const m = values.length;
      const n = values[0].length;
      svg('text', { x: left + (n * cell) / 2, y: 16, 'text-anchor': 'middle', class: 'heading' }, root).textContent = title;
      svg('text', { x: left + (n * cell) / 2, y: top + m * cellH + 16, 'text-anchor': 'middle', class: 'shape' }, root)
        .textContent = `[${shape ?? [m, n].join(', ')}]`;
      values.forEach((row, r) => row.forEach((v, c) => {
        const classes = ['cell', kind];
        if (highlight(r, c)) classes.push(kind === 'out' && r === sr && c === sc ? 'selected' : 'hl');
        const rect = svg('rect', { x: left + c * cell, y: top + r * cellH, width: cell - 2, height: cellH - 2,
          class: classes.join(' '), 'data-r': r, 'data-c': c }, root);
        if (onClick) rect.addEventListener('click', () => onClick(r, c));
        if (showValues) {
          svg('text', { x: left + c * cell + cell / 2 - 1, y: top + r * cellH + cellH / 2 + 3, 'text-anchor': 'middle',
            class: 'value', 'pointer-events': 'none' }, root).textContent = fmt(v, 3);
        }
      }));
      left += n * cell;
    };
    const op = (text) => {
      svg('text', { x: left + gap / 2, y: top + (rows * cellH) / 2 + 5, 'text-anchor': 'middle', class: 'op' }, root)
        .textContent = text;
      left += gap;
    };
    const select = (r, c) => { this._selected = [r, c]; this.render(); };
    matrix(data.x, 'x', 'x', (r) => r === sr);
    op('·');
    matrix(data.kernel, 'w', 'W', (r, c) => c === sc);
    op('=');
    matrix(data.matmul, 'out', 'x · W', (r, c) => r === sr && c === sc, select);
    if (hasBias) {
      op('+');
      matrix([data.bias], 'b', 'b', (r, c) => c === sc, null, String(U));
      op('=');
      matrix(data.pre_activation, 'out', 'z', (r, c) => r === sr && c === sc, select);
    }
    op('→');
    matrix(data.output, 'out', `${data.activation}(z)`, (r, c) => r === sr && c === sc, select);
    this.$figure.replaceChildren(root);
  }

  drawFormula(data) {
    const [r, c] = this._selected;
    const I = data.input_shape[1];
    const paren = (v) => operand(v, 3);
    const products = Array.from({ length: I }, (_, i) => `${paren(data.x[r][i])}·${paren(data.kernel[i][c])}`);
    const bias = data.bias ? plus(data.bias[c], 4) : '';
    const general = document.createElement('div');
    general.textContent = `output[r, c] = ${data.activation}(Σᵢ x[r, i] · W[i, c]${data.bias ? ' + b[c]' : ''})`;
    const live = document.createElement('div');
    live.textContent = `output[${r}, ${c}] = ${data.activation}(${products.join(' + ')}${bias}) = `
      + `${data.activation}(${fmt(data.matmul[r][c])}${bias}) = ${data.activation}(${fmt(data.pre_activation[r][c])}) = ${fmt(data.output[r][c])}`;
    const count = document.createElement('div');
    const [, inputs] = data.input_shape;
    const units = data.output_shape[1];
    count.textContent = say('lab.dense.parameters') + ` = ${inputs} × ${units}`
      + (data.bias ? ` + ${units}` : '') + ` = ${data.parameter_count}`;
    this.$formula.replaceChildren(general, live, count);
  }

  drawNumbers(data) {
    const shapes = document.createElement('table');
    shapes.createCaption().textContent = say('lab.dense.shapes');
    const rows = [['x', data.input_shape], [say('lab.dense.kernel-row'), data.kernel_shape], [say('lab.dense.bias-row'), data.bias_shape],
      ['x · W', data.output_shape], [say('lab.dense.output-row'), data.output_shape]];
    for (const [name, shape] of rows) {
      const tr = shapes.insertRow();
      tr.insertCell().textContent = name;
      tr.insertCell().textContent = shape ? `[${shape.join(', ')}]` : '—';
    }
    const total = shapes.insertRow();
    total.className = 'mean';
    total.insertCell().textContent = say('lab.dense.parameters-count-params');
    total.insertCell().textContent = String(data.parameter_count);
    const matrixTable = (title, values) => {
      const table = document.createElement('table');
      table.createCaption().textContent = title;
      for (const row of values) {
        const tr = table.insertRow();
        for (const v of row) tr.insertCell().textContent = fmt(v, 5);
      }
      return table;
    };
    const tables = [shapes, matrixTable('W', data.kernel)];
    if (data.bias) tables.push(matrixTable('b', [data.bias]));
    tables.push(matrixTable('x · W', data.matmul));
    if (data.bias) tables.push(matrixTable('x · W + b', data.pre_activation));
    tables.push(matrixTable(`${data.activation}(x · W${data.bias ? ' + b' : ''})`, data.output));
    this.$numbers.replaceChildren(...tables);
  }
}
