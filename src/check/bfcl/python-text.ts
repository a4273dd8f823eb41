/**
 * Python's own text rules where the BFCL checker leans on them: what `str.strip()`
 * and the regex class `\s` call whitespace, and what `int(s)` and `float(s)` accept
 * (Unicode digits, underscores between digits, `inf`/`nan`, surrounding blanks). The
 * Java and JavaScript type converters fall back on these, so a port that used
 * `Number()` or `trim()` would convert some model strings differently.
 */
import { PyFloat, pyFloat } from '../../core/value.ts';

/** The characters `str.isspace()` accepts, as the body of a regex character class. */
export const PY_SPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const LEADING_SPACE = new RegExp(`^[${PY_SPACE_CLASS}]+`, 'u');
const TRAILING_SPACE = new RegExp(`[${PY_SPACE_CLASS}]+$`, 'u');
const IS_SPACE = new RegExp(`^[${PY_SPACE_CLASS}]$`, 'u');
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/** `s.strip()` with no argument: Python's whitespace, not JavaScript's. */
export function pyStrip(s: string): string {
  return s.replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '');
}

/** `s.strip(chars)`: removes any of `chars` from both ends. */
export function pyStripChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/**
 * The value (0–9) of a Unicode decimal digit. Unicode keeps every decimal digit set
 * contiguous and in order from 0, so the digit's distance from the start of its run of
 * digits, modulo 10, is its value (runs such as the mathematical digits hold several sets).
 */
function decimalDigitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * What CPython does before reading a number from a str: every Unicode decimal digit
 * becomes its ASCII digit and every whitespace character a space. Anything else is kept.
 */
function toAsciiNumberText(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x7f) out += ch;
    else if (DECIMAL_DIGIT.test(ch)) out += String(decimalDigitValue(cp));
    else if (IS_SPACE.test(ch)) out += ' ';
    else out += ch;
  }
  return out;
}

const ASCII_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const INT_TEXT = /^[+-]?\d+(?:_\d+)*$/;

/**
 * `int(s)` for a str in base 10, or undefined where Python raises ValueError. Very
 * long digit strings lose precision as JS numbers do; Python would keep them exact.
 */
export function pyIntFromString(s: string): number | undefined {
  const text = toAsciiNumberText(s).replace(ASCII_SPACE, '');
  if (!INT_TEXT.test(text)) return undefined;
  const n = Number(text.replace(/_/g, ''));
  return n === 0 ? 0 : n; // no -0 for an int
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?|inf|infinity|nan)$/i;

/** `float(s)` for a str, or undefined where Python raises ValueError. Always a float value. */
export function pyFloatFromString(s: string): number | PyFloat | undefined {
  const text = toAsciiNumberText(s).replace(ASCII_SPACE, '');
  if (!FLOAT_TEXT.test(text)) return undefined;
  const lower = text.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'nan') return new PyFloat(NaN);
  if (body === 'inf' || body === 'infinity') return new PyFloat(sign * Infinity);
  return pyFloat(Number(text.replace(/_/g, '')));
}
