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

// The language catalogue: strings the pages build in JavaScript, by key, in every language. say(key)
// reads one in the current language; a widget that keeps both (bilingual spans) takes the entry itself.
export const CATALOGUE = {
  'code.epochs': { en: 'Epochs', zh: '训练轮数' },
  'code.epochs-hint': {
    en: "By default the session's epochs, capped (the script says so)",
    zh: '默认与本会话已训练的轮数相同，但有上限（见脚本注释）',
  },
  'code.copy': { en: 'Copy', zh: '复制' },
  'code.copied': { en: 'Copied', zh: '已复制' },
  'code.copy-failed': { en: 'Could not copy: select the text and copy it', zh: '无法复制：请选中文本后手动复制' },
  'code.load-failed': { en: 'Could not load the script:', zh: '无法加载脚本：' },
};

export function say(key) {
  const entry = CATALOGUE[key];
  if (!entry) throw new Error(`No catalogue entry ${key}; expected one of ${Object.keys(CATALOGUE).join(', ')}`);
  return t(entry);
}
