// The server: REST calls and the live stream (WebSocket) of one session.

import { request, send } from '../api.js';

export const api = {
  // With a state: its training-set size (the batch size's range) as the server computes it.
  options: (state) => request('GET', state === undefined ? '/api/options'
    : `/api/options?${new URLSearchParams({ num_samples: state.num_samples, train_ratio: state.train_ratio })}`),
  preview: (config) => request('POST', '/api/datasets/preview', config),
  // Custom data: JSON points ({points, problem}) or a CSV file or text, sent unread (the server checks it).
  createDataset: (body) => request('POST', '/api/datasets', body),
  uploadCsv: (csv, problem = null) => request('POST', `/api/datasets${problem ? `?${new URLSearchParams({ problem })}` : ''}`,
    csv, { mediaType: 'text/csv' }),
  dataset: (id) => request('GET', `/api/datasets/${encodeURIComponent(id)}`),
  datasetCsvUrl: (id) => `/api/datasets/${encodeURIComponent(id)}.csv`,
  createSession: (config) => request('POST', '/api/sessions', config),
  session: (id) => request('GET', `/api/sessions/${encodeURIComponent(id)}`),
  history: (id) => request('GET', `/api/sessions/${encodeURIComponent(id)}/history`),
  deleteSession: (id) => request('DELETE', `/api/sessions/${encodeURIComponent(id)}`),
  // The Keras script, the epochs it trains and the most it may be asked to (both from the server).
  script: async (id, epochs = null) => {
    const response = await send('GET', api.scriptUrl(id, epochs));
    return {
      text: await response.text(),
      epochs: Number(response.headers.get('X-Export-Epochs')),
      maxEpochs: Number(response.headers.get('X-Export-Max-Epochs')),
    };
  },
  scriptUrl: (id, epochs = null) => `/api/sessions/${encodeURIComponent(id)}/export/script.py`
    + (epochs === null ? '' : `?epochs=${encodeURIComponent(epochs)}`),
  modelUrl: (id) => `/api/sessions/${encodeURIComponent(id)}/export/model.keras`,
};

export const CLOSE_NOT_FOUND = 4404;

// The live stream of one session. A frame is a JSON header followed by one binary message; `onFrame`
// gets both together. Commands sent before the socket opens wait for it.
export class Stream {
  constructor(sessionId, { onFrame, onError, onClose } = {}) {
    this.sessionId = sessionId;
    this._onFrame = onFrame ?? (() => {});
    this._onError = onError ?? (() => {});
    this._onClose = onClose ?? (() => {});
    this._pending = [];
    this._header = null;
    this._closedByUs = false;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.$socket = new WebSocket(`${scheme}://${location.host}/api/sessions/${encodeURIComponent(sessionId)}/stream`);
    this.$socket.binaryType = 'arraybuffer';
    this.$socket.addEventListener('open', () => {
      if (this._closedByUs) return this.$socket.close(1000);
      for (const message of this._pending) this.$socket.send(message);
      this._pending = [];
    });
    this.$socket.addEventListener('message', (event) => this._receive(event.data));
    this.$socket.addEventListener('close', (event) => {
      if (!this._closedByUs) this._onClose(event.code, event.reason);
    });
  }

  _receive(data) {
    if (this._closedByUs) return; // frames of a stream being replaced must not reach the page
    if (typeof data !== 'string') {
      if (this._header) this._onFrame(this._header, new Uint8Array(data));
      this._header = null;
      return;
    }
    const message = JSON.parse(data);
    if (message.type === 'frame') this._header = message;
    else if (message.type === 'error') this._onError(message.detail);
  }

  send(command) {
    const text = JSON.stringify(command);
    if (this.$socket.readyState === WebSocket.OPEN) this.$socket.send(text);
    else if (this.$socket.readyState === WebSocket.CONNECTING) this._pending.push(text);
    return this;
  }

  // pace: epochs per second, null for as fast as the server allows, undefined to keep the stream's.
  play(pace) { return this.send({ type: 'play', pace }); }
  setPace(pace) { return this.send({ type: 'set', pace }); }
  pause() { return this.send({ type: 'pause' }); }
  step() { return this.send({ type: 'step' }); }
  frame() { return this.send({ type: 'frame' }); }
  set(changes) { return this.send({ type: 'set', changes }); }
  reset(reseed = false) { return this.send({ type: 'reset', reseed }); }
  edit({ layer, kind, index, value }) { return this.send({ type: 'edit', layer, kind, index, value }); }

  // Closing a socket that is still connecting logs a browser warning: wait for it to open, then close.
  close() {
    this._closedByUs = true;
    if (this.$socket.readyState === WebSocket.OPEN) this.$socket.close(1000);
  }
}

// A frame's bytes, split per the header's layout: {output: [map], inputs: {feature: map}, neurons: [[map]]},
// each map {bytes, rows, cols, lo, hi}. The bytes are views, not copies.
export function splitMaps(header, bytes) {
  const out = { output: [], inputs: {}, neurons: [] };
  for (const m of header.maps) {
    const [rows, cols] = m.shape;
    const map = { bytes: bytes.subarray(m.offset, m.offset + rows * cols), rows, cols, lo: m.range[0], hi: m.range[1] };
    if (m.kind === 'output') out.output[m.unit] = map;
    else if (m.kind === 'input') out.inputs[m.feature] = map;
    else (out.neurons[m.layer] ??= [])[m.unit] = map;
  }
  return out;
}
