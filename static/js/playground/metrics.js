// Accuracy (or mean absolute error for regression) and the test set's confusion matrix, live.

import { css, classColor } from './colors.js';
import { Widget, el, formatNumber, said } from './dom.js';

export class MetricsPanel extends Widget {
  constructor(container, options = {}) {
    super(container, options);
    const list = el('dl', { class: 'pg-metrics' }, container);
    this.$testAccuracyLabel = el('dt', {}, list);
    this.$testAccuracy = el('dd', { id: 'pg-test-accuracy' }, list);
    this.$trainAccuracyLabel = el('dt', {}, list);
    this.$trainAccuracy = el('dd', { id: 'pg-train-accuracy' }, list);
    this.$matrixWrap = el('div', { class: 'pg-confusion-wrap' }, container);
    this._problem = null;
    this._k = 0;
  }

  _labels(problem) {
    this.$testAccuracyLabel.replaceChildren();
    this.$trainAccuracyLabel.replaceChildren();
    if (problem === 'regression') {
      said(this.$testAccuracyLabel, 'playground.test-mae');
      said(this.$trainAccuracyLabel, 'playground.training-mae');
    } else {
      said(this.$testAccuracyLabel, 'playground.test-accuracy');
      said(this.$trainAccuracyLabel, 'playground.training-accuracy');
    }
  }

  // data: a frame header (problem, metrics, train_metrics).
  update({ problem, metrics, train_metrics: train }) {
    if (problem !== this._problem) {
      this._problem = problem;
      this._labels(problem);
    }
    const key = problem === 'regression' ? 'mae' : 'accuracy';
    const test = metrics[key] ?? null;
    this.$testAccuracy.textContent = formatNumber(test, 3);
    this.$testAccuracy.dataset.value = test === null ? '' : String(test);
    this.$trainAccuracy.textContent = formatNumber(train[key] ?? null, 3);
    this._matrix(metrics.confusion_matrix);
    return this;
  }

  _matrix(matrix) {
    if (!matrix) {
      this.$matrixWrap.replaceChildren();
      this._k = 0;
      return;
    }
    const k = matrix.length;
    if (k !== this._k) {
      this._k = k;
      this.$matrixWrap.replaceChildren();
      said(el('p', { class: 'pg-confusion-title' }, this.$matrixWrap), 'playground.test-confusion-matrix-rows');
      const table = el('table', { class: 'pg-confusion', id: 'pg-confusion' }, this.$matrixWrap);
      const headRow = el('tr', {}, el('thead', {}, table));
      el('th', { scope: 'col', text: '' }, headRow);
      for (let c = 0; c < k; c++) {
        const th = el('th', { scope: 'col', text: String(c) }, headRow);
        th.style.color = css(classColor(c));
      }
      const body = el('tbody', {}, table);
      this._cells = [];
      for (let r = 0; r < k; r++) {
        const tr = el('tr', {}, body);
        const th = el('th', { scope: 'row', text: String(r) }, tr);
        th.style.color = css(classColor(r));
        this._cells.push(Array.from({ length: k }, () => el('td', {}, tr)));
      }
    }
    const total = matrix.flat().reduce((a, b) => a + b, 0) || 1;
    matrix.forEach((row, r) => row.forEach((n, c) => {
      const cell = this._cells[r][c];
      cell.textContent = String(n);
      const share = n / total;
      cell.style.background = r === c ? `rgba(46, 125, 50, ${Math.min(0.6, share * 2)})` : `rgba(198, 40, 40, ${Math.min(0.6, share * 4)})`;
    }));
  }

  reset() {
    this.$testAccuracy.textContent = '–';
    this.$trainAccuracy.textContent = '–';
    return this;
  }
}
