/**
 * Float operations that must give CPython's exact results: `pow` (C's pow is correctly
 * rounded in practice, V8's `Math.pow` is not: `10 ** -20` and `2 ** 1.5` differ in
 * the last bit), `round(x, n)` and fixed-point formatting on the exact binary value
 * with ties to even.
 */

type DD = [hi: number, lo: number];

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
const SPLITTER = 134217729; // 2^27 + 1

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function split(a: number): DD {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [hi, lo] = twoSum(s, e + a[1] + b[1]);
  return [hi, lo];
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, mul(b, [-q1, 0]));
  const q2 = r[0] / b[0];
  const r2 = add(r, mul(b, [-q2, 0]));
  const q3 = r2[0] / b[0];
  return add(twoSum(q1, q2), [q3, 0]);
}

/** Natural log of a positive finite double, to about 100 bits. */
function logDD(x: number): DD {
  let e = 0;
  let m = x;
  if (m < 2 ** -1000) {
    m *= 2 ** 100;
    e -= 100;
  }
  const k = Math.floor(Math.log2(m));
  m = m * 2 ** -k; // exact
  e += k;
  while (m >= Math.SQRT2) {
    m /= 2;
    e++;
  }
  while (m < Math.SQRT1_2) {
    m *= 2;
    e--;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172.
  const s = div([m - 1, 0], twoSum(m, 1));
  const s2 = mul(s, s);
  let sum: DD = div([1, 0], [49, 0]);
  for (let n = 47; n >= 1; n -= 2) sum = add(div([1, 0], [n, 0]), mul(sum, s2));
  const logM = mul(mul(s, sum), [2, 0]);
  return add(mul(LN2, [e, 0]), logM);
}

/** e^t for |t| < 746, to about 100 bits, as (value, power of two). */
function expDD(t: DD): { value: DD; scale: number } {
  const k = Math.round(t[0] / LN2[0]);
  let r = add(t, mul(LN2, [-k, 0]));
  r = [r[0] / 1024, r[1] / 1024];
  // Taylor series of e^r - 1, then square ten times.
  let term: DD = r;
  let sum: DD = r;
  for (let n = 2; n <= 14; n++) {
    term = div(mul(term, r), [n, 0]);
    sum = add(sum, term);
  }
  let value = add([1, 0], sum);
  for (let i = 0; i < 10; i++) value = mul(value, value);
  return { value, scale: k };
}

/** `x ** y` for finite x > 0 and finite y, correctly rounded but for rare near-ties; Infinity on overflow. */
export function powPositive(x: number, y: number): number {
  if (Number.isInteger(y) && Math.abs(y) <= 64 && Number.isInteger(x) && Math.abs(x) < 2 ** 26) {
    // Exact integer powers that fit are exact in BigInt.
    if (y >= 0) {
      const big = BigInt(x) ** BigInt(y);
      if (big <= 2n ** 1023n) return Number(big);
    }
  }
  const t = mul(logDD(x), [y, 0]);
  if (t[0] > 710) return Infinity;
  if (t[0] < -746) return 0;
  const { value, scale } = expDD(t);
  if (scale > -1000) {
    const hi = value[0] * 2 ** Math.min(scale, 1000) * 2 ** Math.max(scale - 1000, 0);
    const lo = value[1] * 2 ** Math.min(scale, 1000) * 2 ** Math.max(scale - 1000, 0);
    return hi + lo;
  }
  // Subnormal result: scale in two steps so only the last one rounds.
  const pre = 2 ** (scale + 1000);
  return (value[0] * pre + value[1] * pre) * 2 ** -1000;
}

/** The exact value of a finite double as numerator / 2^shift. */
function exactBinary(x: number): { mantissa: bigint; shift: number } {
  let m = Math.abs(x);
  let shift = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    shift++;
  }
  return { mantissa: BigInt(m), shift };
}

/** |x| * 10^digits rounded half-even to an integer, computed on x's exact binary value. */
function scaledRound(x: number, digits: number): bigint {
  const { mantissa, shift } = exactBinary(x);
  let num = mantissa;
  let den = 2n ** BigInt(shift);
  if (digits >= 0) num *= 10n ** BigInt(digits);
  else den *= 10n ** BigInt(-digits);
  const q = num / den;
  const r = num - q * den;
  return 2n * r > den || (2n * r === den && q % 2n === 1n) ? q + 1n : q;
}

/** Python's `round(x, n)` for a float. */
export function roundFloat(x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (n > 330) return x;
  if (n < -330) return 0 * x;
  const rounded = scaledRound(x, n);
  const result = n >= 0 ? Number(`${rounded}e-${n}`) : Number(rounded * 10n ** BigInt(-n));
  return x < 0 ? -result : result;
}

/** `'%.{precision}f' % x` for a finite float: exact digits, ties to even. */
export function formatFixed(x: number, precision: number): string {
  const negative = x < 0 || Object.is(x, -0);
  const digits = scaledRound(x, precision).toString().padStart(precision + 1, '0');
  const body = precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
  return (negative ? '-' : '') + body;
}
