// The network drawn as in TensorFlow Playground: input features (click to switch on or off), hidden layers
// (+/− layers and neurons), outputs; each neuron shows its live heatmap; links are blue for positive and
// orange for negative weights, thicker for larger |weight|. Hover a link or bias to read it, click to edit it.

import { classScale, css, diverging } from './colors.js';
import { say } from '../i18n.js';
import { Widget, el, formatNumber, said, svg } from './dom.js';

import { outputColor, paintMap, paintOutput } from './heatmap.js';

const NODE = 34;
const GAP = 10;
const TOP = 44; // room for the per-layer +/− buttons
const LABEL = 58; // room for feature names left of the first column
// A layer's column never gets narrower than its +/− buttons: a deep network on a phone scrolls sideways instead.
const MIN_COLUMN = 62;

// Thin for small weights, saturating for large ones so a trained network stays readable.
function linkWidth(w) {
  return 0.4 + 4.6 * Math.tanh(Math.abs(w) / 1.5);
}

function featureScale(map) {
  return Math.max(Math.abs(map.lo), Math.abs(map.hi)) || 1;
}

export class NetworkView extends Widget {
  // options: {features: [{name, label}], limits, defaults (/api/options), onToggleFeature(name), onLayers(hidden_layers), onEdit(edit)}
  constructor(container, options) {
    super(container, options);
    this.$toolbar = el('div', { class: 'pg-net-toolbar' }, container);
    this.$removeLayer = el('button', { type: 'button', class: 'pg-round', 'aria-label': say('playground.remove-layer'), text: '−' }, this.$toolbar);
    this.$addLayer = el('button', { type: 'button', class: 'pg-round', 'aria-label': say('playground.add-layer'), text: '+' }, this.$toolbar);
    this.$layerCount = el('span', { class: 'pg-layer-count', id: 'pg-layer-count' }, this.$toolbar);
    this.$stage = el('div', { class: 'pg-net-stage' }, container);
    this.$svg = svg('svg', { class: 'pg-net-links', 'aria-hidden': 'false' }, this.$stage);
    this.$tip = el('div', { class: 'pg-tip', role: 'tooltip', hidden: true }, container);
    this.$zoom = el('div', { class: 'pg-zoom', hidden: true }, container);
    this.$zoomCanvas = el('canvas', { width: 25, height: 25 }, this.$zoom);
    this.$zoomCaption = el('p', {}, this.$zoom);
    this._buildEditor(container);
    this.$removeLayer.addEventListener('click', () => this._changeLayers(-1));
    this.$addLayer.addEventListener('click', () => this._changeLayers(+1));
    this._key = null;
    this._state = null;
    this._maps = null;
    this._header = null;
    this._zoomed = null;
    this._resize = new ResizeObserver(() => {
      if (this._state && this.$stage.clientWidth !== this._width) this._build(true);
    });
    this._resize.observe(this.$stage);
  }

  _buildEditor(container) {
    this.$editor = el('form', { class: 'pg-edit', hidden: true }, container);
    this.$editLabel = el('label', { for: 'pg-edit-value' }, this.$editor);
    const { weight } = this.options.limits;
    this.$editInput = el('input', { id: 'pg-edit-value', type: 'number', step: 'any', min: weight.minimum, max: weight.maximum, required: true }, this.$editor);
    const apply = el('button', { type: 'submit', id: 'pg-edit-apply' }, this.$editor);
    said(apply, 'playground.apply');
    const cancel = el('button', { type: 'button' }, this.$editor);
    said(cancel, 'playground.cancel');
    cancel.addEventListener('click', () => this._closeEditor());
    this.$editor.addEventListener('keydown', (e) => { if (e.key === 'Escape') this._closeEditor(); });
    this.$editor.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = Number(this.$editInput.value);
      if (!Number.isFinite(value) || !this._editing) return;
      this.options.onEdit?.({ ...this._editing, value });
      this._closeEditor();
    });
  }

  // data: {state, outputs, header?, maps?} — state and outputs give the architecture, header the weights,
  // maps the heatmaps. Call it on every state change: the +/− buttons count from the state it was given.
  update({ state, outputs, header, maps }) {
    this._state = state;
    if (header) this._header = header;
    if (maps) this._maps = maps;
    const key = JSON.stringify([state.features, state.hidden_layers, outputs]);
    if (key !== this._key) {
      this._key = key;
      this._outputs = outputs;
      this._build(false);
    }
    this._refresh();
    return this;
  }

  reset() {
    this._header = null;
    this._maps = null;
    return this;
  }

  _changeLayers(delta) {
    const layers = [...this._state.hidden_layers];
    // a first layer as wide as the default network's
    if (delta > 0) layers.push(layers.at(-1) ?? this.options.defaults.hidden_layers[0] ?? this.options.limits.hidden_layers.item_minimum);
    else layers.pop();
    this.options.onLayers?.(layers);
  }

  _changeUnits(layer, delta) {
    const layers = [...this._state.hidden_layers];
    layers[layer] += delta;
    this.options.onLayers?.(layers);
  }

  // Columns: every feature, each hidden layer, the outputs. Positions in px within the stage.
  _layout() {
    const hidden = this._state.hidden_layers;
    const columns = [this.options.features.length, ...hidden, this._outputs];
    const width = Math.max(280, this.$stage.clientWidth || 480, LABEL + NODE + 8 + (columns.length - 1) * MIN_COLUMN);
    const step = (width - LABEL - NODE - 8) / Math.max(1, columns.length - 1);
    const xs = columns.map((_, i) => LABEL + i * step);
    const ys = (n) => Array.from({ length: n }, (_, j) => TOP + j * (NODE + GAP));
    return { columns, xs, ys, step, width, height: TOP + Math.max(...columns) * (NODE + GAP) };
  }

  _build(keepKey) {
    if (!keepKey) this._closeEditor();
    const { features, limits } = this.options;
    const state = this._state;
    const hidden = state.hidden_layers;
    const { columns, xs, ys, step, width, height } = this._layout();
    this._width = this.$stage.clientWidth;
    this.$stage.style.setProperty('--column-step', `${step}px`);
    this.$stage.style.height = `${height}px`;
    this.$svg.setAttribute('width', width);
    this.$svg.setAttribute('height', height);
    this.$svg.replaceChildren();
    for (const node of this.$stage.querySelectorAll('.pg-node, .pg-layer-head')) node.remove();

    this.$layerCount.replaceChildren();
    said(this.$layerCount, hidden.length === 1 ? 'playground.hidden-layer' : 'playground.hidden-layers', { count: hidden.length });
    this.$removeLayer.disabled = hidden.length <= limits.hidden_layers.min_length;
    this.$addLayer.disabled = hidden.length >= limits.hidden_layers.max_length;

    const place = (node, x, y) => { node.style.left = `${x}px`; node.style.top = `${y}px`; };
    const centre = (col, row) => [xs[col] + NODE / 2, ys(columns[col])[row] + NODE / 2];

    // Per-layer headers with neuron +/−.
    hidden.forEach((units, l) => {
      const head = el('div', { class: 'pg-layer-head' }, this.$stage);
      place(head, xs[l + 1] + NODE / 2, 0);
      const minus = el('button', { type: 'button', class: 'pg-round pg-small', 'aria-label': say('playground.remove-neuron', { layer: l + 1 }), text: '−' }, head);
      const plus = el('button', { type: 'button', class: 'pg-round pg-small', 'aria-label': say('playground.add-neuron', { layer: l + 1 }), text: '+' }, head);
      minus.disabled = units <= limits.hidden_layers.item_minimum;
      plus.disabled = units >= limits.hidden_layers.item_maximum;
      minus.addEventListener('click', () => this._changeUnits(l, -1));
      plus.addEventListener('click', () => this._changeUnits(l, +1));
      said(el('span', { class: 'pg-layer-units' }, head), units === 1 ? 'playground.neuron' : 'playground.neurons', { count: units });
    });

    // Links first (under the nodes): layer l joins column l to column l + 1.
    const active = state.features;
    const featureRow = Object.fromEntries(features.map((f, i) => [f.name, i]));
    const sourceRows = [active.map((name) => featureRow[name]), ...hidden.map((n) => [...Array(n).keys()])];
    this._links = [];
    const sizes = [...hidden, this._outputs];
    sizes.forEach((units, l) => {
      const layerLinks = [];
      sourceRows[l].forEach((row, from) => {
        const [x1, y1] = centre(l, row);
        const rowLinks = [];
        for (let to = 0; to < units; to++) {
          const [x2, y2] = centre(l + 1, to);
          const mid = (x1 + x2) / 2;
          const d = `M${x1 + NODE / 2},${y1} C${mid},${y1} ${mid},${y2} ${x2 - NODE / 2},${y2}`;
          const line = svg('path', { d, class: 'pg-link' }, this.$svg);
          const hit = svg('path', {
            d, class: 'pg-link-hit', tabindex: '0', role: 'button',
            'data-layer': l, 'data-from': from, 'data-to': to,
            'aria-label': say('playground.weight-from-to', { from: this._name(l, from), to: this._name(l + 1, to) }),
          }, this.$svg);
          this._wire(hit, { layer: l, kind: 'weight', index: [from, to] });
          rowLinks.push(line);
        }
        layerLinks.push(rowLinks);
      });
      this._links.push(layerLinks);
    });

    // Feature nodes: buttons that switch a feature on or off.
    this._featureNodes = {};
    features.forEach((f, i) => {
      const on = active.includes(f.name);
      const node = el('button', {
        type: 'button', class: `pg-node pg-feature${on ? ' pg-on' : ''}`, 'aria-pressed': on ? 'true' : 'false',
        'aria-label': say('playground.input-feature', { feature: f.label }), 'data-feature': f.name,
      }, this.$stage);
      place(node, xs[0], ys(columns[0])[i]);
      const canvas = el('canvas', { width: 25, height: 25 }, node);
      el('span', { class: 'pg-feature-label', text: f.label }, node);
      node.addEventListener('click', () => this.options.onToggleFeature?.(f.name));
      this._hoverZoom(node, () => this._maps?.inputs[f.name], () => f.label, 'input');
      this._featureNodes[f.name] = canvas;
    });

    // Hidden neurons and their biases.
    this._neuronNodes = hidden.map((units, l) => Array.from({ length: units }, (_, u) => {
      const node = el('div', { class: 'pg-node pg-neuron', tabindex: '0', 'aria-label': say('playground.layer-neuron', { layer: l + 1, neuron: u + 1 }) }, this.$stage);
      place(node, xs[l + 1], ys(units)[u]);
      const canvas = el('canvas', { width: 25, height: 25 }, node);
      this._hoverZoom(node, () => this._maps?.neurons[l]?.[u], () => say('playground.layer-neuron', { layer: l + 1, neuron: u + 1 }), 'neuron');
      return canvas;
    }));
    this._biases = sizes.map((units, l) => Array.from({ length: units }, (_, u) => {
      const [cx, cy] = centre(l + 1, u);
      const rect = svg('rect', {
        x: cx - NODE / 2 - 11, y: cy + NODE / 2 - 9, width: 9, height: 9, class: 'pg-bias', tabindex: '0', role: 'button',
        'aria-label': say('playground.bias-of', { unit: this._name(l + 1, u) }),
      }, this.$svg);
      this._wire(rect, { layer: l, kind: 'bias', index: [u] });
      return rect;
    }));

    // Outputs.
    const last = columns.length - 1;
    this._outputNodes = Array.from({ length: this._outputs }, (_, u) => {
      const node = el('div', { class: 'pg-node pg-output-node', tabindex: '0', 'aria-label': say('playground.output-number', { number: u + 1 }) }, this.$stage);
      place(node, xs[last], ys(this._outputs)[u]);
      const canvas = el('canvas', { width: 25, height: 25 }, node);
      this._hoverZoom(node, () => this._maps?.output[u], () => (this._outputs > 1 ? say('playground.output-class', { class: u }) : say('playground.output')), 'output', u);
      return canvas;
    });
  }

  _name(column, unit) {
    if (column === 0) return this.options.features.find((f) => f.name === this._state.features[unit])?.label ?? say('playground.input-number', { number: unit + 1 });
    if (column > this._state.hidden_layers.length) return this._outputs > 1 ? say('playground.output-unit', { unit }) : say('playground.the-output');
    return say('playground.unit-name', { layer: column, neuron: unit + 1 });
  }

  _value({ layer, kind, index }) {
    const w = this._header?.weights[layer];
    if (!w) return null;
    return kind === 'weight' ? w.weights[index[0]]?.[index[1]] : w.biases[index[0]];
  }

  // Hover shows the value; click (or Enter) opens the editor.
  _wire(target, what) {
    const label = () => say(what.kind === 'weight' ? 'playground.weight-value' : 'playground.bias-value',
      { value: formatNumber(this._value(what), 3) });
    target.addEventListener('mousemove', (e) => this._showTip(label(), e.clientX, e.clientY));
    target.addEventListener('mouseleave', () => { this.$tip.hidden = true; });
    target.addEventListener('focus', () => {
      const r = target.getBoundingClientRect();
      this._showTip(label(), r.left + r.width / 2, r.top + r.height / 2);
    });
    target.addEventListener('blur', () => { this.$tip.hidden = true; });
    const open = (x, y) => this._openEditor(what, x, y);
    target.addEventListener('click', (e) => open(e.clientX, e.clientY));
    target.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      const r = target.getBoundingClientRect();
      open(r.left + r.width / 2, r.top + r.height / 2);
    });
  }

  _local(clientX, clientY) {
    const box = this.$container.getBoundingClientRect();
    return [clientX - box.left, clientY - box.top];
  }

  _showTip(text, clientX, clientY) {
    const [x, y] = this._local(clientX, clientY);
    this.$tip.textContent = text;
    this.$tip.style.left = `${x + 12}px`;
    this.$tip.style.top = `${y + 12}px`;
    this.$tip.hidden = false;
  }

  _openEditor(what, clientX, clientY) {
    this._editing = what;
    const [x, y] = this._local(clientX, clientY);
    const width = this.$container.clientWidth;
    this.$editor.style.left = `${Math.max(0, Math.min(x, width - 230))}px`;
    this.$editor.style.top = `${y + 10}px`;
    this.$editLabel.textContent = what.kind === 'weight'
      ? say('playground.edit-weight', { from: this._name(what.layer, what.index[0]), to: this._name(what.layer + 1, what.index[1]) })
      : say('playground.bias-of', { unit: this._name(what.layer + 1, what.index[0]) });
    const value = this._value(what);
    this.$editInput.value = value === null || value === undefined ? '0' : String(value);
    this.$editor.hidden = false;
    this.$tip.hidden = true;
    this.$editInput.focus();
    this.$editInput.select();
  }

  _closeEditor() {
    this.$editor.hidden = true;
    this._editing = null;
  }

  _hoverZoom(node, getMap, caption, kind, unit = 0) {
    const show = () => {
      this._zoomed = { getMap, caption, kind, node, unit };
      const box = node.getBoundingClientRect();
      const outer = this.$container.getBoundingClientRect();
      let left = box.right - outer.left + 8;
      if (left + 180 > outer.width) left = box.left - outer.left - 188;
      this.$zoom.style.left = `${Math.max(0, left)}px`;
      this.$zoom.style.top = `${Math.max(0, box.top - outer.top - 40)}px`;
      this._drawZoom();
    };
    const hide = () => { this._zoomed = null; this.$zoom.hidden = true; };
    node.addEventListener('mouseenter', show);
    node.addEventListener('focus', show);
    node.addEventListener('mouseleave', hide);
    node.addEventListener('blur', hide);
  }

  _colourFor(kind, map) {
    if (kind === 'input') {
      const scale = featureScale(map);
      return (v) => diverging(v / scale);
    }
    if (kind === 'output') return outputColor(this._header?.problem ?? 'binary', false);
    return diverging;
  }

  _drawZoom() {
    if (!this._zoomed) return;
    const { getMap, caption, kind } = this._zoomed;
    const map = getMap();
    if (!map) return;
    if (kind === 'output' && this._header?.problem === 'multiclass') paintMap(this.$zoomCanvas, map, classScale(this._zoomed.unit));
    else paintMap(this.$zoomCanvas, map, this._colourFor(kind, map));
    this.$zoomCaption.textContent = caption();
    this.$zoom.hidden = false;
  }

  _refresh() {
    const maps = this._maps;
    const header = this._header;
    if (maps) {
      for (const [name, canvas] of Object.entries(this._featureNodes)) {
        const map = maps.inputs[name];
        if (map) paintMap(canvas, map, this._colourFor('input', map));
      }
      this._neuronNodes.forEach((layer, l) => layer.forEach((canvas, u) => {
        const map = maps.neurons[l]?.[u];
        if (map) paintMap(canvas, map, diverging);
      }));
      if (maps.output.length) {
        if (header?.problem === 'multiclass') {
          this._outputNodes.forEach((canvas, u) => { if (maps.output[u]) paintMap(canvas, maps.output[u], classScale(u)); });
        } else if (this._outputNodes[0]) {
          paintOutput(this._outputNodes[0], maps.output, header?.problem ?? 'binary', false);
        }
      }
      this._drawZoom();
    }
    if (header) {
      this._links.forEach((layer, l) => layer.forEach((row, from) => row.forEach((line, to) => {
        const w = header.weights[l]?.weights[from]?.[to] ?? 0;
        line.setAttribute('stroke', css(w >= 0 ? [8, 119, 189] : [245, 147, 34]));
        line.setAttribute('stroke-width', linkWidth(w).toFixed(2));
      })));
      this._biases.forEach((layer, l) => layer.forEach((rect, u) => {
        const b = header.weights[l]?.biases[u] ?? 0;
        rect.setAttribute('fill', css(diverging(Math.max(-1, Math.min(1, b)))));
      }));
    }
  }
}
