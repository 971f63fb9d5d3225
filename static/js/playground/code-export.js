// "Code": the runnable Keras script for the current setup (shown, copied, downloaded) and the trained model.

import { say } from '../i18n.js';
import { Widget, el, said } from './dom.js';

const CONFIRM_MS = 2500; // how long "Copied" stays up

// Copies text through the Clipboard API, or (an insecure origin, an old browser) through a selected textarea.
async function copyText(text) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch { /* denied: try the old way */ }
  }
  const area = el('textarea', { readonly: true, class: 'pg-visually-hidden' }, document.body);
  area.value = text;
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

export class CodeExport extends Widget {
  // options: {loadScript(id, epochs) → Promise<{text, epochs, maxEpochs}>, scriptUrl(id, epochs), modelUrl(id)}
  constructor(container, options) {
    super(container, options);
    this.$show = el('button', { type: 'button', id: 'pg-code', class: 'pg-text-button' }, container);
    said(this.$show, 'playground.code');
    this.$model = el('a', { id: 'pg-download-model', class: 'pg-text-button', download: 'tensor_playground.keras', href: '#' }, container);
    said(this.$model, 'playground.download-keras-model');
    this.$dialog = el('dialog', { class: 'pg-code-dialog', 'aria-labelledby': 'pg-code-title' }, document.body);
    const head = el('div', { class: 'pg-dialog-head' }, this.$dialog);
    said(el('h2', { id: 'pg-code-title' }, head), 'playground.keras-script-for-this');
    this.$download = el('a', { id: 'pg-code-download', class: 'pg-text-button', download: 'tensor_playground.py', href: '#' }, head);
    said(this.$download, 'playground.download-script');
    this.$copy = el('button', { type: 'button', id: 'pg-code-copy', class: 'pg-text-button' }, head);
    said(this.$copy, 'code.copy');
    const close = el('button', { type: 'button', class: 'pg-text-button' }, head);
    said(close, 'playground.close');

    const tools = el('div', { class: 'pg-dialog-tools' }, this.$dialog);
    said(el('label', { for: 'pg-code-epochs' }, tools), 'code.epochs');
    this.$epochs = el('input', { id: 'pg-code-epochs', type: 'number', min: '1', step: '1', inputmode: 'numeric',
      'aria-describedby': 'pg-code-epochs-hint' }, tools);
    said(el('span', { id: 'pg-code-epochs-hint', class: 'muted' }, tools), 'code.epochs-hint');
    this.$notice = el('span', { id: 'pg-code-notice', class: 'pg-code-notice', role: 'status' }, tools);
    this.$code = el('pre', { class: 'pg-code-text', tabindex: '0' }, this.$dialog);

    close.addEventListener('click', () => this.$dialog.close());
    this.$show.addEventListener('click', () => this._open());
    this.$epochs.addEventListener('change', () => this._load(this.$epochs.value));
    this.$copy.addEventListener('click', () => this._copy());
    this._id = null;
    this._loading = 0;
    this._noticeTimer = null;
  }

  // data: {sessionId}
  update({ sessionId }) {
    this._id = sessionId;
    this.$model.href = this.options.modelUrl(sessionId);
    this.$download.href = this.options.scriptUrl(sessionId);
    return this;
  }

  // Each opening starts from the server's default: the session may have trained since.
  async _open() {
    if (!this._id) return;
    this.$code.textContent = '…';
    this.$epochs.value = '';
    this._say('');
    this.$dialog.showModal();
    await this._load(null);
  }

  async _load(epochs) {
    const load = ++this._loading; // a slower earlier answer must not overwrite a later one
    try {
      const script = await this.options.loadScript(this._id, epochs);
      if (load !== this._loading) return;
      this.$code.textContent = script.text;
      this.$epochs.value = String(script.epochs);
      this.$epochs.max = String(script.maxEpochs);
      this.$download.href = this.options.scriptUrl(this._id, script.epochs);
      this._say('');
    } catch (e) {
      if (load !== this._loading) return;
      if (epochs === null) this.$code.textContent = '';
      this._say(`${say('code.load-failed')} ${e.message}`);
    }
  }

  async _copy() {
    try {
      await copyText(this.$code.textContent);
      this._say(say('code.copied'));
      clearTimeout(this._noticeTimer);
      this._noticeTimer = setTimeout(() => this._say(''), CONFIRM_MS);
    } catch {
      this._say(say('code.copy-failed'));
    }
  }

  _say(text) {
    this.$notice.textContent = text;
    return this;
  }
}
