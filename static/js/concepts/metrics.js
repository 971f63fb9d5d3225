// Metrics lab: labels and predictions -> confusion matrix, precision/recall/F1/AUC and the ROC curve
// (or regression errors); the threshold slider moves the point along the ROC curve.

import { fmt, parseNumbers, postConcept, py, showCode } from './lab.js';
import { LineChart } from '../widgets/line-chart.js';
import { say } from '../i18n.js';
import { LabWidget } from './widget.js';
import { squared } from './notation.js';

function table(title, headings, rows) {
  const el = document.createElement('table');
  el.createCaption().textContent = title;
  const head = el.createTHead().insertRow();
  for (const h of headings) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const body = el.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const v of row) tr.insertCell().textContent = String(v);
  }
  return el;
}

function binaryCode({ y_true: yTrue, y_pred: yPred, threshold }) {
  return [
    'import numpy as np',
    'import tensorflow as tf',
    'import keras',
    '',
    `y_true = np.array(${py(yTrue)}, dtype="float32")`,
    `y_pred = np.array(${py(yPred)}, dtype="float32")`,
    `threshold = ${py(threshold)}  # positive when y_pred > threshold`,
    '',
    'for metric in [keras.metrics.BinaryAccuracy(threshold=threshold), keras.metrics.Precision(thresholds=threshold),',
    '               keras.metrics.Recall(thresholds=threshold)]:',
    '    metric.update_state(y_true, y_pred)',
    '    print(metric.name, float(metric.result()))',
    'f1 = keras.metrics.F1Score(threshold=threshold)',
    'f1.update_state(y_true[:, None], y_pred[:, None])',
    'print("f1", float(f1.result()[0]))',
    '# AUC at every distinct prediction: the exact area under the ROC curve',
    'auc = keras.metrics.AUC(thresholds=sorted(set(y_pred.tolist())))',
    'auc.update_state(y_true, y_pred)',
    'print("auc", float(auc.result()))',
    '# rows: true class 0, 1; columns: predicted class 0, 1',
    'print(tf.math.confusion_matrix(y_true.astype(int), (y_pred > threshold).astype(int)).numpy())',
  ].join('\n');
}

function regressionCode({ y_true: yTrue, y_pred: yPred }) {
  return [
    'import numpy as np',
    'import keras',
    '',
    `y_true = np.array(${py(yTrue)}, dtype="float32")`,
    `y_pred = np.array(${py(yPred)}, dtype="float32")`,
    '',
    'for metric in [keras.metrics.MeanAbsoluteError(), keras.metrics.MeanSquaredError(),',
    '               keras.metrics.RootMeanSquaredError()]:',
    '    metric.update_state(y_true, y_pred)',
    '    print(metric.name, float(metric.result()))',
    'r2 = keras.metrics.R2Score()',
    'r2.update_state(y_true[:, None], y_pred[:, None])',
    'print("r2", float(r2.result()))',
  ].join('\n');
}

export default class MetricsLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$problem = this.$('metrics-problem');
    this.$yTrue = this.$('metrics-y-true');
    this.$yPred = this.$('metrics-y-pred');
    this.$threshold = this.$('metrics-threshold');
    this.$thresholdValue = this.$('metrics-threshold-value');
    this.$thresholdBox = this.$('metrics-threshold-box');
    this.$confusionBox = this.$('metrics-confusion-box');
    this.$confusion = this.$('metrics-confusion');
    this.$numbers = this.$('metrics-numbers');
    this.$formula = this.$('metrics-formula');
    this.$chartBox = this.$('metrics-chart');
    this.texts = {
      binary: { y_true: this.$yTrue.value, y_pred: this.$yPred.value },
      regression: { y_true: '3, -0.5, 2, 7, 4.2, 1', y_pred: '2.5, 0, 2, 8, 3.9, 1.6' },
    };
    this._problem = this.$problem.value;
    this._chart = null;
  }

  async start() {
    this.makeChart(this._problem);
    this.listen([this.$problem, this.$yTrue, this.$yPred, this.$threshold]);
  }

  languageChanged() {
    this.makeChart(this._problem);
    this.render();
  }

  makeChart(kind) {
    this.$chartBox.replaceChildren();
    this._chart = kind === 'binary'
      ? new LineChart(this.$chartBox, { width: 420, height: 300, xLabel: say('lab.metrics.false-positive-rate'),
        yLabel: say('lab.metrics.true-positive-rate-recall'), yRange: [0, 1] })
      : new LineChart(this.$chartBox, { width: 420, height: 300, xLabel: say('lab.metrics.sample'), yLabel: 'y' });
  }

  switchProblem() {
    this.texts[this._problem] = { y_true: this.$yTrue.value, y_pred: this.$yPred.value };
    this._problem = this.$problem.value;
    this.$yTrue.value = this.texts[this._problem].y_true;
    this.$yPred.value = this.texts[this._problem].y_pred;
    this.makeChart(this._problem);
  }

  readRequest() {
    if (this.$problem.value !== this._problem) this.switchProblem();
    const request = { problem: this._problem, y_true: parseNumbers(this.$yTrue), y_pred: parseNumbers(this.$yPred) };
    if (this._problem === 'binary') request.threshold = Number(this.$threshold.value);
    return request;
  }

  async compute() {
    this.$thresholdValue.textContent = this.$threshold.value;
    const request = this.readRequest();
    const data = await postConcept('metrics', request);
    this._last = { request, data };
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    const binary = data.problem === 'binary';
    this.$thresholdBox.hidden = !binary;
    this.$confusionBox.hidden = !binary;
    this.$('metrics-y-true-hint').textContent = binary
      ? say('lab.metrics.labels-0-or-1') : say('lab.metrics.targets');
    this.$('metrics-y-pred-hint').textContent = binary
      ? say('lab.metrics.probabilities-in-0-1') : say('lab.metrics.predictions');
    if (binary) this.renderBinary(request, data.classification);
    else this.renderRegression(request, data.regression);
    showCode(binary ? binaryCode(request) : regressionCode(request));
  }

  renderBinary(request, m) {
    this._chart.update({
      series: [
        { name: say('lab.metrics.roc-curve'), x: m.roc.false_positive_rates, y: m.roc.true_positive_rates },
        { name: say('lab.metrics.chance'), x: [0, 1], y: [0, 1], color: '#999', dashed: true },
        { name: say('lab.metrics.threshold-legend', { threshold: m.threshold }), x: [m.false_positive_rate],
          y: [m.true_positive_rate], color: '#c62828', points: true },
      ],
    });
    const [[tn, fp], [fn, tp]] = m.confusion_matrix;
    this.$confusion.replaceChildren();
    const head = this.$confusion.insertRow();
    for (const text of ['', say('lab.metrics.predicted-0'), say('lab.metrics.predicted-1')]) {
      const th = document.createElement('th');
      th.textContent = text;
      head.appendChild(th);
    }
    const cells = [[say('lab.metrics.true-0'), [tn, 'TN', 'hit'], [fp, 'FP', 'miss']],
      [say('lab.metrics.true-1'), [fn, 'FN', 'miss'], [tp, 'TP', 'hit']]];
    for (const [label, ...row] of cells) {
      const tr = this.$confusion.insertRow();
      const th = document.createElement('th');
      th.textContent = label;
      tr.appendChild(th);
      for (const [count, name, kind] of row) {
        const td = tr.insertCell();
        td.className = kind;
        td.dataset.cell = name;
        td.textContent = String(count);
        const small = document.createElement('small');
        small.textContent = name;
        td.appendChild(small);
      }
    }
    const n = tn + fp + fn + tp;
    const lines = [
      `accuracy = (TP + TN) / n = (${tp} + ${tn}) / ${n} = ${fmt(m.accuracy)}`,
      `precision = TP / (TP + FP) = ${tp} / (${tp} + ${fp}) = ${fmt(m.precision)}`,
      `recall = TP / (TP + FN) = ${tp} / (${tp} + ${fn}) = ${fmt(m.recall)}`,
      `F1 = 2 · precision · recall / (precision + recall) = 2 · ${fmt(m.precision)} · ${fmt(m.recall)} / (${fmt(m.precision)} + ${fmt(m.recall)}) = ${fmt(m.f1)}`,
      `AUC = ${fmt(m.auc)}   (${say('lab.metrics.roc-point-at-this')}: FPR = ${fp} / ${fp + tn} = ${fmt(m.false_positive_rate)}, TPR = ${fmt(m.true_positive_rate)})`,
    ];
    this.setFormula(lines);
    const summary = table(say('lab.metrics.metrics-keras-metrics'), [say('lab.metrics.metric'), say('lab.metrics.value')],
      [[say('lab.metrics.accuracy'), m.accuracy], [say('lab.metrics.precision'), m.precision], [say('lab.metrics.recall'), m.recall], ['F1', m.f1], ['AUC', m.auc]]
        .map(([k, v]) => [k, fmt(v)]));
    const samples = table(say('lab.metrics.each-sample-at-threshold', { threshold: m.threshold }),
      ['i', 'y_true', 'y_pred', say('lab.metrics.predicted'), say('lab.metrics.outcome')],
      request.y_true.map((y, i) => {
        const predicted = request.y_pred[i] > m.threshold ? 1 : 0;
        const outcome = `${predicted === y ? 'T' : 'F'}${predicted ? 'P' : 'N'}`;
        return [i, y, request.y_pred[i], predicted, outcome];
      }));
    this.$numbers.replaceChildren(summary, samples);
  }

  renderRegression(request, m) {
    const index = request.y_true.map((_, i) => i);
    this._chart.update({
      series: [
        { name: 'y_true', x: index, y: request.y_true, points: true },
        { name: 'y_pred', x: index, y: request.y_pred, points: true, dashed: true },
      ],
    });
    const n = request.y_true.length;
    const errors = request.y_true.map((y, i) => y - request.y_pred[i]);
    const mean = request.y_true.reduce((a, b) => a + b, 0) / n;
    this.setFormula([
      `MAE = Σ|y − ŷ| / n = (${errors.map((e) => fmt(Math.abs(e), 3)).join(' + ')}) / ${n} = ${fmt(m.mean_absolute_error)}`,
      `MSE = Σ(y − ŷ)² / n = (${errors.map((e) => squared(e, 3)).join(' + ')}) / ${n} = ${fmt(m.mean_squared_error)}`,
      `RMSE = √MSE = ${fmt(m.root_mean_squared_error)}`,
      `R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²,  ȳ = ${fmt(mean)}  →  R² = ${fmt(m.r2)}`,
    ]);
    const summary = table(say('lab.metrics.metrics-keras-metrics'), [say('lab.metrics.metric'), say('lab.metrics.value')],
      [['MAE', m.mean_absolute_error], ['MSE', m.mean_squared_error], ['RMSE', m.root_mean_squared_error], ['R²', m.r2]]
        .map(([k, v]) => [k, fmt(v)]));
    const samples = table(say('lab.metrics.each-sample'), ['i', 'y_true', 'y_pred', 'y − ŷ'],
      request.y_true.map((y, i) => [i, fmt(y), fmt(request.y_pred[i]), fmt(errors[i])]));
    this.$numbers.replaceChildren(summary, samples);
  }

  setFormula(lines) {
    this.$formula.replaceChildren(...lines.map((text) => {
      const div = document.createElement('div');
      div.textContent = text;
      return div;
    }));
  }
}
