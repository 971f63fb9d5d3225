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
  // Your own data (the data panel): drawing, CSV import, and why the server refused some data.
  'data.heading': { en: 'Your own data', zh: '自己的数据' },
  'data.edit': { en: 'Draw points', zh: '绘制数据点' },
  'data.edit-hint': {
    en: 'Click or drag on the output to add points; shift-click or the eraser removes the nearest ones.',
    zh: '在输出图上点击或拖动来添加数据点；按住 Shift 点击或用橡皮擦删除最近的点。',
  },
  'data.class': { en: 'Class', zh: '类别' },
  'data.class-n': { en: 'class {n}', zh: '类别 {n}' },
  'data.add-class': { en: 'Add a class', zh: '添加类别' },
  'data.target': { en: 'Target value', zh: '目标值' },
  'data.eraser': { en: 'Eraser', zh: '橡皮擦' },
  'data.clear': { en: 'Clear', zh: '清空' },
  'data.problem': { en: 'Problem', zh: '问题类型' },
  'data.problem-auto': { en: 'Inferred ({problem})', zh: '自动判断（{problem}）' },
  'data.count': { en: '{rows} of at most {max} points', zh: '{rows} 个点（最多 {max} 个）' },
  'data.full': { en: 'The limit is reached: at most {max} points.', zh: '已达上限：最多 {max} 个点。' },
  'data.too-few': {
    en: 'Training on your points needs at least {min} of them, of {classes} classes or more for classification; '
      + 'until then the network keeps its data.',
    zh: '用你的数据点训练至少需要 {min} 个点，分类还需要至少 {classes} 个类别；在此之前网络仍使用原来的数据。',
  },
  'data.paste': { en: 'Paste CSV', zh: '粘贴 CSV' },
  'data.upload': { en: 'Upload CSV…', zh: '上传 CSV…' },
  'data.drop-hint': { en: 'Or drop a CSV file on this panel.', zh: '也可以把 CSV 文件拖放到此面板上。' },
  'data.paste-title': { en: 'Paste CSV data', zh: '粘贴 CSV 数据' },
  'data.format': {
    en: 'One point per line: x1,x2,label (a header line is optional). Labels: 0, 1, … or class names for '
      + 'classification, numbers for regression.',
    zh: '每行一个点：x1,x2,label（表头可有可无）。标签：分类用 0、1、… 或类别名，回归用数值。',
  },
  'data.use': { en: 'Use these points', zh: '使用这些点' },
  'data.cancel': { en: 'Cancel', zh: '取消' },
  'data.download': { en: 'Download CSV', zh: '下载 CSV' },
  'data.loaded': { en: '{rows} points loaded.', zh: '已载入 {rows} 个点。' },
  'data.scaled': {
    en: 'The coordinates were scaled into the square; the axes show the original values '
      + '(x1 {x1lo} to {x1hi}, x2 {x2lo} to {x2hi}).',
    zh: '坐标已缩放到方形区域内；坐标轴显示原始数值（x1 从 {x1lo} 到 {x1hi}，x2 从 {x2lo} 到 {x2hi}）。',
  },
  'data.keep': {
    en: 'Your own points are not part of the link: save the run to keep them (or download the CSV).',
    zh: '自己的数据点不包含在链接中：请保存运行（或下载 CSV）来保留它们。',
  },
  'data.expired': {
    en: 'The data this link named is no longer on the server (it is kept for a while only); the default '
      + 'dataset is shown. Save a run to keep your own data.',
    zh: '此链接指向的数据已不在服务器上（只保留一段时间），现显示默认数据集。保存运行可以保留自己的数据。',
  },
  'data.too-large': { en: 'The file is larger than the upload limit of {limit}. ', zh: '文件超过了上传上限 {limit}。' },
  'data.not-csv': { en: 'This is not CSV text. ', zh: '这不是 CSV 文本。' },
  'data.store-full': {
    en: 'The server holds too many datasets right now; try again in a minute. ',
    zh: '服务器现在保存的数据集太多，请一分钟后再试。',
  },
  'data.too-many-rows': { en: 'At most {limit} rows. ', zh: '最多 {limit} 行。' },
  'data.at-cell': { en: 'Row {row}, column {column}: ', zh: '第 {row} 行第 {column} 列：' },
  'data.at-row': { en: 'Row {row}: ', zh: '第 {row} 行：' },
  'data.whole-file': { en: 'The file as a whole: ', zh: '整个文件：' },
  'data.refused': { en: 'The data was refused: ', zh: '数据被拒绝：' },
  'data.kept': { en: ' The data is as it was.', zh: ' 数据保持原样。' },
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
