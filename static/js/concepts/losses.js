// Losses lab: chosen losses on a batch (per-sample table and mean), and each loss against the prediction.

import { checkboxList, fmt, parseRows, postConcept, py, showCode, wire } from './lab.js';
import { LineChart } from '../widgets/line-chart.js';
import { onLangChange, t } from '../i18n.js';

const COLORS = ['#0877bd', '#f59322', '#2e7d32', '#c62828', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
const DEFAULT = ['mse', 'mae', 'huber', 'binary_crossentropy'];
const POINTS = 99;
const PROBABILITY_RANGE = [0.01, 0.99];
const LOGIT_RANGE = [-4, 4];

const $names = document.getElementById('losses-names');
const $yTrue = document.getElementById('losses-y-true');
const $yPred = document.getElementById('losses-y-pred');
const $fromLogits = document.getElementById('losses-from-logits');
const $target = document.getElementById('losses-target');
const $targetValue = document.getElementById('losses-target-value');
const $start = document.getElementById('losses-start');
const $stop = document.getElementById('losses-stop');
const $numbers = document.getElementById('losses-numbers');
const $formula = document.getElementById('losses-formula');
const $note = document.getElementById('losses-chart-note');
const $playground = document.getElementById('losses-playground');

const colorOf = new Map();
let chart = null;
let last = null;

function makeChart() {
  const box = document.getElementById('losses-chart');
  box.replaceChildren();
  chart = new LineChart(box, { width: 640, height: 340, yLabel: t({ en: 'loss', zh: '损失' }),
    xLabel: $fromLogits.checked ? t({ en: 'prediction (logit z)', zh: '预测值（logit z）' })
      : t({ en: 'prediction p', zh: '预测值 p' }) });
}

async function buildChoices() {
  const { losses } = await (await fetch('/api/options')).json();
  losses.forEach((loss, i) => colorOf.set(loss.name, COLORS[i % COLORS.length]));
  return checkboxList($names, losses, { checked: DEFAULT, colorOf });
}

// Switching from_logits swaps the curve's default range between probabilities and logits.
function onFromLogits() {
  const [from, to] = $fromLogits.checked ? [PROBABILITY_RANGE, LOGIT_RANGE] : [LOGIT_RANGE, PROBABILITY_RANGE];
  if (Number($start.value) === from[0] && Number($stop.value) === from[1]) {
    [$start.value, $stop.value] = to;
  }
  makeChart();
}

function flat(rows) {
  return rows.every((r) => r.length === 1) ? rows.map((r) => r[0]) : rows;
}

function readRequest() {
  return {
    losses: [...$names.querySelectorAll('input:checked')].map((b) => b.value),
    y_true: flat(parseRows($yTrue.value)),
    y_pred: flat(parseRows($yPred.value)),
    from_logits: $fromLogits.checked,
    curve: { target: Number($target.value), start: Number($start.value), stop: Number($stop.value), num: POINTS },
  };
}

async function compute() {
  $targetValue.textContent = $target.value;
  const request = readRequest();
  const data = await postConcept('losses', request);
  last = { request, data };
  render();
}

function render() {
  if (!last) return;
  const { request, data } = last;
  const curve = data.curve;
  chart.update({
    series: curve.series.map((s) => ({ name: s.name, x: curve.y_pred, y: s.values, color: colorOf.get(s.name) })),
    marks: curve.target > curve.y_pred[0] && curve.target < curve.y_pred.at(-1) && !request.from_logits
      ? [{ x: curve.target, label: `y_true = ${curve.target}` }] : [],
  });
  const twoColumn = curve.series.filter((s) => s.columns === 2).map((s) => s.name);
  const pair = request.from_logits ? t({ en: 'the logits [0, z]', zh: 'logits [0, z]' }) : '[1 − p, p]';
  $note.textContent = t({
    en: `One sample with target ${curve.target}.` + (twoColumn.length ? ` Two-class losses (${twoColumn.join(', ')}) use the distributions [1 − t, t] and ${pair}.` : ''),
    zh: `单个样本，目标为 ${curve.target}。` + (twoColumn.length ? `两类损失（${twoColumn.join('、')}）使用分布 [1 − t, t] 与 ${pair}。` : ''),
  });
  drawNumbers(request, data);
  drawFormula(request, data);
  showCode(code(request, data));
  const trainable = data.results.find((r) => r.name !== 'kl_divergence') ?? data.results[0];
  $playground.href = `/?dataset=circle&loss=${encodeURIComponent(trainable.name)}&hidden_layers=4,2&activation=tanh&learning_rate=0.03`;
}

function rowsOf(x) {
  return x.map((v) => (Array.isArray(v) ? v : [v]));
}

function drawNumbers(request, data) {
  const table = document.createElement('table');
  table.createCaption().textContent = t({ en: 'Per-sample loss (the mean is what training minimises)',
    zh: '每个样本的损失（训练最小化的是平均值）' });
  const head = table.createTHead().insertRow();
  for (const h of ['i', 'y_true', 'y_pred', ...data.results.map((r) => r.name + (r.from_logits ? ' (from_logits)' : ''))]) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const body = table.createTBody();
  const yTrue = rowsOf(request.y_true);
  const yPred = rowsOf(request.y_pred);
  yTrue.forEach((row, i) => {
    const tr = body.insertRow();
    tr.insertCell().textContent = String(i);
    tr.insertCell().textContent = `[${row.join(', ')}]`;
    tr.insertCell().textContent = `[${yPred[i].join(', ')}]`;
    for (const r of data.results) tr.insertCell().textContent = fmt(r.per_sample[i]);
  });
  const mean = body.insertRow();
  mean.className = 'mean';
  const label = mean.insertCell();
  label.colSpan = 3;
  label.className = 'label';
  label.textContent = t({ en: 'mean (the loss)', zh: '平均值（即损失）' });
  for (const r of data.results) mean.insertCell().textContent = fmt(r.loss);
  $numbers.replaceChildren(table);
}

// The first sample, written out term by term where the formula is short.
function drawFormula(request, data) {
  const y = rowsOf(request.y_true)[0];
  const p = rowsOf(request.y_pred)[0];
  const k = y.length;
  const lines = data.results.map((r) => {
    const value = fmt(r.per_sample[0]);
    const call = `${r.name}(y_true=[${y.join(', ')}], y_pred=[${p.join(', ')}])`;
    let terms = '';
    if (r.name === 'mse') terms = `(${y.map((v, j) => `(${v} − ${p[j]})²`).join(' + ')}) / ${k}`;
    else if (r.name === 'mae') terms = `(${y.map((v, j) => `|${v} − ${p[j]}|`).join(' + ')}) / ${k}`;
    else if (r.name === 'binary_crossentropy' && !r.from_logits) {
      terms = `−(${y.map((v, j) => `${v}·ln ${p[j]} + ${fmt(1 - v, 4)}·ln ${fmt(1 - p[j], 4)}`).join(' + ')}) / ${k}`;
    } else if (r.name === 'hinge') terms = `(${y.map((v, j) => `max(0, 1 − ${v === 0 ? -1 : v === 1 ? 1 : v}·${p[j]})`).join(' + ')}) / ${k}`;
    else terms = r.description;
    const div = document.createElement('div');
    div.textContent = `${call} = ${terms} = ${value}`;
    div.style.color = colorOf.get(r.name);
    return div;
  });
  $formula.replaceChildren(...lines);
}

function code(request, data) {
  const { from_logits: fromLogits, curve } = request;
  const call = (r, a, b) => `${r.function}(${a}, ${b}${r.from_logits ? ', from_logits=True' : ''})`;
  const lines = [
    'import numpy as np',
    'import tensorflow as tf',
    'import keras',
    '',
    `y_true = np.array(${py(rowsOf(request.y_true))}, dtype="float32")`,
    `y_pred = np.array(${py(rowsOf(request.y_pred))}, dtype="float32")  # ${fromLogits ? 'logits' : 'probabilities'}`,
    '',
    '# per-sample values; their mean is the loss',
  ];
  for (const r of data.results) {
    lines.push(`${r.name} = ${call(r, 'y_true', 'y_pred')}`, `print("${r.name}", ${r.name}.numpy(), float(tf.reduce_mean(${r.name})))`);
  }
  lines.push('', `# curves: one sample with target t, prediction p from ${curve.start} to ${curve.stop}`,
    `t = ${py(curve.target)}`, `p = tf.linspace(${py(curve.start)}, ${py(curve.stop)}, ${curve.num})`);
  for (const s of data.curve.series) {
    const r = data.results.find((x) => x.name === s.name);
    if (s.columns === 2) {
      const two = s.from_logits ? 'tf.stack([tf.zeros_like(p), p], axis=1)' : 'tf.stack([1 - p, p], axis=1)';
      lines.push(`${s.name}_curve = ${call(r, `tf.tile([[1 - t, t]], [${curve.num}, 1])`, two)}`);
    } else {
      lines.push(`${s.name}_curve = ${call(r, `tf.fill([${curve.num}, 1], t)`, 'p[:, None]')}`);
    }
  }
  return lines.join('\n');
}

makeChart();
const boxes = await buildChoices();
$fromLogits.addEventListener('change', onFromLogits);
wire([...boxes, $yTrue, $yPred, $fromLogits, $target, $start, $stop], compute);
onLangChange(() => { makeChart(); render(); });
