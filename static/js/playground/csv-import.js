// Bringing a CSV in: a "Paste CSV" dialog, a file input, and a file dropped anywhere on the data panel.
// The page does not parse the file: the server reads and checks it (one reader, one set of messages), so a
// file is sent as it is, unread, and the server refuses one above its upload cap while it streams in.

import { catalogued, Widget, el } from './dom.js';

export class CsvImport extends Widget {
  // container: where the buttons go. options: {dropZone: element a file may be dropped on,
  //   load(body: Blob | string) → Promise<string | null> (null: taken; else why not, in the page's language)}
  constructor(container, options) {
    super(container, options);
    const row = el('div', { class: 'pg-data-import' }, container);
    this.$paste = el('button', { type: 'button', id: 'pg-data-paste', class: 'pg-text-button' }, row);
    catalogued(this.$paste, 'data.paste');
    const pick = el('label', { class: 'pg-text-button pg-file-button' }, row);
    catalogued(pick, 'data.upload');
    this.$file = el('input', { id: 'pg-data-file', type: 'file', accept: '.csv,.txt,text/csv,text/plain', class: 'pg-visually-hidden' }, pick);
    catalogued(el('p', { class: 'pg-hint muted' }, container), 'data.drop-hint');

    this.$dialog = el('dialog', { id: 'pg-data-dialog', class: 'pg-data-dialog', 'aria-labelledby': 'pg-data-dialog-title' }, document.body);
    const form = el('form', { method: 'dialog' }, this.$dialog);
    catalogued(el('h2', { id: 'pg-data-dialog-title' }, form), 'data.paste-title');
    catalogued(el('p', { class: 'pg-hint muted', id: 'pg-data-format' }, form), 'data.format');
    this.$text = el('textarea', { id: 'pg-data-text', rows: '10', spellcheck: 'false', 'aria-describedby': 'pg-data-format',
      'aria-labelledby': 'pg-data-dialog-title' }, form);
    this.$dialogMessage = el('p', { id: 'pg-data-dialog-message', class: 'pg-data-error', role: 'alert' }, form);
    const buttons = el('div', { class: 'pg-dialog-buttons' }, form);
    this.$use = el('button', { type: 'submit', id: 'pg-data-use', class: 'pg-text-button', value: 'use' }, buttons);
    catalogued(this.$use, 'data.use');
    const cancel = el('button', { type: 'button', class: 'pg-text-button' }, buttons);
    catalogued(cancel, 'data.cancel');

    this.$paste.addEventListener('click', () => {
      this.$dialogMessage.textContent = '';
      this.$dialog.showModal();
      this.$text.focus();
    });
    cancel.addEventListener('click', () => this.$dialog.close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault(); // the dialog closes only once the server took the points
      this.$use.disabled = true;
      const problem = await this.options.load(this.$text.value).finally(() => { this.$use.disabled = false; });
      if (problem === null) this.$dialog.close();
      else this.$dialogMessage.textContent = problem;
    });
    this.$file.addEventListener('change', () => {
      const [file] = this.$file.files;
      this.$file.value = ''; // choosing the same file again (after fixing it) fires change again
      if (file) this.options.load(file);
    });
    const zone = options.dropZone;
    const carriesFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    zone.addEventListener('dragover', (e) => {
      if (!carriesFiles(e)) return;
      e.preventDefault(); // without it the browser opens the file instead of dropping it here
      e.dataTransfer.dropEffect = 'copy';
      zone.classList.add('pg-drop-target');
    });
    zone.addEventListener('dragleave', (e) => {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove('pg-drop-target');
    });
    zone.addEventListener('drop', (e) => {
      zone.classList.remove('pg-drop-target');
      const file = e.dataTransfer?.files?.[0];
      if (!file) return;
      e.preventDefault();
      this.options.load(file);
    });
  }
}
