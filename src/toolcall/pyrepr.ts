/**
 * Python's `repr` for looptool values, and tool calls rendered as a Python call list
 * (`[f(a=1, b='x')]`), the format BFCL's prompt mode and many "pythonic" tool-calling
 * models use.
 */
import { formatPyFloat } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { PyFloat, PyTuple, isPlainObject, type Value } from '../core/value.ts';
import { PY_KEYWORDS } from './python-lexer.ts';

// str.isprintable() is false for these categories (space excepted, handled as ASCII).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
// Printable ASCII other than the two quotes and the backslash: a string of only these needs no escaping.
const PLAIN_ASCII = /^[ !#-&(-[\]-~]*$/;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Python's `repr(str)`: quote choice, escapes, non-printable characters as `\xNN`/`\uNNNN`/`\UNNNNNNNN`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (PLAIN_ASCII.test(s)) return quote + s + quote;
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f || !NOT_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += '\\x' + hex(cp, 2);
    else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

/** Python's `repr(bytes)` for a string of byte values (each char code 0–255). */
export function pyBytesRepr(bytes: string): string {
  const quote = bytes.includes("'") && !bytes.includes('"') ? '"' : "'";
  let out = 'b' + quote;
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    const c = bytes.charCodeAt(i);
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + hex(c, 2);
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr(int)` for an integral JS number (`-0` is `0`). */
export function pyIntRepr(x: number): string {
  if (x === 0) return '0';
  return Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
}

/** A float as `complex.__repr__` writes its parts: like `repr(float)` but without a trailing `.0`. */
export function pyComplexPartRepr(x: number): string {
  const s = formatPyFloat(x);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** Python's `repr(complex(real, imag))`. */
export function pyComplexRepr(real: number, imag: number): string {
  if (real === 0 && !Object.is(real, -0)) return pyComplexPartRepr(imag) + 'j';
  const im = pyComplexPartRepr(imag);
  return '(' + pyComplexPartRepr(real) + (im.startsWith('-') ? '' : '+') + im + 'j)';
}

export interface PyReprOptions {
  /**
   * Write non-finite floats as `float('inf')`, `float('-inf')`, `float('nan')` (which
   * `parsePythonToolCalls` reads back) instead of Python's `inf`/`nan` (which no
   * parser reads back as a number).
   */
  parseableNonFinite?: boolean;
}

function floatRepr(x: number, options: PyReprOptions): string {
  if (options.parseableNonFinite && !Number.isFinite(x)) return `float('${formatPyFloat(x)}')`;
  return formatPyFloat(x);
}

/** Python's `repr` of a value: `None`, `True`, `5`, `5.0`, `'x'`, `[1, 2]`, `(1,)`, `{'a': 1}`. */
export function pyRepr(value: Value, options: PyReprOptions = {}): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return Number.isInteger(value) ? pyIntRepr(value) : floatRepr(value, options);
    case 'string':
      return pyStrRepr(value);
  }
  if (value instanceof PyFloat) return floatRepr(value.value, options);
  if (value instanceof PyTuple) {
    const items = value.map((v) => pyRepr(v as Value, options));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, options)).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v, options)}`)
      .join(', ')}}`;
  }
  return pyStrRepr(String(value));
}

const IDENTIFIER = /^[\p{XID_Start}_]\p{XID_Continue}*$/u;

/** True when `name` can be written as a Python keyword argument name and reads back unchanged. */
export function isPythonIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !PY_KEYWORDS.has(name) && name.normalize('NFKC') === name;
}

/**
 * Renders calls as a Python call list, `[f(a=1, b='x'), g()]`, which
 * `parsePythonToolCalls` reads back to the same calls (ints stay ints, floats floats,
 * tuples tuples). Argument names that are not Python identifiers go into a trailing
 * `**{'name': value}`. Function names are written as they are: a name that is not a
 * dotted identifier cannot be read back.
 */
export function renderPythonToolCalls(calls: readonly ToolCall[]): string {
  return `[${calls.map(renderPythonCall).join(', ')}]`;
}

/** One call as Python source: `name(a=1, b='x')`. */
export function renderPythonCall(call: ToolCall): string {
  const options: PyReprOptions = { parseableNonFinite: true };
  const parts: string[] = [];
  const others: string[] = [];
  for (const [key, value] of Object.entries(call.arguments)) {
    if (isPythonIdentifier(key)) parts.push(`${key}=${pyRepr(value, options)}`);
    else others.push(`${pyStrRepr(key)}: ${pyRepr(value, options)}`);
  }
  if (others.length > 0) parts.push(`**{${others.join(', ')}}`);
  return `${call.name}(${parts.join(', ')})`;
}
