// Wires the playground's widgets to the state table, the REST API and the live stream. No drawing here.

import { CLOSE_NOT_FOUND, Stream, api, splitMaps } from './api.js';
import { CodeExport } from './code-export.js';
import { Controls } from './controls.js';
import { DataPanel } from './data-panel.js';
import { OutputHeatmap } from './heatmap.js';
import { LossChart } from './loss-chart.js';
import { MetricsPanel } from './metrics.js';
import { NetworkView } from './network.js';
import {
  FIELDS, changedScopes, defaultState, liveChanges, liveFields, parseQuery, requestBody, toQuery, withChanges,
} from './state.js';
import { Transport } from './transport.js';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'tp.playground.session'; // this tab's session: a reload within the TTL resumes it

class Playground {
  async start() {
    this.options = await api.options();
    this.state = this._valid(parseQuery(location.search));
    this.playing = false;
    this.stream = null;
    this.sessionId = null;
    this._token = 0;
    this._featureMaps = {};
    const onChange = (changes) => this.change(changes);
    this.transport = new Transport($('pg-transport'), {
      statusContainer: $('pg-status-line'),
      onPlay: () => this.setPlaying(true),
      onPause: () => this.setPlaying(false),
      onStep: () => { this.setPlaying(false); this.stream?.step(); },
      onReset: () => { this.loss.reset(); this.stream?.reset(false); },
      onReseed: () => { this.loss.reset(); this._reseeding = true; this.stream?.reset(true); },
    });
    this.controls = new Controls($('pg-controls'), { options: this.options, onChange });
    this.data = new DataPanel($('pg-data-body'), { options: this.options, preview: api.preview, onChange });
    this.network = new NetworkView($('pg-network-body'), {
      features: this.options.features, limits: this.options.limits,
      onToggleFeature: (name) => this.toggleFeature(name),
      onLayers: (hidden_layers) => this.change({ hidden_layers }),
      onEdit: (edit) => this.stream?.edit(edit),
    });
    this.loss = new LossChart($('pg-loss-chart'));
    this.heatmap = new OutputHeatmap($('pg-heatmap'), { onViewChange: onChange });
    this.metrics = new MetricsPanel($('pg-metrics'));
    this.code = new CodeExport($('pg-export'), { loadScript: api.script, scriptUrl: api.scriptUrl, modelUrl: api.modelUrl });
    window.addEventListener('popstate', () => this.apply(this._valid(parseQuery(location.search)), { push: false }));
    window.addEventListener('pagehide', () => this.stream?.close());
    history.replaceState(null, '', this._url());
    this._render();
    const resumed = await this._resumable();
    if (resumed) await this._use(resumed, ++this._token, { resumed: true });
    else await this.newSession(null);
  }

  // The session this tab used before a reload, if the server still holds it and it was built from this state.
  async _resumable() {
    const id = sessionStorage.getItem(SESSION_KEY);
    if (!id) return null;
    let session;
    try {
      session = await api.session(id);
    } catch {
      return null;
    }
    const body = requestBody(this.state);
    const same = FIELDS.filter((f) => f.scope === 'session' && body[f.key] !== undefined)
      .every((f) => JSON.stringify(session.config[f.key]) === JSON.stringify(body[f.key]));
    return same ? session : null;
  }

  // Names the server does not know fall back to their defaults, so an old or hand-edited link still loads.
  _valid(state) {
    const o = this.options;
    const d = defaultState();
    const has = (list, name) => list.some((x) => x.name === name);
    const out = { ...state };
    if (!has(o.datasets, out.dataset)) out.dataset = d.dataset;
    if (!out.features.every((f) => has(o.features, f))) out.features = d.features;
    if (!has(o.activations, out.activation)) out.activation = d.activation;
    if (!has(o.optimizers, out.optimizer)) out.optimizer = d.optimizer;
    if (!has(o.regularizations, out.regularization)) out.regularization = d.regularization;
    if (!has(o.lr_schedules, out.lr_schedule)) { out.lr_schedule = d.lr_schedule; out.lr_schedule_params = {}; }
    const problem = this.problemOf(out);
    if (out.loss !== null && !o.losses.some((l) => l.name === out.loss && l.problems.includes(problem))) out.loss = null;
    if (!o.datasets.find((x) => x.name === out.dataset).num_classes) out.num_classes = null;
    return out;
  }

  outputsOf(state) {
    if (this.problemOf(state) !== 'multiclass') return 1;
    return state.num_classes ?? this.options.datasets.find((d) => d.name === state.dataset).num_classes.default;
  }

  problemOf(state) {
    return this.options.datasets.find((d) => d.name === state.dataset)?.problem ?? 'binary';
  }

  _url() {
    const query = toQuery(this.state);
    return query ? `${location.pathname}?${query}` : location.pathname;
  }

  _render() {
    const problem = this.problemOf(this.state);
    this.controls.update({ state: this.state, problem });
    this.data.update({ state: this.state });
    this.heatmap.update({ problem, discretize: this.state.discretize, showTest: this.state.show_test });
    this.network.update({ state: this.state, outputs: this.outputsOf(this.state) });
  }

  toggleFeature(name) {
    const active = new Set(this.state.features);
    if (active.has(name)) active.delete(name); else active.add(name);
    if (!active.size) return; // a network needs at least one input
    this.change({ features: this.options.features.map((f) => f.name).filter((n) => active.has(n)) });
  }

  change(changes) {
    const next = withChanges(this.state, changes);
    if (changes.dataset && changes.dataset !== this.state.dataset) next.num_classes = null;
    if (changes.lr_schedule && !changes.lr_schedule_params) next.lr_schedule_params = {};
    const nTrain = Math.round(next.num_samples * next.train_ratio);
    if (next.batch_size > nTrain) next.batch_size = Math.max(1, nTrain);
    this.apply(this._valid(next), { push: true });
  }

  apply(next, { push }) {
    const before = this.state;
    const scopes = changedScopes(before, next);
    this.state = next;
    if (push && (scopes.session || scopes.live || scopes.view)) history.pushState(null, '', this._url());
    this._render();
    if (scopes.session) this.newSession(before);
    else if (scopes.live) {
      this.transport.showMessage('');
      this.stream?.set(liveChanges(before, next));
    }
  }

  setPlaying(playing) {
    this.playing = playing;
    this.transport.setPlaying(playing);
    if (playing) this.stream?.play(); else this.stream?.pause();
  }

  // A new session for the current state; `previous` is restored if the server refuses the new one.
  async newSession(previous) {
    const token = ++this._token;
    const oldId = this.sessionId;
    this.stream?.close();
    this.stream = null;
    if (oldId) api.deleteSession(oldId).catch(() => {});
    this.sessionId = null;
    delete $('playground').dataset.session;
    let session;
    try {
      session = await api.createSession(requestBody(this.state));
    } catch (e) {
      if (token !== this._token) return;
      this.transport.showMessage(`The server refused this setup: ${e.message}`, null, 'error');
      if (previous) {
        this.state = previous;
        history.replaceState(null, '', this._url());
        this._render();
        return this.newSession(null);
      }
      return;
    }
    if (token !== this._token) {
      api.deleteSession(session.id).catch(() => {});
      return;
    }
    this._use(session, token);
  }

  async _use(session, token, { resumed = false } = {}) {
    this.transport.showMessage('');
    this.sessionId = session.id;
    sessionStorage.setItem(SESSION_KEY, session.id);
    $('playground').dataset.session = session.id; // lets tests and curious users find the session
    this._header = null;
    this._featureMaps = {};
    this.loss.reset();
    this.network.reset();
    this.code.update({ sessionId: session.id });
    if (resumed) await this._loadHistory(session.id);
    this.connect();
    if (resumed) this.stream.set(liveFields(this.state)); // the URL's live knobs win over the stored ones
    const s = this.state;
    api.preview({ dataset: s.dataset, noise: s.noise, num_samples: s.num_samples, train_ratio: s.train_ratio,
      num_classes: s.num_classes, seed: s.seed })
      .then((points) => { if (token === this._token) this.heatmap.update({ points }); })
      .catch(() => {});
  }

  // A resumed session's loss curve so far (before any frame, so the chart's epochs only grow).
  async _loadHistory(id) {
    try {
      const h = await api.history(id);
      h.epochs.forEach((epoch, i) => this.loss.update({ epoch, train_loss: h.train_loss[i], test_loss: h.test_loss[i] }));
    } catch { /* the curve starts from now */ }
  }

  connect() {
    const id = this.sessionId;
    this.stream = new Stream(id, {
      onFrame: (header, bytes) => this.onFrame(header, bytes),
      onError: (detail) => this.transport.showMessage(detail, null, 'error'),
      onClose: (code) => {
        if (id !== this.sessionId) return;
        if (code === CLOSE_NOT_FOUND) this.newSession(null); // reaped: start again from the URL's state
        else setTimeout(() => { if (id === this.sessionId) this.connect(); }, 1000);
      },
    });
    if (this.playing) this.stream.play();
  }

  onFrame(header, bytes) {
    const maps = splitMaps(header, bytes);
    Object.assign(this._featureMaps, maps.inputs);
    maps.inputs = this._featureMaps;
    this._header = header;
    if (header.status === 'diverged' && this.playing) {
      this.playing = false;
      this.transport.setPlaying(false);
    }
    if (header.init_seed !== this.state.init_seed) {
      this.state = { ...this.state, init_seed: header.init_seed };
      if (this._reseeding) history.pushState(null, '', this._url()); else history.replaceState(null, '', this._url());
    }
    this._reseeding = false;
    this.transport.update(header);
    this.loss.update(header);
    this.metrics.update(header);
    this.heatmap.update({ output: maps.output, problem: header.problem });
    this.network.update({ state: this.state, outputs: this.outputsOf(this.state), header, maps });
  }
}

const playground = new Playground();
playground.start().catch((e) => {
  const line = $('pg-status-line');
  if (line) line.textContent = `The playground could not start: ${e.message}`;
  throw e;
});
