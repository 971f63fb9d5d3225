// Wires the playground's widgets to the state table (URL), the rules and the live session. No drawing here.

import { api, splitMaps } from './api.js';
import { say } from '../i18n.js';
import { CodeExport } from './code-export.js';
import { Controls } from './controls.js';
import { CustomData } from './custom-data.js';
import { DataPanel } from './data-panel.js';
import { OutputHeatmap } from './heatmap.js';
import { LossChart } from './loss-chart.js';
import { MetricsPanel } from './metrics.js';
import { NetworkView } from './network.js';
import { openRun } from './open-run.js';
import { scaledAxes, splitAs } from './point-set.js';
import { RestartNotice } from './restart-notice.js';
import { isCustom, normalise, outputsOf, problemOf, sizedFor, toggleFeature } from './rules.js';
import { SaveRun } from './save-run.js';
import { LiveSession } from './session.js';
import { tableOf } from './state.js';
import { Transport } from './transport.js';

const $ = (id) => document.getElementById(id);

class Playground {
  async start() {
    const first = await api.options();
    const table = this.table = tableOf(first);
    const parsed = table.parseQuery(location.search);
    const options = this.options = await this._sizedFor(first, parsed);
    this.state = normalise(options, parsed);
    this._sizing = 0;
    this._featureMaps = {};
    const onChange = (changes) => this.change(changes);
    this.live = new LiveSession({
      options,
      onSession: (session, extra) => this.onSession(session, extra),
      onFrame: (header, bytes) => this.onFrame(header, bytes),
      onError: (detail) => this.transport.showMessage(detail, null, 'error'),
      onRestart: () => this._restarted(),
    });
    this.live.setPace(this.state.pace);
    this.transport = new Transport($('pg-transport'), {
      statusContainer: $('pg-status-line'),
      paces: options.pace.choices,
      onPace: (pace) => this.change({ pace }),
      onPlay: () => this.setPlaying(true),
      onPause: () => this.setPlaying(false),
      onStep: () => { this.transport.setPlaying(false); this.live.step(); },
      onReset: () => { this.loss.reset(); this.live.reset(false); },
      onReseed: () => { this.loss.reset(); this._reseeding = true; this.live.reset(true); },
    });
    this.controls = new Controls($('pg-controls'), { options, onChange });
    this.data = new DataPanel($('pg-data-body'), { options, preview: api.preview, onChange, onCustom: () => this.custom.openCustom() });
    this.network = new NetworkView($('pg-network-body'), {
      features: options.features, limits: options.limits, defaults: options.defaults,
      onToggleFeature: (name) => {
        const features = toggleFeature(options, this.state.features, name);
        if (features) this.change({ features });
      },
      onLayers: (hidden_layers) => this.change({ hidden_layers }),
      onEdit: (edit) => this.live.edit(edit),
    });
    this.loss = new LossChart($('pg-loss-chart'));
    this.heatmap = new OutputHeatmap($('pg-heatmap'), { domain: options.limits.domain, mirror: $('pg-output-mini'), onViewChange: onChange });
    this._shown = { points: [], problem: 'binary' }; // the points of the dataset shown, to start editing from
    this._testRows = []; // custom data's test points, as the server last split them (a dataset preview)
    this.custom = new CustomData($('pg-data-custom'), {
      options,
      api,
      dropZone: $('pg-data'),
      canvas: this.heatmap.$canvas,
      toData: (x, y) => this.heatmap.toData(x, y),
      currentData: () => this._shown,
      onPoints: (points, problem) => {
        this.heatmap.update({ points: splitAs(points, this._testRows), pointProblem: problem });
        this.data.paintThumbnail(options.custom_data.dataset, points, problem);
      },
      // While drawing, test points are shown whatever "show test data" says: a point just drawn never vanishes.
      onEditing: (editing) => {
        this.heatmap.update({ everyPoint: editing });
        if (!editing) this._showPoints();
      },
      // The points travel in the state too (never in the link): a new network made after the dataset expired
      // on the server still has them.
      onData: (summary, points) => this.change({ dataset: options.custom_data.dataset, dataset_id: summary.id,
        points: structuredClone(points), problem_type: summary.problem, class_names: summary.class_names ?? null }),
      onDraft: (points) => this.change({ points: structuredClone(points), dataset_id: null }),
    });
    this.metrics = new MetricsPanel($('pg-metrics'));
    this.code = new CodeExport($('pg-export'), { loadScript: api.script, scriptUrl: api.scriptUrl, modelUrl: api.modelUrl });
    this.saveRun = new SaveRun($('pg-save'), { sessionId: () => this.live.id, onSaved: (run) => { this._runLink = run.link; } });
    this.restart = new RestartNotice($('pg-status-line'), { onReconnect: () => this.live.reconnect() });
    this._runLink = null; // the run this page saved or opened last: what a restart offers to reload
    window.addEventListener('popstate', () => this.change(table.parseQuery(location.search), { push: false, whole: true }));
    window.addEventListener('pagehide', () => this.live.close());
    const runId = $('playground').dataset.run; // /runs/{id}: open that saved run instead
    if (runId) {
      const failed = (e) => this.transport.showMessage(say('runs.open-failed-reason', { reason: e.message }), null, 'error');
      const opened = await openRun(runId, options).catch(failed);
      if (opened) {
        this._runLink = `/runs/${encodeURIComponent(runId)}`;
        this.state = normalise(options, opened.state);
        this._render();
        this.live.adopt(opened.session, this.state, opened.history);
        this.transport.showMessage(say('runs.opened'));
        return;
      }
    }
    history.replaceState(null, '', this._url());
    this._render();
    await this.live.open(this.state).catch((e) => (this.state.dataset === options.custom_data?.dataset
      ? this._expired() : this._refused(e, null)));
  }

  // A link named custom data the server no longer holds: say so (saved runs keep it) and show the default.
  _expired() {
    const d = this.table.defaultState();
    this.state = normalise(this.options, this.state, { dataset: d.dataset });
    history.replaceState(null, '', this._url());
    this._render();
    this.live.replace(this.state) // a new session clears the status line: say it once there is one
      .then(() => this.transport.showMessage(say('data.expired'), null, 'error'))
      .catch((e) => this._refused(e, null));
  }

  // `options` with the batch limits for `state`'s data size (the server computes the training-set size).
  async _sizedFor(options, state) {
    if (sizedFor(options, state)) return options;
    return api.options(state).catch(() => options); // a size the server refuses: creating the session says why
  }

  _url() {
    const query = this.table.toQuery(this.state);
    return query ? `${location.pathname}?${query}` : location.pathname;
  }

  _render() {
    const problem = problemOf(this.options, this.state);
    this.controls.update({ state: this.state, problem });
    this.transport.setPace(this.state.pace);
    this.data.update({ state: this.state, options: this.options });
    this.custom.update({ state: this.state });
    this.heatmap.update({ problem, discretize: this.state.discretize, showTest: this.state.show_test });
    this.network.update({ state: this.state, outputs: outputsOf(this.options, this.state) });
  }

  // Changes to the data size first ask the server for the new training-set size (the batch size's maximum).
  async change(changes, { push = true, whole = false } = {}) {
    const token = ++this._sizing;
    const wanted = whole ? changes : { ...this.state, ...changes };
    const options = await this._sizedFor(this.options, wanted);
    if (token !== this._sizing) return; // a later change overtook this one
    this.options = options;
    this.apply(whole ? normalise(options, changes) : normalise(options, this.state, changes), { push });
  }

  apply(next, { push }) {
    const before = this.state;
    const scopes = this.table.changedScopes(before, next);
    this.state = next;
    // New custom data (points, their split) reaches the running session with `set`, before the page redraws: it
    // keeps training, on them, and the frame trained on them is what the learner waits for. Another problem type
    // needs another loss, output and network: a new session.
    const data = scopes.session && isCustom(this.options, next) && this.live.id
      && problemOf(this.options, before) === problemOf(this.options, next) ? this.table.dataChanges(before, next) : null;
    if (data) this.live.set(data, next);
    // A link holds no points: drawing one adds no step to the tab's history.
    if (push && (scopes.session || scopes.live || scopes.view || scopes.pace) && this._url() !== location.pathname + location.search) {
      history.pushState(null, '', this._url());
    }
    if (scopes.pace) this.live.setPace(next.pace);
    this._render();
    if (data) {
      this.transport.showMessage('');
      this._showPoints();
    } else if (scopes.session) {
      delete $('playground').dataset.session;
      this.live.replace(next).catch((e) => this._refused(e, before));
    } else if (scopes.live) {
      this.transport.showMessage('');
      this.live.set(this.table.liveChanges(before, next), next);
    }
  }

  // The server refused a setup: say why and go back to the one before (if any).
  _refused(error, previous) {
    this.transport.showMessage(say('playground.refused', { reason: error.message }), null, 'error');
    if (!previous) return;
    this.state = previous;
    history.replaceState(null, '', this._url());
    this._render();
    this.live.replace(previous).catch(() => {});
  }

  // The server closed the stream to restart: the session is gone; offer the saved run or a new session.
  _restarted() {
    this.transport.setPlaying(false).stopped().showMessage('');
    this.restart.update({ runLink: this._runLink });
  }

  setPlaying(playing) {
    this.transport.setPlaying(playing);
    this.live.setPlaying(playing);
  }

  onSession(session, { history }) {
    cancelAnimationFrame(this._frameRequest); // a frame of the old session must not be drawn
    this._frameRequest = 0;
    this.transport.showMessage('');
    this.restart.reset();
    $('playground').dataset.session = session.id; // lets tests and curious users find the session
    // A reload resumes the tab's session on custom data: its points come back from its config (a link has none).
    const own = Object.keys(this.options.custom_data?.fields ?? {});
    if (isCustom(this.options, this.state) && !this.state.points && session.config?.points) {
      this.state = { ...this.state, ...Object.fromEntries(own.map((key) => [key, session.config[key] ?? null])) };
      this._render();
    }
    this._featureMaps = {};
    this.loss.reset();
    this.network.reset();
    this.code.update({ sessionId: session.id });
    if (history) {
      history.epochs.forEach((epoch, i) => this.loss.update({
        epoch, train_loss: history.train_loss[i], test_loss: history.test_loss[i],
      }));
    }
    this._showPoints();
  }

  // The fields the data is made from (the body of a dataset preview).
  _dataOf(s) {
    return { dataset: s.dataset, noise: s.noise, num_samples: s.num_samples, train_ratio: s.train_ratio,
      num_classes: s.num_classes, seed: s.seed };
  }

  // The training and test points of the current data on the output (while editing, the points being drawn).
  // Custom data is not generated: its points are the state's own, split as the server split them last until
  // the server, asked by their upload's id, says how it splits them now.
  _showPoints() {
    const data = this._dataOf(this.state);
    const id = this.live.id;
    const custom = isCustom(this.options, this.state);
    this.heatmap.update({ axes: custom ? scaledAxes(this.custom.summary, this.options.limits.domain) : { x1: null, x2: null } });
    if (custom) {
      const points = this.state.points ?? [];
      this._shown = { points, problem: problemOf(this.options, this.state) };
      this._drawSplit();
      this.data.paintThumbnail(this.state.dataset, points, this._shown.problem);
      this._askSplit();
      return;
    }
    api.preview(data).then((points) => {
      if (this.live.id !== id || JSON.stringify(data) !== JSON.stringify(this._dataOf(this.state))) return;
      this._shown = { points: [...points.train, ...points.test], problem: points.problem };
      if (!this.custom.editing) this.heatmap.update({ points, pointProblem: null });
    }).catch(() => {});
  }

  // Custom data's points on the output, training and test apart (while editing, the points being drawn).
  _drawSplit() {
    const points = this.custom.editing ? this.custom.points.points : this.state.points ?? [];
    const problem = this.custom.editing ? undefined : this._shown.problem;
    this.heatmap.update({ points: splitAs(points, this._testRows), pointProblem: problem });
  }

  // How the server splits the custom data of the state, once it has an upload's id (drawn points get theirs
  // when the learner pauses); the points go too, for an id the server no longer holds.
  _askSplit() {
    const fields = ['dataset', 'dataset_id', 'points', 'problem_type', 'class_names', 'train_ratio', 'seed'];
    const current = () => Object.fromEntries(fields.filter((f) => this.state[f] != null).map((f) => [f, this.state[f]]));
    const body = current();
    if (!body.dataset_id) return;
    api.preview(body).then((split) => {
      if (JSON.stringify(current()) !== JSON.stringify(body)) return; // the data or its split changed meanwhile
      this._testRows = split.test;
      this._drawSplit();
    }).catch(() => {});
  }

  // Frames may come faster than the screen refreshes (a slow phone): draw only the latest, once per refresh.
  onFrame(header, bytes) {
    this._latest = [header, bytes];
    this._frameRequest ||= requestAnimationFrame(() => {
      this._frameRequest = 0;
      this._draw(...this._latest);
    });
  }

  _draw(header, bytes) {
    const maps = splitMaps(header, bytes);
    Object.assign(this._featureMaps, maps.inputs); // the first frame carries every feature, later ones the active
    maps.inputs = this._featureMaps;
    if (header.status === 'diverged' && this.live.playing) this.setPlaying(false);
    if (header.init_seed !== this.state.init_seed) {
      this.state = { ...this.state, init_seed: header.init_seed };
      if (this._reseeding) history.pushState(null, '', this._url()); else history.replaceState(null, '', this._url());
    }
    this._reseeding = false;
    this.transport.update(header);
    this.loss.update(header);
    this.metrics.update(header);
    this.heatmap.update({ output: maps.output, problem: header.problem });
    this.network.update({ state: this.state, outputs: maps.output.length || outputsOf(this.options, this.state), header, maps });
  }
}

new Playground().start().catch((e) => {
  const line = $('pg-status-line');
  if (line) line.textContent = say('playground.could-not-start', { reason: e.message });
  throw e;
});
