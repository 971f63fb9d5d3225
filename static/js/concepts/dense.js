// Dense lab: x · W + b through an activation, drawn cell by cell, with shapes and parameter count.

import { fmt, parseNumbers, parseRows, postConcept, py, showCode, svg, wire } from './lab.js';
import { onLangChange, t } from '../i18n.js';

const $x = document.getElementById('dense-x');
const $units = document.getElementById('dense-units');
const $activation = document.getElementById('dense-activation');
const $useBias = document.getElementById('dense-use-bias');
const $seed = document.getElementById('dense-seed');
const $manual = document.getElementById('dense-manual');
const $kernel = document.getElementById('dense-kernel');
const $bias = document.getElementById('dense-bias');
const $figure = document.getElementById('dense-figure');
const $numbers = document.getElementById('dense-numbers');
const $formula = document.getElementById('dense-formula');
const $next = document.getElementById('dense-next');
const $playground = document.getElementById('dense-playground');

const WIDTH = 860;
let last = null;
let selected = [0, 0];

async function buildChoices() {
  const options = await (await fetch('/api/options')).json();
  for (const a of options.activations) {
    const option = document.createElement('option');
    option.value = a.name;
    option.textContent = a.label;
    option.selected = a.name === 'relu';
    $activation.appendChild(option);
  }
}

// Turning manual weights on starts from the weights currently shown.
function onManual() {
  $kernel.disabled = !$manual.checked;
  $bias.disabled = !$manual.checked || !$useBias.checked;
  if ($manual.checked && last && !$kernel.value.trim()) {
    $kernel.value = last.data.kernel.map((row) => row.map((v) => fmt(v, 4)).join(', ')).join('\n');
    if (last.data.bias) $bias.value = last.data.bias.map((v) => fmt(v, 4)).join(', ');
  }
}

function readRequest() {
  const request = {
    x: parseRows($x.value),
    units: Number($units.value),
    activation: $activation.value,
    use_bias: $useBias.checked,
    seed: Number($seed.value),
  };
  if ($manual.checked) {
    request.kernel = parseRows($kernel.value);
    if ($useBias.checked && $bias.value.trim()) request.bias = parseNumbers($bias.value);
  }
  return request;
}

async function compute() {
  onManual();
  const request = readRequest();
  const data = await postConcept('dense', request);
  last = { request, data };
  const [rows, cols] = data.output_shape;
  if (selected[0] >= rows || selected[1] >= cols) selected = [0, 0];
  render();
}

function render() {
  if (!last) return;
  drawFigure(last.data);
  drawFormula(last.data);
  drawNumbers(last.data);
  showCode(code(last.request, last.data));
  const units = last.data.output_shape[1];
  const act = last.data.activation === 'linear' ? 'tanh' : last.data.activation;
  $playground.href = `/?dataset=xor&hidden_layers=${units}&activation=${encodeURIComponent(act)}&learning_rate=0.03`;
}

function drawFigure(data) {
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
    'aria-label': t({ en: 'x times W plus b, then the activation', zh: 'x 乘 W 加 b，再经过激活函数' }) });
  const [sr, sc] = selected;
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
  const select = (r, c) => { selected = [r, c]; render(); };
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
  $figure.replaceChildren(root);
}

function drawFormula(data) {
  const [r, c] = selected;
  const I = data.input_shape[1];
  const paren = (v) => (v < 0 ? `(${fmt(v, 3)})` : fmt(v, 3));
  const products = Array.from({ length: I }, (_, i) => `${paren(data.x[r][i])}·${paren(data.kernel[i][c])}`);
  const bias = data.bias ? ` + ${fmt(data.bias[c], 4)}` : '';
  const general = document.createElement('div');
  general.textContent = `output[r, c] = ${data.activation}(Σᵢ x[r, i] · W[i, c]${data.bias ? ' + b[c]' : ''})`;
  const live = document.createElement('div');
  live.textContent = `output[${r}, ${c}] = ${data.activation}(${products.join(' + ')}${bias}) = `
    + `${data.activation}(${fmt(data.matmul[r][c])}${bias}) = ${data.activation}(${fmt(data.pre_activation[r][c])}) = ${fmt(data.output[r][c])}`;
  const count = document.createElement('div');
  const [, inputs] = data.input_shape;
  const units = data.output_shape[1];
  count.textContent = t({ en: 'parameters', zh: '参数个数' }) + ` = ${inputs} × ${units}`
    + (data.bias ? ` + ${units}` : '') + ` = ${data.parameter_count}`;
  $formula.replaceChildren(general, live, count);
}

function drawNumbers(data) {
  const shapes = document.createElement('table');
  shapes.createCaption().textContent = t({ en: 'Shapes', zh: '形状' });
  const rows = [['x', data.input_shape], ['W (kernel)', data.kernel_shape], ['b (bias)', data.bias_shape],
    ['x · W', data.output_shape], ['output', data.output_shape]];
  for (const [name, shape] of rows) {
    const tr = shapes.insertRow();
    tr.insertCell().textContent = name;
    tr.insertCell().textContent = shape ? `[${shape.join(', ')}]` : '—';
  }
  const total = shapes.insertRow();
  total.className = 'mean';
  total.insertCell().textContent = t({ en: 'parameters (count_params)', zh: '参数个数 (count_params)' });
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
  $numbers.replaceChildren(...tables);
}

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

$next.addEventListener('click', () => {
  if (!last) return;
  const [rows, cols] = last.data.output_shape;
  const k = (selected[0] * cols + selected[1] + 1) % (rows * cols);
  selected = [Math.floor(k / cols), k % cols];
  render();
});
await buildChoices();
$manual.addEventListener('change', onManual);
wire([$x, $units, $activation, $useBias, $seed, $manual, $kernel, $bias], compute);
onLangChange(render);
