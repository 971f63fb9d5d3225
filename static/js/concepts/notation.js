// How the labs write numbers and formulas for a reader: a real minus sign (U+2212), never a hyphen; a
// negative number in parentheses where it is an operand ("(−0.5)²", "1 − (−1)·0.1"), since "−0.5²" is
// −(0.5²); and a negative term after "+" or "−" folded into the sign ("a − 1", not "a + -1").

export const MINUS = '\u2212';

// A number as text, to `digits` decimals (exponent form when very large or small), with a real minus.
export function num(x, digits = 4) {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') {
    const text = String(x).trim();
    return text !== '' && Number.isFinite(Number(text)) ? num(Number(text), digits) : String(x);
  }
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : `${MINUS}∞`;
  let text;
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-4)) text = x.toExponential(digits - 1);
  else text = Number(x.toFixed(digits)).toString();
  // toFixed can round a small negative to "-0"
  return text === '-0' ? '0' : text.replaceAll('-', MINUS);
}

// A number as an operand of an operator or a power: parenthesised when negative.
export function operand(x, digits = 4) {
  const text = num(x, digits);
  return text.startsWith(MINUS) ? `(${text})` : text;
}

// x², written (−0.5)² for a negative x.
export function squared(x, digits = 4) {
  return `${operand(x, digits)}²`;
}

// " + x" or " − |x|": a term added after another, its sign folded into the operator.
export function plus(x, digits = 4) {
  const text = num(x, digits);
  return text.startsWith(MINUS) ? ` ${MINUS} ${text.slice(1)}` : ` + ${text}`;
}

// " − x" or " + |x|": a term subtracted after another.
export function minus(x, digits = 4) {
  const text = num(x, digits);
  return text.startsWith(MINUS) ? ` + ${text.slice(1)}` : ` ${MINUS} ${text}`;
}

// Terms summed: the first as it is, each next one through plus() — "0.5 − 1 + 2".
export function sum(values, digits = 4) {
  return values.map((v, i) => (i === 0 ? num(v, digits) : plus(v, digits))).join('');
}

// A list of numbers as "[0.5, −1]".
export function vector(values, digits = 4) {
  return `[${values.map((v) => num(v, digits)).join(', ')}]`;
}
