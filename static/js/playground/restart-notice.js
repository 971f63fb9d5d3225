// Said when the server closes the stream for a restart (close code 1012): the page's live session is gone with
// it. Offered instead: the saved run this page saved or opened (its /runs/{id} link), otherwise a new session
// with the same settings. Either waits until the server answers again, so a click never lands on an error page.

import { CATALOGUE, say } from '../i18n.js';
import { request } from '../api.js';
import { Widget, bilingual, el } from './dom.js';

function catalogued(parent, key) {
  return bilingual(parent, CATALOGUE[key].en, CATALOGUE[key].zh);
}

export class RestartNotice extends Widget {
  // options: {onReconnect() → Promise (a new session with the page's settings)}
  constructor(container, options) {
    super(container, options);
    this.$root = el('div', { id: 'pg-restart', class: 'pg-status pg-error pg-restart', role: 'alert', hidden: '' }, container);
    catalogued(el('span', { class: 'pg-restart-text' }, this.$root), 'restart.happened');
    this.$run = el('a', { id: 'pg-restart-run', class: 'pg-text-button', href: '#' }, this.$root);
    catalogued(this.$run, 'restart.open-run');
    this.$reconnect = el('button', { type: 'button', id: 'pg-restart-reconnect', class: 'pg-text-button' }, this.$root);
    catalogued(this.$reconnect, 'restart.reconnect');
    this.$wait = el('span', { id: 'pg-restart-wait', class: 'pg-restart-wait', 'aria-live': 'polite' }, this.$root);
    this.$run.addEventListener('click', (event) => {
      event.preventDefault();
      this._whenBack(() => location.assign(this.$run.getAttribute('href')));
    });
    this.$reconnect.addEventListener('click', () => this._whenBack(() => options.onReconnect()));
  }

  // data: {runLink}: the saved run to offer (null: reconnect with the same settings instead).
  update({ runLink = null } = {}) {
    this.$run.hidden = runLink === null;
    if (runLink !== null) this.$run.setAttribute('href', runLink);
    this.$reconnect.hidden = runLink !== null;
    this.$wait.replaceChildren();
    this.$root.hidden = false;
    return this;
  }

  reset() {
    this.$root.hidden = true;
    return this;
  }

  async _whenBack(then) {
    this.$wait.replaceChildren();
    try {
      await request('GET', '/api/health');
    } catch {
      catalogued(this.$wait, 'restart.not-back');
      return;
    }
    try {
      await then();
    } catch (e) {
      this.$wait.textContent = `${say('restart.failed')} ${e.message}`;
    }
  }
}
