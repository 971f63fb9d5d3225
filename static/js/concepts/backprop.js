// Backprop lab: a small network with explicit weights; step back layer by layer through the chain-rule factors.

import { fmt, parseNumbers, parseRows, postConcept, py, showCode, showLines, svg, table, wire } from './lab.js';
import { both, say } from '../i18n.js';
import { getOptions } from '../api.js';
import { localised } from '../playground/dom.js';
import { LabWidget } from './widget.js';
import { operand, plus } from './notation.js';

const PRESETS = {
  mazur: {
    x: [0.05, 0.1], y_true: [0.01, 0.99], loss: 'mse', learning_rate: 0.5,
    layers: [{ kernel: [[0.15, 0.25], [0.2, 0.3]], bias: [0.35, 0.35], activation: 'sigmoid' },
      { kernel: [[0.4, 0.5], [0.45, 0.55]], bias: [0.6, 0.6], activation: 'sigmoid' }],
  },
  xor: {
    x: [1, 0], y_true: [1], loss: 'binary_crossentropy', learning_rate: 0.5,
    layers: [{ kernel: [[0.5, -0.4, 0.3], [0.2, 0.6, -0.7]], bias: [0, 0.1, -0.1], activation: 'tanh' },
      { kernel: [[0.8], [-0.5], [0.4]], bias: [0.05], activation: 'sigmoid' }],
  },
  chain: {
    x: [1.5], y_true: [1], loss: 'mse', learning_rate: 0.1,
    layers: [{ kernel: [[0.8]], bias: [0.1], activation: 'relu' }, { kernel: [[-1.2]], bias: [0.3], activation: 'linear' }],
  },
};
const WIDTH = 680;
const ROW = 70;
const GRADIENT = '#c62828';

// A catalogue entry in every language; CSS shows the current one.
function bilingual(key, params = {}) {
  const text = both(key, params);
  const spans = [['en', text.en], ['zh', text.zh]].map(([lang, text]) => {
    const span = document.createElement('span');
    span.dataset.lang = lang;
    span.textContent = text;
    return span;
  });
  const wrap = document.createElement('span');
  wrap.append(...spans);
  return wrap;
}

function field(tag, className, value, ariaLabel) {
  const el = document.createElement(tag);
  el.className = className;
  el.spellcheck = false;
  el.value = value;
  el.setAttribute('aria-label', ariaLabel);
  return el;
}

// "(2)" as superscript: the layer index of a weight matrix.
function sup(n) {
  return `⁽${String(n).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)])}⁾`;
}

export default class BackpropLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$preset = this.$('bp-preset');
    this.$x = this.$('bp-x');
    this.$layers = this.$('bp-layers');
    this.$yTrue = this.$('bp-y-true');
    this.$loss = this.$('bp-loss');
    this.$lr = this.$('bp-learning-rate');
    this.$h = this.$('bp-h');
    this.$network = this.$('bp-network');
    this.$factors = this.$('bp-factors');
    this.$status = this.$('bp-status');
    this.$summary = this.$('bp-summary');
    this.$numbers = this.$('bp-numbers');
    this.$formula = this.$('bp-formula');
    this.$playground = this.$('bp-playground');
    this._activations = [];
    this._back = 0;
  }

  async start() {
    this.$('bp-forward').addEventListener('click', () => { this._back = 0; this.render(); });
    this.$('bp-back').addEventListener('click', () => {
      if (!this._last) return;
      this._back = this._back >= this._last.data.layers.length ? 0 : this._back + 1;
      this.render();
    });
    this.$('bp-all').addEventListener('click', () => { if (this._last) { this._back = this._last.data.layers.length; this.render(); } });
    await this.setup();
  }

  layerEditor(layer, i, inputs) {
    const box = document.createElement('fieldset');
    box.className = 'bp-layer';
    const legend = document.createElement('legend');
    legend.append(bilingual('lab.backprop.layer-number', { layer: i + 1 }));
    const select = document.createElement('select');
    select.className = 'bp-activation';
    select.setAttribute('aria-label', `activation ${i + 1}`);
    for (const name of this._activations) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      select.appendChild(option);
    }
    select.value = layer.activation;
    const kernel = field('textarea', 'bp-kernel', layer.kernel.map((row) => row.join(', ')).join('\n'), `kernel ${i + 1}`);
    kernel.rows = Math.max(1, inputs);
    const bias = field('input', 'bp-bias', layer.bias.join(', '), `bias ${i + 1}`);
    const label = (text, el) => {
      const l = document.createElement('label');
      l.append(text, el);
      return l;
    };
    box.append(legend, label(bilingual('field.activation'), select),
      label(bilingual('lab.backprop.kernel-rows'), kernel), label(bilingual('field.bias'), bias));
    return box;
  }

  applyPreset() {
    const p = PRESETS[this.$preset.value];
    if (!p) return;
    this.$x.value = p.x.join(', ');
    this.$yTrue.value = p.y_true.join(', ');
    this.$loss.value = p.loss;
    this.$lr.value = p.learning_rate;
    let inputs = p.x.length;
    this.$layers.replaceChildren(...p.layers.map((layer, i) => {
      const editor = this.layerEditor(layer, i, inputs);
      inputs = layer.bias.length;
      return editor;
    }));
    this._back = 0;
  }

  readRequest() {
    const layers = [...this.$layers.querySelectorAll('.bp-layer')].map((box) => ({
      kernel: parseRows(box.querySelector('.bp-kernel')),
      bias: parseNumbers(box.querySelector('.bp-bias')),
      activation: box.querySelector('.bp-activation').value,
    }));
    return {
      x: parseNumbers(this.$x), layers, y_true: parseNumbers(this.$yTrue), loss: this.$loss.value,
      learning_rate: Number(this.$lr.value), finite_difference_step: Number(this.$h.value),
    };
  }

  async compute() {
    const request = this.readRequest();
    const data = await postConcept('backprop', request);
    this._last = { request, data };
    this._back = Math.min(this._back, data.layers.length);
    this.render();
  }

  render() {
    if (!this._last) return;
    const { request, data } = this._last;
    this.drawNetwork(data);
    this.drawFactors(data);
    this.drawFormula(data);
    this.drawNumbers(data);
    showCode(this.code(request, data));
    const hidden = data.layers.slice(0, -1).map((l) => l.output.length).join(',');
    this.$playground.href = `/?dataset=xor&hidden_layers=${hidden}&activation=${encodeURIComponent(data.layers[0].activation)}` +
      `&learning_rate=${request.learning_rate}`;
  }

  current(data) {
    return this._back === 0 ? null : data.layers.length - this._back; // index of the layer being stepped through
  }

  drawNetwork(data) {
    const widths = [data.x.length, ...data.layers.map((l) => l.output.length)];
    const rows = Math.max(...widths);
    const height = 60 + rows * ROW;
    const columns = widths.length + 1; // + the loss
    const step = (WIDTH - 140) / (columns - 1);
    const pos = (c, j) => ({ x: 60 + c * step, y: 40 + (height - 40) / 2 + (j - (widths[c] - 1) / 2) * ROW });
    const now = this.current(data);
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'bp-network',
      'aria-label': say('lab.backprop.the-network-with-its') });
    data.layers.forEach((layer, l) => {
      const active = now === l;
      const revealed = now !== null && l >= now;
      layer.kernel.forEach((row, i) => row.forEach((w, j) => {
        const a = pos(l, i);
        const b = pos(l + 1, j);
        svg('line', { x1: a.x + 16, y1: a.y, x2: b.x - 16, y2: b.y, class: `edge${active ? ' active' : ''}` }, root);
        const label = active ? `∂L/∂w ${fmt(layer.gradients.kernel[i][j], 3)}` : `w ${fmt(w, 3)}`;
        const f = 0.3;
        svg('text', { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f - 3, 'text-anchor': 'middle',
          class: `value${active ? ' gradient' : ''}` }, root).textContent = label;
      }));
      if (revealed && !active) {
        svg('text', { x: pos(l + 1, 0).x, y: 28, 'text-anchor': 'middle', class: 'tick' }, root).textContent = '✓ ∂L/∂w';
      }
    });
    const lossPos = { x: 60 + (columns - 1) * step, y: 40 + (height - 40) / 2 };
    widths.forEach((n, c) => {
      for (let j = 0; j < n; j += 1) {
        const p = pos(c, j);
        const layer = c > 0 ? data.layers[c - 1] : null;
        const active = layer && now === c - 1;
        if (c === widths.length - 1) svg('line', { x1: p.x + 16, y1: p.y, x2: lossPos.x - 22, y2: lossPos.y, class: 'edge' }, root);
        svg('circle', { cx: p.x, cy: p.y, r: 16, class: `node${active ? ' active' : ''}` }, root);
        svg('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle', class: 'value' }, root).textContent =
          fmt(c === 0 ? data.x[j] : layer.output[j], 3);
        if (layer && now !== null && c - 1 >= now) {
          svg('text', { x: p.x, y: p.y + 30, 'text-anchor': 'middle', class: 'value gradient' }, root).textContent =
            `∂L/∂z ${fmt(layer.dloss_dz[j], 3)}`;
        }
      }
      svg('text', { x: pos(c, 0).x, y: 14, 'text-anchor': 'middle', class: 'heading' }, root).textContent =
        c === 0 ? 'x' : `${say('lab.backprop.layer')} ${c} · ${data.layers[c - 1].activation}`;
    });
    svg('rect', { x: lossPos.x - 22, y: lossPos.y - 16, width: 44, height: 32, rx: 6, class: 'loss-node' }, root);
    svg('text', { x: lossPos.x, y: lossPos.y + 4, 'text-anchor': 'middle', class: 'value' }, root).textContent = fmt(data.loss, 3);
    svg('text', { x: lossPos.x, y: 14, 'text-anchor': 'middle', class: 'heading' }, root).textContent = `L (${data.loss_name})`;
    this.$network.replaceChildren(root);
    this.$status.textContent = now === null
      ? say('lab.backprop.forward-pass-values-a')
      : say('lab.backprop.back-through-layer-of', { layer: now + 1, layers: data.layers.length });
  }

  // The factors being multiplied in the current layer (or the forward sums before any step back).
  drawFactors(data) {
    const now = this.current(data);
    if (now === null) {
      const parts = data.layers.map((layer, l) => table(
        say('lab.backprop.layer-z-a-prev', { layer: l + 1, activation: layer.activation }),
        [say('lab.backprop.neuron'), 'z', 'a'],
        layer.output.map((a, j) => [
          String(j),
          `${layer.inputs.map((v, i) => `${operand(v, 3)}·${operand(layer.kernel[i][j], 3)}`).join(' + ')}${plus(layer.bias[j], 3)} = ${fmt(layer.pre_activation[j])}`,
          fmt(a)])));
      this.$factors.replaceChildren(...parts);
      return;
    }
    const layer = data.layers[now];
    const source = now === data.layers.length - 1
      ? say('lab.backprop.from-the-loss')
      : say('lab.backprop.w-l-z-of', { superscript: sup(now + 2), layer: now + 2 });
    const neurons = table(
      say('lab.backprop.layer-each-neuron-l', { layer: now + 1, source }),
      [say('lab.backprop.neuron'), 'z', '∂L/∂a', `× ∂a/∂z = ${layer.activation}′(z)`, '= ∂L/∂z'],
      layer.output.map((_, j) => [String(j), fmt(layer.pre_activation[j], 6), fmt(layer.dloss_da[j], 6), fmt(layer.da_dz[j], 6),
        fmt(layer.dloss_dz[j], 6)]));
    const weights = [];
    const row = (name, a, dz, grad, fd, before, after) => weights.push([name, fmt(a, 6), fmt(dz, 6), fmt(grad, 6), fmt(fd, 6),
      `${fmt(before, 6)} → ${fmt(after, 6)}`]);
    layer.kernel.forEach((weightsOfInput, i) => weightsOfInput.forEach((w, j) => row(`W[${i}][${j}]`, layer.inputs[i],
      layer.dloss_dz[j], layer.gradients.kernel[i][j], layer.finite_differences.kernel[i][j], w, layer.updated.kernel[i][j])));
    layer.bias.forEach((b, j) => row(`b[${j}]`, 1, layer.dloss_dz[j], layer.gradients.bias[j], layer.finite_differences.bias[j],
      b, layer.updated.bias[j]));
    const params = table(
      say('lab.backprop.its-weights-l-w', { learning_rate: data.learning_rate }),
      [say('lab.backprop.parameter'), 'a_prev', '× ∂L/∂z', say('lab.backprop.l-w-tape'),
        say('lab.backprop.finite-difference'), say('lab.backprop.after-one-step')],
      weights);
    this.$factors.replaceChildren(neurons, params);
  }

  drawFormula(data) {
    const out = data.layers.at(-1);
    const depth = data.layers.length;
    const prev = out.inputs[0];
    const lines = [
      `L = ${data.loss_name}(y_true = [${data.y_true.map((v) => fmt(v)).join(', ')}], y_pred = [${data.y_pred.map((v) => fmt(v)).join(', ')}]) = ${fmt(data.loss)}`,
      `∂L/∂W${sup(depth)}[0][0] = ∂L/∂a × ∂a/∂z × ∂z/∂w = ${fmt(out.dloss_da[0])} × ${operand(out.da_dz[0])} × ${operand(prev)} = ${fmt(out.gradients.kernel[0][0])}` +
        `;  w ← ${fmt(out.kernel[0][0])} − ${operand(data.learning_rate)} × ${operand(out.gradients.kernel[0][0])} = ${fmt(out.updated.kernel[0][0])}`,
      say('lab.backprop.after-one-step-l', { loss_after_update: fmt(data.loss_after_update) }),
    ];
    showLines(this.$formula, lines);
  }

  drawNumbers(data) {
    this.$summary.textContent = say(data.gradients_agree ? 'lab.backprop.summary-agree' : 'lab.backprop.summary-disagree',
      { h: fmt(data.finite_difference_step), difference: fmt(data.max_abs_difference) });
    this.$summary.className = data.gradients_agree ? '' : 'error';
    const rows = [];
    data.layers.forEach((layer, l) => {
      const add = (name, value, a, dz, grad, fd, updated) => rows.push([`${l + 1}`, name, fmt(value, 6), fmt(a, 6), fmt(dz, 6),
        fmt(grad, 6), fmt(fd, 6), fmt(Math.abs(grad - fd), 3), fmt(updated, 6)]);
      layer.kernel.forEach((row, i) => row.forEach((w, j) => add(`W[${i}][${j}]`, w, layer.inputs[i], layer.dloss_dz[j],
        layer.gradients.kernel[i][j], layer.finite_differences.kernel[i][j], layer.updated.kernel[i][j])));
      layer.bias.forEach((b, j) => add(`b[${j}]`, b, 1, layer.dloss_dz[j], layer.gradients.bias[j],
        layer.finite_differences.bias[j], layer.updated.bias[j]));
    });
    this.$numbers.replaceChildren(table(
      say('lab.backprop.every-parameter'),
      [say('lab.backprop.layer'), say('lab.backprop.parameter'), say('lab.backprop.value'), 'a_prev', '∂L/∂z',
        say('lab.backprop.tape-gradient'), say('lab.backprop.finite-difference'), '|Δ|', say('lab.backprop.after-one-step')],
      rows));
  }

  code(request, data) {
    return [
      'import tensorflow as tf',
      'import keras',
      '',
      `x = tf.constant([${py(request.x)}], tf.float64)`,
      `y_true = tf.constant([${py(request.y_true)}], tf.float64)`,
      `kernels = [${request.layers.map((l) => `tf.Variable(${py(l.kernel)}, dtype=tf.float64)`).join(',\n           ')}]`,
      `biases = [${request.layers.map((l) => `tf.Variable(${py(l.bias)}, dtype=tf.float64)`).join(', ')}]`,
      `activations = [${request.layers.map((l) => `keras.activations.get("${l.activation}")`).join(', ')}]`,
      '',
      'with tf.GradientTape(persistent=True) as tape:',
      '    h, zs, outputs = x, [], []',
      '    for W, b, f in zip(kernels, biases, activations):',
      '        z = tf.matmul(h, W) + b',
      '        h = f(z)',
      '        zs.append(z)',
      '        outputs.append(h)',
      `    loss = ${data.keras_loss}(y_true, h)[0]`,
      'print("loss", loss.numpy())',
      'print("dL/da", [g.numpy() for g in tape.gradient(loss, outputs)])',
      'print("dL/dz", [g.numpy() for g in tape.gradient(loss, zs)])',
      'grads = tape.gradient(loss, kernels + biases)',
      'print("gradients", [g.numpy() for g in grads])',
      '',
      `keras.optimizers.SGD(learning_rate=${request.learning_rate}).apply_gradients(zip(grads, kernels + biases))`,
      'print("after one step", [v.numpy() for v in kernels + biases])',
    ].join('\n');
  }

  async setup() {
    const options = await getOptions();
    this._activations = options.activations.map((a) => a.name);
    this.$loss.replaceChildren(...options.losses.map((l) => {
      const option = document.createElement('option');
      option.value = l.name;
      localised(option, { en: l.label, zh: l.label_zh || l.label });
      return option;
    }));
    this.applyPreset();
    this.$preset.addEventListener('change', () => this.applyPreset());
    for (const el of [this.$x, this.$layers, this.$yTrue, this.$loss, this.$lr]) el.addEventListener('input', () => { this.$preset.value = 'custom'; });
    wire([this.$preset, this.$x, this.$layers, this.$yTrue, this.$loss, this.$lr, this.$h], () => this.compute(), (e) => this.showError(e));
  }
}
