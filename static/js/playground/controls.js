// The hyper-parameter bar, built from /api/options: learning rate (live), schedule and its parameters,
// activation, loss (only those fitting the problem), optimizer, regularization and its rate, problem type.
// Choices from the registries are shown in the page's language and follow the language switch.

import { currentLang, onLangChange } from '../i18n.js';
import { Widget, bilingual, el, field, labels, relabel, said, setOptions } from './dom.js';

// The steps the rate menus offer (TensorFlow Playground's); only those within the server's limits are shown.
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];


const choices = (entries) => entries.map((e) => ({ value: e.name, label: labels(e) }));

// The presets within `limits` (/api/options: minimum, maximum, exclusive_minimum), plus the current value.
function within(presets, limits) {
  return presets.filter((v) => (limits.exclusive_minimum ? v > limits.minimum : v >= (limits.minimum ?? -Infinity))
    && v <= (limits.maximum ?? Infinity));
}

function withValue(presets, value) {
  const values = presets.includes(value) ? presets : [...presets, value].sort((a, b) => a - b);
  return values.map((v) => ({ value: v, label: String(v) }));
}

export class Controls extends Widget {
  // options: {options: /api/options, onChange(changes)}
  constructor(container, options) {
    super(container, options);
    const o = options.options;
    const change = (changes) => options.onChange(changes);
    this.$lr = field(container, { id: 'pg-learning-rate', key: 'playground.learning-rate' });
    this.$lr.addEventListener('change', () => change({ learning_rate: Number(this.$lr.value) }));
    this.$schedule = field(container, { id: 'pg-lr-schedule', key: 'playground.lr-schedule' });
    setOptions(this.$schedule, choices(o.lr_schedules));
    this.$schedule.addEventListener('change', () => change({ lr_schedule: { name: this.$schedule.value, params: {} } }));
    this.$scheduleParams = el('div', { class: 'pg-schedule-params' }, container);
    this.$activation = field(container, { id: 'pg-activation', key: 'playground.activation' });
    setOptions(this.$activation, choices(o.activations));
    this.$activation.addEventListener('change', () => change({ activation: this.$activation.value }));
    this.$loss = field(container, { id: 'pg-loss', key: 'playground.loss' });
    this.$loss.addEventListener('change', () => change({ loss: this.$loss.value }));
    this.$optimizer = field(container, { id: 'pg-optimizer', key: 'playground.optimizer' });
    setOptions(this.$optimizer, choices(o.optimizers));
    this.$optimizer.addEventListener('change', () => change({ optimizer: this.$optimizer.value }));
    this.$reg = field(container, { id: 'pg-regularization', key: 'playground.regularization' });
    setOptions(this.$reg, choices(o.regularizations));
    this.$reg.addEventListener('change', () => change({ regularization: this.$reg.value }));
    this.$regRate = field(container, { id: 'pg-regularization-rate', key: 'playground.regularization-rate' });
    this.$regRate.addEventListener('change', () => change({ regularization_rate: Number(this.$regRate.value) }));
    const problem = el('div', { class: 'pg-field' }, container);
    said(el('span', { class: 'pg-field-label' }, problem), 'playground.problem-type');
    this.$problem = el('output', { id: 'pg-problem', class: 'pg-problem' }, problem);
    onLangChange(() => relabel(container));
  }

  // data: {state, problem}
  update({ state, problem }) {
    const o = this.options.options;
    setOptions(this.$lr, withValue(within(LEARNING_RATES, o.limits.learning_rate), state.learning_rate), state.learning_rate);
    this.$schedule.value = state.lr_schedule.name;
    this.$activation.value = state.activation;
    const fitting = o.losses.filter((l) => l.problems.includes(problem));
    setOptions(this.$loss, choices(fitting), state.loss ?? o.default_losses[problem]);
    this.$optimizer.value = state.optimizer;
    this.$reg.value = state.regularization;
    setOptions(this.$regRate, withValue(within(REG_RATES, o.limits.regularization_rate), state.regularization_rate),
      state.regularization_rate);
    this.$regRate.disabled = state.regularization === 'none';
    this.$problem.replaceChildren();
    said(this.$problem, `playground.problem-${problem}`);
    this._scheduleParams(state);
    return this;
  }

  _scheduleParams(state) {
    const chosen = state.lr_schedule;
    const schedule = this.options.options.lr_schedules.find((s) => s.name === chosen.name);
    const key = JSON.stringify(chosen);
    if (key === this._paramsKey) return;
    this._paramsKey = key;
    this.$scheduleParams.replaceChildren();
    for (const [name, p] of Object.entries(schedule?.params ?? {})) {
      const id = `pg-lr-${name}`;
      const value = chosen.params[name] ?? p.default;
      const wrap = el('div', { class: 'pg-field pg-param' }, this.$scheduleParams);
      const hint = currentLang() === 'zh' ? p.description_zh ?? p.description : p.description;
      bilingual(el('label', { for: id, title: hint }, wrap), name.replace(/_/g, ' '), p.label_zh);
      const input = p.kind === 'bool'
        ? el('input', { id, type: 'checkbox', checked: value === true }, wrap)
        : el('input', {
          id, type: p.kind.endsWith('s') ? 'text' : 'number', value: Array.isArray(value) ? value.join(',') : value,
          step: p.kind === 'int' ? '1' : 'any', min: p.minimum ?? undefined, max: p.maximum ?? undefined,
          size: 10, title: hint,
        }, wrap);
      input.addEventListener('change', () => {
        let v;
        if (p.kind === 'bool') v = input.checked;
        else if (p.kind.endsWith('s')) v = input.value.split(',').map(Number);
        else v = Number(input.value);
        if (Array.isArray(v) ? !v.every(Number.isFinite) : typeof v === 'number' && !Number.isFinite(v)) return;
        this.options.onChange({ lr_schedule: { name: chosen.name, params: { ...chosen.params, [name]: v } } });
      });
    }
  }
}
