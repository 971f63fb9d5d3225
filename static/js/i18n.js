// The language switch and the language catalogue shared by every page.
//
// Every string a user can see lives in one catalogue per language, static/i18n/en.json and
// static/i18n/zh.json: flat keys, the same in both files, with {name} placeholders. A new string is a key
// added to both files (tests/js/catalogue.test.mjs checks they agree and that every key used exists).
// say(key, params) reads one in the page's language here; the templates' say(key) (app/api/routes/pages.py)
// writes both languages as <span data-lang="en">…</span><span data-lang="zh">…</span>, which CSS shows one
// at a time, so the pages switch language without a reload. Keys said by templates may hold inline HTML
// (<em>, <code>); keys said here are plain text.

import en from '../i18n/en.json' with { type: 'json' };
import zh from '../i18n/zh.json' with { type: 'json' };

const STORAGE_KEY = 'tp.lang';
export const LANGS = ['en', 'zh'];
const CATALOGUES = { en, zh };
const listeners = new Set();

// Every entry in every language, by key: {key: {en, zh}}, for a widget that keeps both.
export const CATALOGUE = Object.fromEntries(Object.keys(en).map((key) => [key, { en: en[key], zh: zh[key] }]));

export function currentLang() {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return LANGS.includes(stored) ? stored : 'en';
}

export function has(key) {
  return Object.hasOwn(en, key);
}

// `text` with each {name} replaced by params[name]; a placeholder without a parameter stays as written.
export function fill(text, params = {}) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

export function sayIn(lang, key, params = {}) {
  const catalogue = CATALOGUES[lang] ?? en;
  if (!Object.hasOwn(catalogue, key)) {
    throw new Error(`No catalogue entry ${key} in static/i18n/${lang}.json; add it to every language`);
  }
  return fill(catalogue[key], params);
}

// The entry `key` in the page's language, its placeholders filled from `params`.
export function say(key, params = {}) {
  return sayIn(currentLang(), key, params);
}

// The entry `key` in every language: {en, zh}, for text that must follow a language switch in place.
export function both(key, params = {}) {
  return Object.fromEntries(LANGS.map((lang) => [lang, sayIn(lang, key, params)]));
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function setLang(lang) {
  if (!LANGS.includes(lang)) throw new Error(`Unknown language ${lang}; expected one of ${LANGS.join(', ')}`);
  localStorage.setItem(STORAGE_KEY, lang);
  apply(lang);
  for (const fn of listeners) fn(lang);
}

// Text that cannot be two spans (an <option>, an attribute) is written here in the page's language: a
// template names its key in data-say (text), data-say-title or data-say-aria-label; a script keeps both
// languages in data-en and data-zh (playground/dom.js: localised()).
function apply(lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.documentElement.dataset.lang = lang;
  for (const node of document.querySelectorAll('[data-en][data-zh]')) node.textContent = node.dataset[lang];
  for (const node of document.querySelectorAll('[data-say]')) node.textContent = sayIn(lang, node.dataset.say);
  for (const node of document.querySelectorAll('[data-say-title]')) node.title = sayIn(lang, node.dataset.sayTitle);
  for (const node of document.querySelectorAll('[data-say-aria-label]')) {
    node.setAttribute('aria-label', sayIn(lang, node.dataset.sayAriaLabel));
  }
  const button = document.getElementById('lang-switch');
  if (button) button.textContent = sayIn(lang, 'nav.switch-language');
}

if (typeof document !== 'undefined') {
  apply(currentLang());
  document.getElementById('lang-switch')?.addEventListener('click', () => {
    setLang(currentLang() === 'en' ? 'zh' : 'en');
  });
}
