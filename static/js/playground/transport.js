// Play/pause, step, reset, reseed, share; the epoch counter, epochs per second and the training status.
// Keys: Space plays or pauses, → steps one epoch (not while typing in a field or choosing in a list).

import { Widget, bilingual, el, localised, relabel, svg } from './dom.js';
import { onLangChange, t } from '../i18n.js';

// Icons as SVG paths (24×24), so they look the same whatever fonts the system has.
const ICONS = {
  play: 'M8 5v14l11-7z',
  pause: 'M6 5h4v14H6zM14 5h4v14h-4z',
  step: 'M6 5v14l9-7zM16 5h3v14h-3z',
  reset: 'M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z',
};

const SHARED = {
  en: 'Link copied. It holds the settings, not the trained weights: whoever opens it trains from the start.',
  zh: '链接已复制。链接只保存设置，不含训练好的权重：打开它的人会从头开始训练。',
};
// A pace's name in both languages: epochs per second, or "fast" for as fast as the server allows (null).
function paceLabel(pace) {
  if (pace === null) return { en: 'Fast', zh: '最快' };
  return { en: `${pace.toLocaleString('en-US')} epochs/s`, zh: `每秒 ${pace.toLocaleString('en-US')} 轮` };
}

const SHARE_FAILED = { en: 'Could not copy; the link is in the address bar.', zh: '无法复制；链接就在地址栏中。' };

// Keys belong to the control that has focus when it is one that uses them itself.
function typing(target) {
  return target instanceof Element && target.closest('input, select, textarea, button, [contenteditable], [role="slider"]') !== null;
}

async function copyText(text) {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = el('textarea', { readonly: '', class: 'pg-visually-hidden' }, document.body);
  area.value = text;
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

function icon(button, name) {
  button.replaceChildren();
  const root = svg('svg', { viewBox: '0 0 24 24', width: '60%', height: '60%', 'aria-hidden': 'true', focusable: 'false' }, button);
  svg('path', { d: ICONS[name], fill: 'currentColor' }, root);
}

export class Transport extends Widget {
  // options: {onPlay, onPause, onStep, onReset, onReseed, paces (the server's choices), onPace(pace)}
  constructor(container, options) {
    super(container, options);
    const button = (id, cls, label, en, zh) => {
      const b = el('button', { type: 'button', id, class: cls, 'aria-label': label }, container);
      if (en) bilingual(b, en, zh);
      return b;
    };
    this.$reset = button('pg-reset', 'pg-round', 'Reset: same initial weights');
    icon(this.$reset, 'reset');
    this.$play = button('pg-play', 'pg-play', 'Play');
    this.$step = button('pg-step', 'pg-round', 'Step one epoch');
    icon(this.$step, 'step');
    const speed = el('label', { class: 'pg-speed' }, container);
    bilingual(el('span', { class: 'pg-counter-label' }, speed), 'Speed', '速度');
    this.$pace = el('select', { id: 'pg-pace' }, speed);
    for (const pace of options.paces ?? []) localised(el('option', { value: pace === null ? 'max' : String(pace) }, this.$pace), paceLabel(pace));
    this.$pace.addEventListener('change', () => options.onPace?.(this.$pace.value === 'max' ? null : Number(this.$pace.value)));
    onLangChange(() => relabel(this.$pace));
    this.$reseed = button('pg-reseed', 'pg-text-button', 'Reseed: new initial weights', 'Reseed', '换初值');
    this.$share = button('pg-share', 'pg-text-button', 'Share: copy a link to these settings', 'Share', '分享');
    const counter = el('div', { class: 'pg-counter' }, container);
    bilingual(el('span', { class: 'pg-counter-label' }, counter), 'Epoch', '轮次');
    this.$epoch = el('output', { id: 'pg-epoch', text: '000,000', 'aria-live': 'off' }, counter);
    this.$rate = el('span', { id: 'pg-rate', class: 'pg-rate muted' }, counter);
    // A new network's first second: it trains without XLA (op by op, then in graph mode) while XLA compiles it.
    this.$compiling = bilingual(el('span', {
      id: 'pg-compiling', class: 'pg-rate muted', hidden: '',
      title: 'Training without XLA while XLA compiles this network; the numbers are replayed exactly once it is ready.',
    }, counter), 'compiling XLA…', '正在编译 XLA…');
    this.$status = el('p', { id: 'pg-status', class: 'pg-status', role: 'status' }, this.options.statusContainer ?? container);
    this._playing = false;
    this._setPlayIcon();
    this.$play.addEventListener('click', () => (this._playing ? options.onPause() : options.onPlay()));
    this.$step.addEventListener('click', () => options.onStep());
    this.$reset.addEventListener('click', () => options.onReset());
    this.$reseed.addEventListener('click', () => options.onReseed());
    this.$share.addEventListener('click', () => this._share());
    document.addEventListener('keydown', (event) => this._key(event));
  }

  _key(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key === ' ') {
      event.preventDefault(); // not a page scroll
      this.$play.click();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      this.$step.click();
    }
  }

  async _share() {
    try {
      await copyText(location.href);
      this.showMessage(t(SHARED));
    } catch {
      this.showMessage(t(SHARE_FAILED), null, 'error');
    }
  }

  // The pace the select shows (a value from a link that is not one of the choices is added to them).
  setPace(pace) {
    const value = pace === null ? 'max' : String(pace);
    if (![...this.$pace.options].some((o) => o.value === value)) {
      localised(el('option', { value }, this.$pace), paceLabel(pace));
    }
    this.$pace.value = value;
    return this;
  }

  _setPlayIcon() {
    icon(this.$play, this._playing ? 'pause' : 'play');
    this.$play.setAttribute('aria-label', this._playing ? 'Pause' : 'Play');
    this.$play.classList.toggle('pg-playing', this._playing);
  }

  setPlaying(playing) {
    if (playing !== this._playing) {
      this._playing = playing;
      this._setPlayIcon();
    }
    return this;
  }

  // data: a frame header.
  update(header) {
    this.$epoch.textContent = header.epoch.toLocaleString('en-US', { minimumIntegerDigits: 6 });
    this.$epoch.dataset.epoch = String(header.epoch);
    this.$rate.textContent = header.epochs_per_second > 0 ? `${Math.round(header.epochs_per_second).toLocaleString('en-US')} epochs/s` : '';
    this.$compiling.hidden = !header.compiling;
    if (header.status === 'diverged') {
      this.showMessage('Training diverged — lower the learning rate (or reset) to continue.', header.message, 'error');
    } else if (this._kind === 'diverged') {
      this.showMessage('');
    }
    return this;
  }

  // kind: "error" | "diverged" | "" ; details in the title attribute.
  showMessage(text, details = null, kind = '') {
    this._kind = text && kind === 'error' && details ? 'diverged' : kind;
    this.$status.textContent = text;
    this.$status.title = details ?? '';
    this.$status.className = `pg-status${kind ? ` pg-${kind}` : ''}`;
    this.$status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    return this;
  }

  // The stream has ended (the server restarted): the epoch reached stays, the rate and "compiling" no longer hold.
  stopped() {
    this.$rate.textContent = '';
    this.$compiling.hidden = true;
    return this;
  }

  reset() {
    this.$epoch.textContent = '000,000';
    this.$rate.textContent = '';
    this.$compiling.hidden = true;
    return this;
  }
}
