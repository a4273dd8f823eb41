/**
 * JSON read and written the way Python's `json` module does it.
 *
 * `JSON.parse` turns `5.0` into `5` and `JSON.stringify` writes `5` back; Python keeps a
 * float a float, and both the official LoopTool renderer (`json.dumps`) and BFCL's type
 * rules depend on that. `parseJson` keeps floats apart (see `value.ts`), and `dumpJson`
 * reproduces `json.dumps` byte for byte: its separators, `ensure_ascii` escaping and
 * float `repr`.
 */
import { PyFloat, pyFloat, type Value, type ValueObject } from './value.ts';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

/**
 * Parses one JSON document as Python's `json.loads` would: floats stay floats, `NaN`,
 * `Infinity` and `-Infinity` are accepted, control characters inside strings are not.
 * Throws `JsonSyntaxError` with the offending position.
 */
export function parseJson(text: string): Value {
  const parser = new JsonParser(text);
  parser.skipSpace();
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.pos < text.length) parser.fail('extra data after the JSON value');
  return value;
}

/** `parseJson` that returns a typed failure instead of throwing; for model output. */
export function tryParseJson(text: string): { ok: true; value: Value } | { ok: false; error: string; position: number } {
  try {
    return { ok: true, value: parseJson(text) };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, error: e.message, position: e.position };
    // Only a stack overflow on absurdly deep input can land here.
    return { ok: false, error: String(e), position: 0 };
  }
}

const MAX_DEPTH = 2000;

class JsonParser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.pos): never {
    const shown = at < this.text.length ? JSON.stringify(this.text.slice(at, at + 12)) : 'end of input';
    throw new JsonSyntaxError(`${message} at position ${at} (${shown})`, at);
  }

  skipSpace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Space || c === Ch.Newline || c === Ch.Return || c === Ch.Tab) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): Value {
    const t = this.text;
    const c = t.charCodeAt(this.pos);
    if (c === Ch.Quote) return this.string();
    if (c === Ch.OpenBrace) return this.object(depth + 1);
    if (c === Ch.OpenBracket) return this.array(depth + 1);
    if ((c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Minus) return this.number();
    if (t.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (t.startsWith('false', this.pos)) return (this.pos += 5), false;
    if (t.startsWith('null', this.pos)) return (this.pos += 4), null;
    if (t.startsWith('NaN', this.pos)) return (this.pos += 3), new PyFloat(NaN);
    if (t.startsWith('Infinity', this.pos)) return (this.pos += 8), new PyFloat(Infinity);
    return this.fail('expecting a value');
  }

  object(depth: number): ValueObject {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const out: ValueObject = {};
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Ch.CloseBrace) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== Ch.Quote) this.fail('expecting a property name in double quotes');
      const key = this.string();
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== Ch.Colon) this.fail("expecting ':' delimiter");
      this.pos++;
      this.skipSpace();
      const v = this.value(depth);
      // Assigning "__proto__" would set the prototype instead of adding a key.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === Ch.CloseBrace) return out;
      if (c !== Ch.Comma) this.fail("expecting ',' delimiter", this.pos - 1);
      this.skipSpace();
    }
  }

  array(depth: number): Value[] {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const out: Value[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) === Ch.CloseBracket) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === Ch.CloseBracket) return out;
      if (c !== Ch.Comma) this.fail("expecting ',' delimiter", this.pos - 1);
      this.skipSpace();
    }
  }

  number(): number | PyFloat {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === Ch.Minus) {
      p++;
      if (t.startsWith('Infinity', p)) {
        this.pos = p + 8;
        return new PyFloat(-Infinity);
      }
    }
    let c = t.charCodeAt(p);
    if (c === Ch.Zero) p++;
    else if (c >= 49 && c <= Ch.Nine) {
      do p++;
      while ((c = t.charCodeAt(p)) >= Ch.Zero && c <= Ch.Nine);
    } else this.fail('expecting a value', start);
    let isFloat = false;
    if (t.charCodeAt(p) === Ch.Dot && (c = t.charCodeAt(p + 1)) >= Ch.Zero && c <= Ch.Nine) {
      isFloat = true;
      p += 2;
      while ((c = t.charCodeAt(p)) >= Ch.Zero && c <= Ch.Nine) p++;
    }
    c = t.charCodeAt(p);
    if (c === Ch.LowerE || c === Ch.UpperE) {
      let q = p + 1;
      const sign = t.charCodeAt(q);
      if (sign === Ch.Plus || sign === Ch.Minus) q++;
      if ((c = t.charCodeAt(q)) >= Ch.Zero && c <= Ch.Nine) {
        isFloat = true;
        while ((c = t.charCodeAt(q)) >= Ch.Zero && c <= Ch.Nine) q++;
        p = q;
      }
    }
    this.pos = p;
    const x = Number(t.slice(start, p));
    return isFloat ? pyFloat(x) : x;
  }

  string(): string {
    const t = this.text;
    let p = this.pos + 1;
    let chunkStart = p;
    let out = '';
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Quote) {
        this.pos = p + 1;
        return out + t.slice(chunkStart, p);
      }
      if (c === Ch.Backslash) {
        out += t.slice(chunkStart, p);
        const e = t[p + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            p += 2;
            break;
          case 'n':
            out += '\n';
            p += 2;
            break;
          case 't':
            out += '\t';
            p += 2;
            break;
          case 'r':
            out += '\r';
            p += 2;
            break;
          case 'b':
            out += '\b';
            p += 2;
            break;
          case 'f':
            out += '\f';
            p += 2;
            break;
          case 'u': {
            const hex = t.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\uXXXX escape', p);
            out += String.fromCharCode(parseInt(hex, 16));
            p += 6;
            break;
          }
          default:
            this.fail('invalid \\escape', p);
        }
        chunkStart = p;
        continue;
      }
      if (c < 0x20 || Number.isNaN(c)) {
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'invalid control character in string', Number.isNaN(c) ? this.pos : p);
      }
      p++;
    }
  }
}

export interface DumpOptions {
  /** Python's `ensure_ascii` (default true, as in `json.dumps`). */
  ensureAscii?: boolean;
  /** Python's `separators` (default `[', ', ': ']`, or `[',', ': ']` with an indent). */
  separators?: readonly [string, string];
  /** Python's `indent`: spaces per level. */
  indent?: number;
  /** Python's `sort_keys`. */
  sortKeys?: boolean;
}

/**
 * Python's `json.dumps(value, ...)`, byte for byte, for the data `parseJson` produces.
 * One known difference: JS objects list integer-like keys ("1", "20") first, where a
 * Python dict keeps insertion order.
 */
export function dumpJson(value: Value, options: DumpOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const indent = options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const quote = ensureAscii ? quoteAscii : quoteUnicode;
  const sortKeys = options.sortKeys ?? false;

  const write = (v: Value, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return quote(v);
    if (typeof v === 'number') return Number.isInteger(v) ? intText(v) : formatJsonFloat(v);
    if (v instanceof PyFloat) return formatJsonFloat(v.value);
    const open = Array.isArray(v) ? '[' : '{';
    const close = Array.isArray(v) ? ']' : '}';
    const parts: string[] = [];
    if (Array.isArray(v)) {
      for (const item of v) parts.push(write(item, level + 1));
    } else {
      const keys = Object.keys(v);
      if (sortKeys) keys.sort();
      for (const k of keys) parts.push(quote(k) + keySep + write(v[k] as Value, level + 1));
    }
    if (parts.length === 0) return open + close;
    if (indent === undefined) return open + parts.join(itemSep) + close;
    const inner = '\n' + ' '.repeat(indent * (level + 1));
    return open + inner + parts.join(itemSep + inner) + '\n' + ' '.repeat(indent * level) + close;
  };
  return write(value, 0);
}

/**
 * Compact JSON for our own files (JSONL records): like `JSON.stringify`, but a float
 * stays a float (`5.0`), so a record read back with `parseJson` is the same value.
 */
export function stringifyJson(value: Value): string {
  return sameAsJsonStringify(value) ? JSON.stringify(value) : dumpJson(value, { ensureAscii: false, separators: [',', ':'] });
}

/**
 * Whether `JSON.stringify` writes exactly what `dumpJson` would: no floats kept as
 * floats, no numbers JS and Python print differently (exponents, huge integers), no
 * lone surrogates. Most records pass, and the built-in is several times faster.
 */
function sameAsJsonStringify(v: Value): boolean {
  if (v === null || typeof v === 'boolean') return true;
  if (typeof v === 'string') return !LONE_SURROGATE.test(v);
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return Number.isSafeInteger(v);
    const a = Math.abs(v);
    return Number.isFinite(v) && a >= 1e-4 && a < 1e16;
  }
  if (v instanceof PyFloat) return false;
  if (Array.isArray(v)) return v.every(sameAsJsonStringify);
  for (const k in v) if (LONE_SURROGATE.test(k) || !sameAsJsonStringify(v[k]!)) return false;
  return true;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function intText(x: number): string {
  // -0 is an int 0 in Python.
  return x === 0 ? '0' : Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
}

function formatJsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return formatPyFloat(x);
}

/**
 * Python's `repr(float)`: the shortest digits that round-trip (the same digits JS
 * picks), written in fixed notation when the decimal exponent is in [-4, 16), else as
 * `d.ddde+XX`; integral values keep a `.0`.
 */
export function formatPyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
  const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
  return `${sign}${intPart}.${frac}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function hexEscape(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

// json.dumps with ensure_ascii escapes everything outside ' '..'~' (code unit by code
// unit, which is exactly Python's surrogate-pair output for astral characters).
// eslint-disable-next-line no-control-regex
const NEEDS_ASCII_ESCAPE = /[^ -~]|["\\]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\]/g;

function quoteAscii(s: string): string {
  return '"' + s.replace(NEEDS_ASCII_ESCAPE, (ch) => SHORT_ESCAPES[ch] ?? hexEscape(ch.charCodeAt(0))) + '"';
}

function quoteUnicode(s: string): string {
  return '"' + s.replace(NEEDS_ESCAPE, (ch) => SHORT_ESCAPES[ch] ?? hexEscape(ch.charCodeAt(0))) + '"';
}
