// Forward-propagation lab: values flowing through Dense layers, revealed layer by layer with a step button.

import { LabError, fmt, parseNumbers, postConcept, py, showCode, showLines, svg, table } from './lab.js';
import { say } from '../i18n.js';
import { getOptions } from '../api.js';
import { LabWidget } from './widget.js';
import { operand, plus } from './notation.js';

const PRESETS = {
  small: { random: false, x: '0.5, -1, 2', inputSize: 784, units: '4, 3, 2', activation: 'relu, relu, linear', softmax: true },
  mnist: { random: true, x: '', inputSize: 784, units: '256, 128, 64, 10', activation: 'relu, relu, relu, linear', softmax: true },
};
const MAX_NODES = 10; // a column draws at most this many neurons; bigger layers show their first values and "⋮"
const SHOWN_OF_BIG = 8;
const MAX_TERMS = 6; // neuron 0's sum is written out term by term up to this many inputs
const WIDTH = 680;
const ROW = 30;
const POSITIVE = [8, 119, 189];
const NEGATIVE = [245, 147, 34];

function columnsOf(data) {
  const columns = [{ kind: 'input', label: 'x', output: data.input }];
  data.layers.forEach((layer, i) => columns.push({ kind: 'dense', label: `Dense ${i + 1}`, layer, output: layer.output }));
  if (data.softmax) columns.push({ kind: 'softmax', label: 'softmax', output: data.softmax });
  return columns;
}

function flatValues(summary) {
  return summary.values ? summary.values.flat() : summary.head;
}

function color(v, scale) {
  if (v === null || !Number.isFinite(v)) return '#c62828';
  const [r, g, b] = v >= 0 ? POSITIVE : NEGATIVE;
  const a = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0;
  return `rgba(${r}, ${g}, ${b}, ${(0.1 + 0.9 * a).toFixed(3)})`;
}

// Node positions of one column: the first values, and "⋮ +N" when the layer is bigger than the drawing.
function layoutColumn(column, x, height) {
  const size = column.output.size;
  const values = flatValues(column.output);
  const count = size <= MAX_NODES ? size : SHOWN_OF_BIG;
  const rows = size <= MAX_NODES ? count : count + 1;
  const top = (height - rows * ROW) / 2 + ROW / 2;
  const nodes = Array.from({ length: count }, (_, i) => ({ x, y: top + i * ROW, value: values[i] }));
  return { nodes, more: size > count ? { x, y: top + count * ROW, count: size - count } : null };
}

function stats(s) {
  return `min ${fmt(s.min)}, max ${fmt(s.max)}, mean ${fmt(s.mean)}, std ${fmt(s.std)}`;
}

function code(request) {
  const input = request.x
    ? `x = tf.constant([${py(request.x)}])`
    : `x = tf.random.stateless_uniform([1, ${request.input_size}], seed=[${request.seed}, 0])  # uniform in [0, 1)`;
  return [
    'import tensorflow as tf',
    'import keras',
    '',
    input,
    `units = [${request.units.join(', ')}]`,
    `activations = ${py(request.activation)}`,
    'layers = [keras.layers.Dense(u, activation=a,',
    `                             kernel_initializer=keras.initializers.GlorotUniform(seed=${request.seed} + i))`,
    '          for i, (u, a) in enumerate(zip(units, activations))]',
    '',
    'h = x',
    'for layer in layers:',
    '    a = layer(h)  # builds the layer (kernel drawn from the seed, bias 0), then applies it',
    '    z = tf.matmul(h, layer.kernel) + layer.bias',
    '    print(z.shape, float(tf.reduce_min(a)), float(tf.reduce_max(a)), a.numpy()[0, :8])',
    '    h = a',
    ...(request.softmax ? ['print(tf.nn.softmax(h).numpy())'] : []),
  ].join('\n');
}

export default class ForwardLab extends LabWidget {
  constructor(container, options) {
    super(container, options);
    this.$preset = this.$('fw-preset');
    this.$random = this.$('fw-random');
    this.$x = this.$('fw-x');
    this.$inputSize = this.$('fw-input-size');
    this.$units = this.$('fw-units');
    this.$activation = this.$('fw-activation');
    this.$softmax = this.$('fw-softmax');
    this.$seed = this.$('fw-seed');
    this.$network = this.$('fw-network');
    this.$caption = this.$('fw-caption');
    this.$status = this.$('fw-status');
    this.$numbers = this.$('fw-numbers');
    this.$formula = this.$('fw-formula');
    this._shown = Infinity;
  }

  async start() {
    this.$('fw-start').addEventListener('click', () => { this._shown = 1; this.render(); });
    this.$('fw-next').addEventListener('click', () => {
      if (!this._last) return;
      const total = columnsOf(this._last.data).length;
      this._shown = this._shown >= total ? 1 : this._shown + 1;
      this.render();
    });
    this.$('fw-all').addEventListener('click', () => { this._shown = Infinity; this.render(); });
    this.$preset.addEventListener('change', () => this.applyPreset());
    for (const el of [this.$random, this.$x, this.$inputSize, this.$units, this.$activation, this.$softmax, this.$seed]) {
      el.addEventListener('input', () => { this.$preset.value = 'custom'; });
    }
    this.listen([this.$preset, this.$random, this.$x, this.$inputSize, this.$units, this.$activation, this.$softmax, this.$seed]);
    this.fillActivationNames();
  }

  readRequest() {
    const units = parseNumbers(this.$units);
    const activation = this.$activation.value.split(/[\s,]+/).filter(Boolean);
    if (units.some((u) => !Number.isInteger(u))) throw new LabError(say('lab.forward.units-must-be-whole'));
    const request = { units, activation, softmax: this.$softmax.checked, seed: Number(this.$seed.value) };
    if (this.$random.checked) request.input_size = Number(this.$inputSize.value);
    else request.x = parseNumbers(this.$x);
    return request;
  }

  async compute() {
    this.$x.disabled = this.$random.checked;
    this.$inputSize.disabled = !this.$random.checked;
    const request = this.readRequest();
    const data = await postConcept('forward', request);
    this._last = { request, data };
    this.render();
  }

  applyPreset() {
    const p = PRESETS[this.$preset.value];
    if (!p) return;
    this.$random.checked = p.random;
    this.$x.value = p.x;
    this.$inputSize.value = p.inputSize;
    this.$units.value = p.units;
    this.$activation.value = p.activation;
    this.$softmax.checked = p.softmax;
    this._shown = Infinity;
  }

  render() {
    if (!this._last) return;
    const { data } = this._last;
    const columns = columnsOf(data);
    this._shown = Math.max(1, Math.min(this._shown, columns.length));
    this.drawNetwork(columns);
    this.drawCaption(columns);
    this.drawFormula(columns);
    this.drawNumbers(data);
    showCode(code(this._last.request));
  }

  drawNetwork(columns) {
    const rows = Math.max(...columns.map((c) => (c.output.size <= MAX_NODES ? c.output.size : SHOWN_OF_BIG + 1)));
    const height = 70 + ROW * rows;
    const step = (WIDTH - 120) / Math.max(1, columns.length - 1);
    const layouts = columns.map((c, i) => layoutColumn(c, 60 + i * step, height + 36));
    const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', class: 'fw-network',
      'aria-label': say('lab.forward.the-network-layer-by') });
    const edges = svg('g', { class: 'edges' }, root);
    layouts.forEach((layout, c) => {
      if (c === 0) return;
      const kernel = columns[c].kind === 'dense' ? columns[c].layer.kernel.values : null;
      const maxW = kernel ? Math.max(1e-9, ...kernel.flat().map((w) => Math.abs(w ?? 0))) : 1;
      const revealed = c < this._shown;
      for (const [i, from] of layouts[c - 1].nodes.entries()) {
        for (const [j, to] of layout.nodes.entries()) {
          if (columns[c].kind === 'softmax' && !revealed && i !== j) continue;
          const w = kernel ? kernel[i][j] : null;
          svg('line', { x1: from.x + 11, y1: from.y, x2: to.x - 11, y2: to.y,
            stroke: w === null ? '#bbb' : color(w, maxW), 'stroke-width': w === null ? 0.6 : 0.6 + 2.4 * Math.abs(w) / maxW,
            opacity: revealed ? (c === this._shown - 1 ? 0.9 : 0.45) : 0.08 }, edges);
        }
      }
    });
    columns.forEach((column, c) => {
      const layout = layouts[c];
      const revealed = c < this._shown;
      const g = svg('g', { class: `column${c === this._shown - 1 ? ' current' : ''}`, opacity: revealed ? 1 : 0.25,
        'data-column': String(c) }, root);
      const scale = Math.max(Math.abs(column.output.min ?? 0), Math.abs(column.output.max ?? 0));
      const x = layout.nodes[0]?.x ?? 0;
      if (c === this._shown - 1) {
        svg('rect', { x: x - 30, y: 36, width: 60, height: height - 40, rx: 6, class: 'highlight' }, g);
      }
      svg('text', { x, y: 18, 'text-anchor': 'middle', class: 'heading' }, g).textContent = column.label;
      svg('text', { x, y: 31, 'text-anchor': 'middle', class: 'tick' }, g).textContent =
        column.kind === 'dense' ? `${column.layer.activation} · [${column.output.shape.join(', ')}]` : `[${column.output.shape.join(', ')}]`;
      for (const node of layout.nodes) {
        svg('circle', { cx: node.x, cy: node.y, r: 10, fill: revealed ? color(node.value, scale) : '#eee', class: 'node' }, g);
        if (revealed) {
          svg('text', { x: node.x + 13, y: node.y + 4, class: 'value' }, g).textContent = fmt(node.value, 3);
        }
      }
      if (layout.more) {
        svg('text', { x, y: layout.more.y + 4, 'text-anchor': 'middle', class: 'tick' }, g).textContent =
          `⋮ +${layout.more.count}`;
      }
    });
    this.$network.replaceChildren(root);
    this.$status.textContent = say('lab.forward.step-of', { step: this._shown, steps: columns.length });
  }

  drawCaption(columns) {
    const column = columns[this._shown - 1];
    const out = column.output;
    let text;
    if (column.kind === 'input') {
      text = say('lab.forward.input-caption', { shape: out.shape.join(', '), stats: stats(out),
        random: this._last.data.random_input ? say('lab.forward.input-random') : '' });
    } else if (column.kind === 'dense') {
      const { layer } = column;
      const [inputs] = layer.kernel.shape;
      const shapes = `[1, ${inputs}] · [${layer.kernel.shape.join(', ')}] + [${layer.units}] → [1, ${layer.units}]`;
      text = say('lab.forward.z-a-w-b', { label: column.label, shapes, activation: layer.activation, stats: stats(out), parameters: layer.parameters });
    } else {
      const values = out.values[0];
      const best = values.indexOf(Math.max(...values));
      text = say('lab.forward.softmax-exp-z-exp', { best, probability: fmt(values[best]) });
    }
    this.$caption.textContent = text;
  }

  // The current layer's formula with its shapes, and neuron 0's sum written out when the layer is small.
  drawFormula(columns) {
    const index = Math.max(1, this._shown - 1);
    const column = columns[Math.min(index, columns.length - 1)];
    const lines = [];
    if (column.kind === 'dense') {
      const { layer } = column;
      const prev = columns[index - 1].output;
      const k = layer.kernel.values;
      const n = `⁽${index}⁾`;
      lines.push(`z${n} = a${`⁽${index - 1}⁾`} · W${n} + b${n}: [1, ${layer.kernel.shape[0]}] · [${layer.kernel.shape.join(', ')}] + [${layer.units}] → [1, ${layer.units}];  a${n} = ${layer.activation}(z${n})`);
      if (k && prev.values && layer.kernel.shape[0] <= MAX_TERMS) {
        const a = prev.values.flat();
        const terms = a.map((v, i) => `${operand(v, 3)}·${operand(k[i][0], 3)}`).join(' + ');
        lines.push(`z${n}₀ = ${terms}${plus(layer.bias.values[0], 3)} = ${fmt(layer.pre_activation.values[0][0])};  ` +
          `a${n}₀ = ${layer.activation}(${fmt(layer.pre_activation.values[0][0])}) = ${fmt(layer.output.values[0][0])}`);
      } else {
        lines.push(say('lab.forward.neuron-0-z-a', { z: fmt(layer.pre_activation.head[0]), a: fmt(layer.output.head[0]), inputs: layer.kernel.shape[0] }));
      }
    } else if (column.kind === 'softmax') {
      const z = this._last.data.layers.at(-1).output;
      lines.push(`softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ);  z = [${flatValues(z).map((v) => fmt(v, 3)).join(', ')}${z.values ? '' : ', …'}] → [${flatValues(column.output).map((v) => fmt(v, 3)).join(', ')}]`);
    }
    showLines(this.$formula, lines);
  }

  drawNumbers(data) {
    const rows = [];
    const first = (s) => `[${s.head.map((v) => fmt(v, 3)).join(', ')}${s.size > s.head.length ? ', …' : ''}]`;
    rows.push(['x', '', '', '', `[${data.input.shape.join(', ')}]`, '', `${fmt(data.input.min)} / ${fmt(data.input.max)}`,
      `${fmt(data.input.mean)} / ${fmt(data.input.std)}`, first(data.input)]);
    data.layers.forEach((layer, i) => {
      rows.push([`Dense ${i + 1} (${layer.units})`, layer.activation, `[${layer.kernel.shape.join(', ')}]`, String(layer.parameters),
        `[${layer.output.shape.join(', ')}]`, `${fmt(layer.pre_activation.min)} / ${fmt(layer.pre_activation.max)}`,
        `${fmt(layer.output.min)} / ${fmt(layer.output.max)}`, `${fmt(layer.output.mean)} / ${fmt(layer.output.std)}`,
        first(layer.output)]);
    });
    if (data.softmax) {
      const s = data.softmax;
      rows.push(['softmax', '', '', '0', `[${s.shape.join(', ')}]`, '', `${fmt(s.min)} / ${fmt(s.max)}`,
        `${fmt(s.mean)} / ${fmt(s.std)}`, first(s)]);
    }
    this.$numbers.replaceChildren(table(
      say('lab.forward.parameters-in-all-big', { parameters: data.parameters }),
      [say('lab.backprop.layer'), say('field.activation'), say('lab.forward.kernel'), say('lab.forward.parameters'), say('lab.forward.output-shape'),
        say('lab.forward.z-range'), say('lab.forward.a-range'), say('lab.forward.a-spread'), say('lab.forward.first-values-of-a')],
      rows));
  }

  async fillActivationNames() {
    const options = await getOptions();
    this.$('fw-activations').replaceChildren(...options.activations.map((a) => {
      const option = document.createElement('option');
      option.value = a.name;
      return option;
    }));
  }
}
