// The base of every concept lab's widget. A lab finds its elements inside its own container (never in
// the whole document at import time), asks its endpoint when an input changes and redraws its last
// answer when the language changes. A lab defines readRequest(), render() (draws this._last) and
// start() (what it builds or loads before it listens to its inputs). An error is shown beside the input of
// the field it names: the input whose id ends with the field's name in kebab case (y_pred -> #losses-y-pred),
// or the id a lab gives in `fieldIds` for a field named otherwise.

import { onLangChange } from '../i18n.js';
import { postConcept, showError, wire } from './lab.js';

export class LabWidget {
  constructor(container, { name = container.dataset.concept } = {}) {
    this.$container = container;
    this.name = name;
    this._last = null; // {request, data}: the answer shown and the request it answers
    onLangChange(() => {
      this.languageChanged();
      if (this._error) this.showError(this._error); // its sentence, in the new language
    });
  }

  // The element with this id inside the lab's container.
  $(id) {
    return this.$container.querySelector(`#${id}`);
  }

  // Recomputes now and whenever one of `inputs` changes; errors are shown in the page, not thrown.
  listen(inputs) {
    this._run = wire(inputs, () => this.compute(), (error) => this.showError(error));
    return this;
  }

  // Shows `error` beside the input it names (null clears it); what is drawn stays the last good answer.
  showError(error) {
    let request = null;
    if (error) {
      try { request = this.readRequest(); } catch { /* an input that does not read is the error itself */ }
    }
    this._error = error;
    showError(error, { container: this.$container, request, ids: this.fieldIds ?? {} });
  }

  async compute() {
    const request = this.readRequest();
    this._last = { request, data: await postConcept(this.name, request) };
    this.render();
  }

  // Shows an answer of this lab's endpoint (to the request last sent, else to the inputs as they are).
  update(data) {
    this._last = { request: this._last?.request ?? this.readRequest(), data };
    this.render();
    return this;
  }

  // Forgets the answer shown and asks again for the inputs as they are.
  reset() {
    this._last = null;
    this.showError(null);
    this._run?.();
    return this;
  }

  languageChanged() {
    this.render();
  }

  async start() {
    throw new Error(`${this.constructor.name} must define start(); it calls listen(inputs)`);
  }

  readRequest() {
    throw new Error(`${this.constructor.name} must define readRequest()`);
  }

  render() {
    throw new Error(`${this.constructor.name} must define render()`);
  }
}
