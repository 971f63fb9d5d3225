// Why the server refused some data (POST /api/datasets), in words a learner reads, in both languages.
// Pure (no DOM): tested with node --test. The server's own message is kept as plain text and framed by the
// catalogue's strings (where in the file, what the limit is), so the place and the advice are translated.

import { catalogueText as entry } from './dom.js';

// Texts in both languages, one after the other.
export function join(...parts) {
  return { en: parts.map((p) => p.en).join(''), zh: parts.map((p) => p.zh).join('') };
}

// Bytes as a reader says them: 1048576 → "1 MB".
export function formatBytes(n) {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

// error: an ApiError (status, detail as sent); custom: /api/options' custom_data. → {en, zh}
export function describeDataError(error, custom) {
  const detail = error.detail;
  const message = typeof detail === 'object' && detail !== null && !Array.isArray(detail)
    ? String(detail.message ?? '') : String(error.message ?? '');
  const plain = { en: message, zh: message };
  if (error.status === 413) return join(entry('data.too-large', { limit: formatBytes(custom.upload_bytes) }), plain);
  if (error.status === 415) return join(entry('data.not-csv'), plain);
  if (error.status === 429 || error.status === 503) return join(entry('data.store-full'), plain);
  if (error.status === 422 && typeof detail === 'object' && detail !== null && !Array.isArray(detail)) {
    const { row, column } = detail;
    // The row cap (detail.limit names the setting): say the number the page was given, in its language.
    if (detail.limit !== undefined && row == null) return join(entry('data.too-many-rows', { limit: custom.max_rows }), plain);
    if (row != null && column != null) return join(entry('data.at-cell', { row, column }), plain);
    if (row != null) return join(entry('data.at-row', { row }), plain);
    return join(entry('data.whole-file'), plain);
  }
  return join(entry('data.refused'), plain);
}
