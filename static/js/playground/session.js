// The page's one live session: create (or resume after a reload), stream, replace when the setup changes,
// reconnect when the socket drops, start again if the server reaped it, and say so when the server restarts.

import { CLOSE_NOT_FOUND, Stream, api } from './api.js';
import { builtFrom } from './rules.js';
import { tableOf } from './state.js';

const SESSION_KEY = 'tp.playground.session'; // this tab's session: a reload within the TTL resumes it
// RFC 6455's "service restart": the server is stopping, and its sessions with it. Reconnecting would only find
// the session gone (or no server yet), so the page says what happened and lets the learner choose.
const CLOSE_SERVICE_RESTART = 1012;

export class LiveSession {
  // callbacks: options (/api/options), onSession(session, {resumed, history}), onFrame(header, bytes), onError(detail),
  // onRestart() (the server closed the stream to restart)
  constructor(callbacks) {
    this._cb = callbacks;
    this.id = null;
    this.stream = null;
    this.playing = false;
    this.pace = undefined; // epochs per second the stream plays at (null: as fast as allowed)
    this._state = null;
    this._token = 0;
  }

  // The tab's previous session if the server still holds it and it was built from `state`; else a new one.
  async open(state) {
    const id = sessionStorage.getItem(SESSION_KEY);
    if (id) {
      try {
        const session = await api.session(id);
        if (builtFrom(this._cb.options, session.config, state)) {
          const history = await api.history(id).catch(() => null);
          this._state = state;
          this._use(session, { resumed: true, history });
          this.stream.set(tableOf(this._cb.options).liveFields(state)); // the URL's live knobs win over the stored ones
          return;
        }
      } catch { /* gone: make a new one */ }
    }
    await this.replace(state);
  }

  // A new session for `state` (the old one is deleted). Throws the server's message if it refuses the setup.
  async replace(state) {
    const token = ++this._token;
    this._drop();
    const session = await api.createSession(tableOf(this._cb.options).requestBody(state)).catch((e) => {
      if (token === this._token) throw e;
      return null;
    });
    if (!session) return;
    if (token !== this._token) {
      api.deleteSession(session.id).catch(() => {});
      return;
    }
    this._state = state;
    this._use(session, { resumed: false, history: null });
  }

  // Take over a session made elsewhere (a saved run continued as a new session) as this page's own.
  adopt(session, state, history) {
    ++this._token;
    this._drop();
    this._state = state;
    this._use(session, { resumed: true, history });
  }

  _drop() {
    this.stream?.close();
    this.stream = null;
    if (this.id) api.deleteSession(this.id).catch(() => {});
    this.id = null;
  }

  _use(session, extra) {
    this.id = session.id;
    sessionStorage.setItem(SESSION_KEY, session.id);
    this._cb.onSession(session, extra);
    this._connect();
  }

  _connect() {
    const id = this.id;
    this.stream = new Stream(id, {
      onFrame: this._cb.onFrame,
      onError: this._cb.onError,
      onClose: (code) => {
        if (id !== this.id) return;
        if (code === CLOSE_NOT_FOUND) this.replace(this._state).catch((e) => this._cb.onError(e.message));
        else if (code === CLOSE_SERVICE_RESTART) this._restarted();
        else setTimeout(() => { if (id === this.id) this._connect(); }, 1000);
      },
    });
    if (this.playing) this.stream.play(this.pace);
  }

  _restarted() {
    this.stream = null;
    this.id = null; // gone with the server: nothing to delete, nothing to resume
    this.playing = false;
    sessionStorage.removeItem(SESSION_KEY);
    this._cb.onRestart?.();
  }

  // After a restart: a new session with the settings the page has now.
  reconnect() { return this.replace(this._state); }

  setPlaying(playing) {
    this.playing = playing;
    if (playing) this.stream?.play(this.pace); else this.stream?.pause();
  }

  setPace(pace) {
    this.pace = pace;
    if (this.playing) this.stream?.setPace(pace); // a paused stream gets it with its next play
  }

  step() { this.playing = false; this.stream?.step(); }
  set(changes, state) { this._state = state; this.stream?.set(changes); }
  reset(reseed) { this.stream?.reset(reseed); }
  edit(edit) { this.stream?.edit(edit); }
  close() { this.stream?.close(); }
}
