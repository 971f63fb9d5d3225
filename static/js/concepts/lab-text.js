// The concept labs' catalogue of error sentences, by the server's error type, in every language. Each
// entry is a function of the field's label (`field`, as the page shows it) and the error's parameters.

export const LAB_ERRORS = {
  range_order: {
    en: (p) => `${p.upperLabel} must be greater than ${p.lowerLabel}; received ${p.lowerLabel} ${p.lower_value} and ${p.upperLabel} ${p.upper_value}.`,
    zh: (p) => `${p.upperLabel}必须大于${p.lowerLabel}；收到的${p.lowerLabel}为 ${p.lower_value}，${p.upperLabel}为 ${p.upper_value}。`,
  },
  greater_than_equal: {
    en: (p) => `${p.field} must be at least ${p.ge}; received ${p.input}.`,
    zh: (p) => `${p.field}不能小于 ${p.ge}；收到 ${p.input}。`,
  },
  less_than_equal: {
    en: (p) => `${p.field} must be at most ${p.le}; received ${p.input}.`,
    zh: (p) => `${p.field}不能大于 ${p.le}；收到 ${p.input}。`,
  },
  greater_than: {
    en: (p) => `${p.field} must be greater than ${p.gt}; received ${p.input}.`,
    zh: (p) => `${p.field}必须大于 ${p.gt}；收到 ${p.input}。`,
  },
  less_than: {
    en: (p) => `${p.field} must be less than ${p.lt}; received ${p.input}.`,
    zh: (p) => `${p.field}必须小于 ${p.lt}；收到 ${p.input}。`,
  },
  too_short: {
    en: (p) => `${p.field} needs at least ${p.min_length} values.`,
    zh: (p) => `${p.field}至少需要 ${p.min_length} 个值。`,
  },
  too_long: {
    en: (p) => `${p.field} takes at most ${p.max_length} values.`,
    zh: (p) => `${p.field}最多只能有 ${p.max_length} 个值。`,
  },
  other: {
    en: (p) => (p.field ? `${p.field}: ${p.message}` : p.message),
    zh: (p) => (p.field ? `${p.field}：${p.message}` : p.message),
  },
};

export const LAB_TEXT = {
  error: { en: 'Error: ', zh: '错误：' },
};
