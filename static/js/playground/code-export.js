// "Code": the runnable Keras script for the current setup (shown and downloadable) and the trained model.

import { Widget, bilingual, el } from './dom.js';

export class CodeExport extends Widget {
  // options: {loadScript(id) → Promise<string>, scriptUrl(id), modelUrl(id)}
  constructor(container, options) {
    super(container, options);
    this.$show = el('button', { type: 'button', id: 'pg-code', class: 'pg-text-button' }, container);
    bilingual(this.$show, 'Code', '代码');
    this.$model = el('a', { id: 'pg-download-model', class: 'pg-text-button', download: 'tensor_playground.keras', href: '#' }, container);
    bilingual(this.$model, 'Download .keras model', '下载 .keras 模型');
    this.$dialog = el('dialog', { class: 'pg-code-dialog', 'aria-labelledby': 'pg-code-title' }, document.body);
    const head = el('div', { class: 'pg-dialog-head' }, this.$dialog);
    bilingual(el('h2', { id: 'pg-code-title' }, head), 'Keras script for this setup', '当前设置的 Keras 脚本');
    this.$download = el('a', { class: 'pg-text-button', download: 'tensor_playground.py', href: '#' }, head);
    bilingual(this.$download, 'Download script', '下载脚本');
    const close = el('button', { type: 'button', class: 'pg-text-button' }, head);
    bilingual(close, 'Close', '关闭');
    this.$code = el('pre', { class: 'pg-code-text', tabindex: '0' }, this.$dialog);
    close.addEventListener('click', () => this.$dialog.close());
    this.$show.addEventListener('click', () => this._open());
    this._id = null;
  }

  // data: {sessionId}
  update({ sessionId }) {
    this._id = sessionId;
    this.$model.href = this.options.modelUrl(sessionId);
    this.$download.href = this.options.scriptUrl(sessionId);
    return this;
  }

  async _open() {
    if (!this._id) return;
    this.$code.textContent = '…';
    this.$dialog.showModal();
    try {
      this.$code.textContent = await this.options.loadScript(this._id);
    } catch (e) {
      this.$code.textContent = `Could not load the script: ${e.message}`;
    }
  }
}
