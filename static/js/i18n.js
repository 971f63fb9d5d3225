// Language switch shared by every page. Bilingual text is written in the templates as
// <span data-lang="en">…</span><span data-lang="zh">…</span>; CSS shows the current language only.
// Short UI strings built in JavaScript use t({en, zh}).

const STORAGE_KEY = 'tp.lang';
const LANGS = ['en', 'zh'];
const listeners = new Set();

export function currentLang() {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return LANGS.includes(stored) ? stored : 'en';
}

export function t(text) {
  return text[currentLang()] ?? text.en;
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

function apply(lang) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.documentElement.dataset.lang = lang;
  const button = document.getElementById('lang-switch');
  if (button) button.textContent = lang === 'zh' ? 'English' : '中文';
}

if (typeof document !== 'undefined') {
  apply(currentLang());
  document.getElementById('lang-switch')?.addEventListener('click', () => {
    setLang(currentLang() === 'en' ? 'zh' : 'en');
  });
}
