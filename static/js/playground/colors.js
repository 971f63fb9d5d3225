// Colour scales, pure (no DOM): numbers in, RGB triples or lookup tables out.
// Blue is positive / class 1, orange negative / class 0, as in TensorFlow Playground.

export const POSITIVE = [8, 119, 189];
export const NEGATIVE = [245, 147, 34];
export const NEUTRAL = [232, 234, 235];
// Multi-class: one colour per class (class 0 and 1 keep the binary colours).
export const CLASS_COLORS = [NEGATIVE, POSITIVE, [46, 125, 50], [198, 40, 40], [106, 27, 154], [0, 131, 143],
  [93, 64, 55], [173, 20, 87], [85, 139, 47], [69, 90, 100], [255, 111, 0], [48, 63, 159], [0, 121, 107],
  [191, 54, 12], [123, 31, 162], [2, 119, 189]];

// How far the output's background goes from neutral toward a class colour: the data points, drawn in the
// full colours, stay visible on the region they belong to (as in TensorFlow Playground).
export const BACKGROUND_STRENGTH = 0.6;

export function clamp(v, lo, hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t].map(Math.round);
}

// t in [-1, 1] (clipped): orange through grey-white to blue.
export function diverging(t) {
  const v = clamp(Number.isFinite(t) ? t : 0, -1, 1);
  return v >= 0 ? mix(NEUTRAL, POSITIVE, v) : mix(NEUTRAL, NEGATIVE, -v);
}

// Probability of class 1 in [0, 1]; with `discrete`, only the two class colours.
export function probability(p, discrete = false) {
  if (discrete) return p >= 0.5 ? [...POSITIVE] : [...NEGATIVE];
  return diverging(2 * p - 1);
}

// A colour as the output's background shows it: nearer neutral by BACKGROUND_STRENGTH.
export function background(rgb) {
  return mix(NEUTRAL, rgb, BACKGROUND_STRENGTH);
}

export function classColor(c) {
  return CLASS_COLORS[c % CLASS_COLORS.length];
}

// The probability of class c in [0, 1]: neutral to the class's colour.
export function classScale(c) {
  const colour = classColor(c);
  return (p) => mix(NEUTRAL, colour, clamp(Number.isFinite(p) ? p : 0, 0, 1));
}

// Class probabilities → their colours blended by probability and faded toward neutral where the
// network is unsure (all probabilities near 1/k). With `discrete`, the most probable class's colour.
export function blendClasses(probs, discrete = false) {
  const k = probs.length;
  let best = 0;
  for (let c = 1; c < k; c++) if (probs[c] > probs[best]) best = c;
  if (discrete) return [...classColor(best)];
  const sum = [0, 0, 0];
  let total = 0;
  for (let c = 0; c < k; c++) {
    const col = classColor(c);
    sum[0] += probs[c] * col[0]; sum[1] += probs[c] * col[1]; sum[2] += probs[c] * col[2];
    total += probs[c];
  }
  const avg = total > 0 ? sum.map((s) => s / total) : [...NEUTRAL];
  const confidence = k > 1 ? clamp((probs[best] - 1 / k) / (1 - 1 / k), 0, 1) : 1;
  return mix(NEUTRAL, avg, confidence);
}

// A 256-entry RGB table for bytes that stand for lo + q / 255 * (hi - lo): colour = fn(value).
export function lookupTable(lo, hi, fn) {
  const table = new Uint8ClampedArray(256 * 3);
  for (let q = 0; q < 256; q++) {
    const rgb = fn(lo + (q / 255) * (hi - lo));
    table[3 * q] = rgb[0]; table[3 * q + 1] = rgb[1]; table[3 * q + 2] = rgb[2];
  }
  return table;
}

// Fill RGBA pixels (length 4n) from n bytes through a lookup table.
export function paint(rgba, bytes, table) {
  for (let i = 0, n = bytes.length; i < n; i++) {
    const q = 3 * bytes[i];
    rgba[4 * i] = table[q]; rgba[4 * i + 1] = table[q + 1]; rgba[4 * i + 2] = table[q + 2]; rgba[4 * i + 3] = 255;
  }
  return rgba;
}

export function css(rgb, alpha = 1) {
  return alpha === 1 ? `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})` : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}

// The colour a value gets in the network and the output: symmetric around 0 over [-scale, scale].
export function valueColor(v, scale = 1) {
  return diverging(scale > 0 ? v / scale : 0);
}
