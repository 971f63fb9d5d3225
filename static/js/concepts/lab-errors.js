// A lab's failure in words: which input it is about and what was expected, in the page's language. The
// server's 422 names a field (loc) and a type with its parameters (ctx); an engine error is a sentence that
// names the field; a LabError from reading an input carries that input.

import { describeError } from '../api.js';
import { has, say } from '../i18n.js';
import { num } from './notation.js';

const kebab = (name) => String(name).replaceAll('_', '-');

// The input of `container` for a request field: its id ends with the field's path (or last part) in kebab
// case, e.g. y_pred -> #losses-y-pred, curve.start -> #losses-start; `ids` maps the fields named otherwise.
export function inputFor(container, path, ids = {}) {
  const parts = path.filter((p) => typeof p === 'string');
  if (!parts.length) return null;
  const mapped = ids[parts.join('.')] ?? ids[parts.at(-1)];
  if (mapped) return container.querySelector(`#${mapped}`);
  for (const suffix of [parts.map(kebab).join('-'), kebab(parts.at(-1))]) {
    const found = container.querySelector(`input[id$="-${suffix}"], textarea[id$="-${suffix}"], select[id$="-${suffix}"]`);
    if (found) return found;
  }
  return null;
}

// The field names of a request, nested ones as paths: {curve: {start}} -> [['curve'], ['curve', 'start']].
function fieldPaths(request, prefix = []) {
  if (!request || typeof request !== 'object' || Array.isArray(request)) return [];
  return Object.entries(request).flatMap(([key, value]) => [[...prefix, key], ...fieldPaths(value, [...prefix, key])]);
}

// The field an engine message names first ("kl_divergence expects y_pred …" -> ['y_pred']).
export function fieldNamedIn(message, request) {
  let best = null;
  for (const path of fieldPaths(request)) {
    const match = new RegExp(`(^|[^\\w])${path.at(-1)}([^\\w]|$)`).exec(message);
    if (match && (best === null || match.index < best.index)) best = { index: match.index, path };
  }
  return best?.path ?? [];
}

// The label a learner sees for an input (its <label for>, in the page's language), else the field's name.
export function labelOf(container, input, name) {
  const label = input && container.querySelector(`label[for="${input.id}"]`);
  const text = label?.innerText.split(/[:：(（]/)[0].trim();
  return say('error.label', { label: text || name });
}

// {input, message}: the input the error is about (or null) and the sentence to show beside it.
export function explain(error, container, request, ids = {}) {
  const detail = error?.detail;
  if (Array.isArray(detail) && detail.length) return explainItem(detail[0], container, ids);
  // An error of the app's own says its code's sentence (the server's English for a code the catalogue lacks).
  const message = error?.code || typeof detail === 'string' ? describeError({ detail, code: error.code, params: error.params })
    : String(error?.message ?? error);
  if (error?.input) return { input: error.input, message };
  const path = typeof detail === 'string' ? fieldNamedIn(detail, request) : [];
  const input = inputFor(container, path, ids);
  // A coded sentence names its field itself; the server's English is prefixed with the input's label.
  const coded = Boolean(error?.code) && has(`error.${error.code}`);
  return { input, message: input && !coded ? say('error.named', { field: labelOf(container, input, path.at(-1)), message }) : message };
}

function explainItem(item, container, ids) {
  const path = (item.loc ?? []).slice(1);
  const input = inputFor(container, path, ids);
  const ctx = item.ctx ?? {};
  const field = labelOf(container, input, path.filter((p) => typeof p === 'string').join('.') || 'body');
  if (item.type === 'range_order') {
    const named = (name) => labelOf(container, inputFor(container, [...path.slice(0, -1), name], ids), name);
    return { input, message: say('error.range_order', { lowerLabel: named(ctx.lower), upperLabel: named(ctx.upper),
      lower_value: num(ctx[ctx.lower]), upper_value: num(ctx[ctx.upper]) }) };
  }
  if (has(`error.${item.type}`)) {
    const params = Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k, num(v)]));
    return { input, message: say(`error.${item.type}`, { ...params, field, input: num(item.input) }) };
  }
  // A message of the server's own: drop pydantic's "Value error, " prefix and name the field in words.
  const message = String(item.msg ?? '').replace(/^Value error, /, '');
  return { input, message: path.length ? say('error.named', { field, message }) : message };
}
