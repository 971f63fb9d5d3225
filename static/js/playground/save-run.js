// The playground's "Save run" control: a name, an optional note and a button that saves the live session
// as it is now (POST /api/runs) and shows the link that opens it again.

import { RUN_TEXT } from '../i18n.js';
import { rememberRun } from '../runs/owner.js';
import { runsApi } from '../runs/api.js';
import { Widget, bilingual, el, localised } from './dom.js';

export class SaveRun extends Widget {
  // options: { sessionId: () => the live session's id, onSaved(run) (the saved run's summary) }
  constructor(container, options) {
    super(container, options);
    const form = el('form', { class: 'pg-save', id: 'pg-save-form' }, container);
    const label = el('label', { for: 'pg-save-name' }, form);
    bilingual(label, RUN_TEXT.nameLabel.en, RUN_TEXT.nameLabel.zh);
    this.$name = el('input', { id: 'pg-save-name', type: 'text', autocomplete: 'off' }, form);
    bilingual(el('label', { for: 'pg-save-note' }, form), RUN_TEXT.noteLabel.en, RUN_TEXT.noteLabel.zh);
    this.$note = el('input', { id: 'pg-save-note', type: 'text', autocomplete: 'off' }, form);
    this.$button = el('button', { id: 'pg-save-button', type: 'submit' }, form);
    bilingual(this.$button, RUN_TEXT.save.en, RUN_TEXT.save.zh);
    this.$result = el('p', { id: 'pg-save-result', class: 'pg-save-result', 'aria-live': 'polite' }, container);
    form.addEventListener('submit', (event) => { event.preventDefault(); this.save(); });
  }

  async save() {
    const id = this.options.sessionId();
    if (!id) return;
    this.$button.disabled = true;
    this.$result.replaceChildren();
    localised(el('span', {}, this.$result), RUN_TEXT.saving);
    try {
      const run = await runsApi.save(id, this.$name.value.trim(), this.$note.value.trim());
      rememberRun(run.id);
      this.options.onSaved?.(run);
      this.$result.replaceChildren();
      bilingual(this.$result, RUN_TEXT.saved.en, RUN_TEXT.saved.zh);
      el('a', { href: run.link, id: 'pg-save-link', text: `${location.origin}${run.link}` }, this.$result);
    } catch (e) {
      this.$result.replaceChildren();
      bilingual(this.$result, RUN_TEXT.saveFailed.en + e.message, RUN_TEXT.saveFailed.zh + e.message);
    } finally {
      this.$button.disabled = false;
    }
  }
}
