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
  'restart.happened': {
    en: "The server restarted, and this page's live session went with it.",
    zh: '服务器已重启，本页的实时会话随之结束。',
  },
  'restart.open-run': { en: 'Reload the saved run', zh: '重新载入保存的运行' },
  'restart.reconnect': { en: 'Reconnect with the same settings', zh: '以相同设置重新连接' },
  'restart.not-back': { en: 'The server is not back yet; try again in a moment.', zh: '服务器尚未恢复，请稍后再试。' },
  'restart.failed': { en: 'Could not reconnect:', zh: '无法重新连接：' },
};

export function say(key) {
  const entry = CATALOGUE[key];
  if (!entry) throw new Error(`No catalogue entry ${key}; expected one of ${Object.keys(CATALOGUE).join(', ')}`);
  return t(entry);
}

// Saved runs (the playground's Save button and the /runs page): every string in both languages.
export const RUN_TEXT = {
  save: { en: 'Save run', zh: '保存运行' },
  saving: { en: 'Saving…', zh: '正在保存…' },
  saved: { en: 'Saved: ', zh: '已保存：' },
  nameLabel: { en: 'Name', zh: '名称' },
  noteLabel: { en: 'Note (optional)', zh: '备注（可选）' },
  saveFailed: { en: 'Could not save: ', zh: '无法保存：' },
  openFailed: { en: 'Could not open the saved run: ', zh: '无法打开保存的运行：' },
  opened: { en: 'Saved run opened; training continues from its epoch as a new session.', zh: '已打开保存的运行；训练将从该轮次以新会话继续。' },
  title: { en: 'Saved runs', zh: '保存的运行' },
  intro: { en: 'Tick two to six runs to compare their loss curves, decision boundaries and settings.', zh: '勾选两到六个运行，比较它们的损失曲线、决策边界和设置。' },
  none: { en: 'No saved runs yet: press "Save run" in the playground.', zh: '还没有保存的运行：在游乐场中点击“保存运行”。' },
  compare: { en: 'Compare', zh: '比较' },
  pickMore: { en: 'Tick at least two runs.', zh: '请至少勾选两个运行。' },
  pickFewer: { en: 'Six runs at most.', zh: '最多六个运行。' },
  colName: { en: 'Name', zh: '名称' },
  colDataset: { en: 'Dataset', zh: '数据集' },
  colNetwork: { en: 'Network', zh: '网络' },
  colEpochs: { en: 'Epochs', zh: '轮次' },
  colTestLoss: { en: 'Test loss', zh: '测试损失' },
  colWhen: { en: 'Saved', zh: '保存时间' },
  open: { en: 'Open', zh: '打开' },
  delete: { en: 'Delete', zh: '删除' },
  deleteFailed: { en: 'Could not delete: ', zh: '无法删除：' },
  untitled: { en: '(untitled)', zh: '（未命名）' },
  previous: { en: 'Newer', zh: '较新' },
  next: { en: 'Older', zh: '较旧' },
  curvesTitle: { en: 'Test loss over epochs', zh: '测试损失随轮次变化' },
  boundariesTitle: { en: 'Decision boundaries at the saved epoch', zh: '保存轮次时的决策边界' },
  diffTitle: { en: 'Settings that differ', zh: '不同的设置' },
  noDiff: { en: 'These runs have the same settings.', zh: '这些运行的设置相同。' },
  setting: { en: 'Setting', zh: '设置' },
  epoch: { en: 'Epoch', zh: '轮次' },
};
