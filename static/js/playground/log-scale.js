// When a loss chart reads better on a log axis: pure, so the rule is unit-tested without a browser.

// Losses whose largest and smallest values differ by this factor (two decades) read better on a log scale.
export const LOG_SPAN = 100;

// Whether a log axis suits these values: every finite one positive, and together spanning LOG_SPAN or more.
export function wantsLog(values) {
  let min = Infinity;
  let max = 0;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v <= 0) return false;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return max > 0 && max / min >= LOG_SPAN;
}
