/**
 * `str % args` (printf-style formatting) for the conversions tool-call values use:
 * `%s %r %a %d %i %u %f %F %x %X %o %c %%` with flags `- + space 0`, width and
 * precision (not `*`), and `%(key)s` with a dict. Others (`%e`, `%g`) are errors here.
 */
import { formatPyFloat } from '../core/json.ts';
import { reprObj, strObj, type PyObj } from './python-object.ts';
import { formatFixed } from './python-math.ts';

export type FormatResult = { ok: true; text: string } | { ok: false; error: string };

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?(.?)/gy;

function intOf(o: PyObj): bigint | undefined {
  if (o.t === 'int') return o.v;
  if (o.t === 'bool') return o.v ? 1n : 0n;
  if (o.t === 'float' && Number.isFinite(o.v)) return BigInt(Math.trunc(o.v));
  return undefined;
}

/** `format % args` for a str format. */
export function formatPercent(format: string, args: PyObj): FormatResult {
  const positional = args.t === 'tuple' ? args.items : [args];
  const mapping = args.t === 'dict' ? args : undefined;
  // A lone non-tuple argument that is a mapping or sequence may go unused (CPython's rule).
  const mayBeUnused = args.t === 'dict' || args.t === 'list' || args.t === 'bytes';
  let next = 0;
  let out = '';
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(format)!;
    i = SPEC.lastIndex;
    const [, key, flags = '', widthText, precisionText, conversion] = m;
    if (conversion === '') return { ok: false, error: 'incomplete format' };
    if (conversion === '%') {
      out += '%';
      continue;
    }
    let value: PyObj;
    if (key !== undefined) {
      if (!mapping) return { ok: false, error: 'format requires a mapping' };
      const at = mapping.keys.findIndex((k) => k.t === 'str' && k.v === key);
      if (at === -1) return { ok: false, error: `KeyError: '${key}'` };
      value = mapping.values[at]!;
    } else {
      if (next >= positional.length) return { ok: false, error: 'not enough arguments for format string' };
      value = positional[next++]!;
    }
    const precision = precisionText === undefined ? undefined : Number(precisionText);
    let text: string;
    let numeric = false;
    switch (conversion) {
      case 's':
      case 'r':
      case 'a':
        text = conversion === 's' ? strObj(value) : reprObj(value);
        if (conversion === 'a') text = text.replace(/[^\x00-\x7f]/gu, (ch) => asciiEscape(ch));
        if (precision !== undefined) text = Array.from(text).slice(0, precision).join('');
        break;
      case 'd':
      case 'i':
      case 'u': {
        const v = intOf(value);
        if (v === undefined) return { ok: false, error: `%${conversion} format: a real number is required, not ${value.t}` };
        text = v.toString();
        numeric = true;
        break;
      }
      case 'x':
      case 'X':
      case 'o': {
        if (value.t !== 'int' && value.t !== 'bool') return { ok: false, error: `%${conversion} format: an integer is required, not ${value.t}` };
        const v = intOf(value)!;
        const abs = (v < 0n ? -v : v).toString(conversion === 'o' ? 8 : 16);
        const prefix = flags.includes('#') ? (conversion === 'o' ? '0o' : conversion === 'x' ? '0x' : '0X') : '';
        text = (v < 0n ? '-' : '') + prefix + (conversion === 'X' ? abs.toUpperCase() : abs);
        numeric = true;
        break;
      }
      case 'f':
      case 'F': {
        const x = value.t === 'float' ? value.v : value.t === 'int' || value.t === 'bool' ? Number(intOf(value)) : undefined;
        if (x === undefined) return { ok: false, error: `must be real number, not ${value.t}` };
        text = Number.isFinite(x) ? formatFixed(x, precision ?? 6) : formatPyFloat(x);
        if (conversion === 'F') text = text.toUpperCase();
        numeric = true;
        break;
      }
      case 'c': {
        if (value.t === 'str' && Array.from(value.v).length === 1) text = value.v;
        else if ((value.t === 'int' || value.t === 'bool') && intOf(value)! >= 0n && intOf(value)! <= 0x10ffffn) text = String.fromCodePoint(Number(intOf(value)));
        else return { ok: false, error: '%c requires int or char' };
        break;
      }
      default:
        return { ok: false, error: `unsupported format character '${conversion}'` };
    }
    if (numeric && !text.startsWith('-')) {
      if (flags.includes('+')) text = '+' + text;
      else if (flags.includes(' ')) text = ' ' + text;
    }
    const width = widthText === undefined ? 0 : Number(widthText);
    const length = Array.from(text).length;
    if (length < width) {
      const pad = width - length;
      if (flags.includes('-')) text += ' '.repeat(pad);
      else if (numeric && flags.includes('0') && /^[+\- ]?[0-9a-zA-Z.]*$/.test(text)) {
        const sign = /^[+\- ]/.test(text) ? text[0]! : '';
        text = sign + '0'.repeat(pad) + text.slice(sign.length);
      } else text = ' '.repeat(pad) + text;
    }
    out += text;
  }
  if (unusedArguments(next, positional.length, args, mayBeUnused)) return { ok: false, error: 'not all arguments converted during string formatting' };
  return { ok: true, text: out };
}

function unusedArguments(used: number, available: number, args: PyObj, mayBeUnused: boolean): boolean {
  if (args.t === 'tuple') return used < available;
  return used === 0 && !mayBeUnused;
}

function asciiEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0xff) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}
