/**
 * f-strings as Python 3.11 reads them (before PEP 701): the body is split into literal
 * text and `{expression!conversion:format_spec}` fields; each expression is parsed on
 * its own as `(expression)`. Backslashes and `#` are not allowed in an expression part,
 * format specs nest one level.
 */
import type { PyNode } from './python-ast.ts';
import { decodeStringBody } from './python-strings.ts';

/** A syntax error inside an f-string, at an offset in its body. */
export class FStringError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Parses `(text)` as an expression; offsets in errors are relative to `text`. Throws FStringError. */
export type ParseFieldExpression = (text: string, offset: number) => PyNode;

type Part = { literal: string } | { field: PyNode };

/** The parts of an f-string body: literal strings and `FormattedValue` nodes (not yet merged). Throws FStringError. */
export function parseFStringBody(body: string, raw: boolean, parseExpression: ParseFieldExpression, u = false): Part[] {
  const text = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  const parts: Part[] = [];
  const reader = { text, pos: 0, raw, parseExpression, u };
  parseLevel(reader, 0, parts);
  return parts;
}

interface Reader {
  text: string;
  pos: number;
  raw: boolean;
  parseExpression: ParseFieldExpression;
  /** The concatenation began with a lower-case `u` prefix (CPython marks some constants `kind='u'` then). */
  u: boolean;
}

function parseLevel(r: Reader, level: number, parts: Part[]): void {
  for (;;) {
    const literal = findLiteral(r, level);
    if (literal.text !== '') parts.push({ literal: literal.text });
    if (literal.doubled) continue;
    if (r.pos >= r.text.length || r.text[r.pos] === '}') break;
    parts.push(...parseField(r, level));
  }
  if (level === 0 && r.pos < r.text.length) throw new FStringError("f-string: unexpected end of string", r.pos);
  if (level !== 0 && r.text[r.pos] !== '}') throw new FStringError("f-string: expecting '}'", r.pos);
}

function findLiteral(r: Reader, level: number): { text: string; doubled: boolean } {
  const { text } = r;
  const start = r.pos;
  let s = start;
  let doubled = false;
  let end = -1;
  while (s < text.length) {
    let ch = text[s++]!;
    if (!r.raw && ch === '\\' && s < text.length) {
      ch = text[s++]!;
      if (ch === 'N') {
        // `\N{NAME}`: its braces are not a field.
        if (s < text.length && text[s++] === '{') {
          while (s < text.length && text[s++] !== '}') {
            /* skip the name */
          }
        }
        continue;
      }
    }
    if (ch === '{' || ch === '}') {
      if (level === 0) {
        if (s < text.length && text[s] === ch) {
          end = s; // keep one brace, skip the second
          r.pos = s + 1;
          doubled = true;
          break;
        }
        if (ch === '}') throw new FStringError("f-string: single '}' is not allowed", s - 1);
      }
      s--;
      break;
    }
  }
  if (!doubled) {
    end = s;
    r.pos = s;
  }
  const slice = text.slice(start, end);
  if (slice === '') return { text: '', doubled };
  const decoded = decodeStringBody(slice, { raw: r.raw, bytes: false });
  if (!decoded.ok) throw new FStringError(decoded.message, start + decoded.offset);
  return { text: decoded.value, doubled };
}

const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function parseField(r: Reader, level: number): Part[] {
  const { text } = r;
  if (level >= 2) throw new FStringError('f-string: expressions nested too deeply', r.pos);
  r.pos++; // the '{'
  const exprStart = r.pos;
  let quote = '';
  let tripleQuote = false;
  const stack: string[] = [];
  for (; r.pos < text.length; r.pos++) {
    const ch = text[r.pos]!;
    if (ch === '\\') throw new FStringError('f-string expression part cannot include a backslash', r.pos);
    if (quote) {
      if (ch === quote) {
        if (tripleQuote) {
          if (text[r.pos + 1] === ch && text[r.pos + 2] === ch) {
            r.pos += 2;
            quote = '';
          }
        } else {
          quote = '';
        }
      }
      continue;
    }
    if (ch === "'" || ch === '"') {
      tripleQuote = text[r.pos + 1] === ch && text[r.pos + 2] === ch;
      if (tripleQuote) r.pos += 2;
      quote = ch;
    } else if (ch === '[' || ch === '{' || ch === '(') {
      if (stack.length >= 200) throw new FStringError('f-string: too many nested parenthesis', r.pos);
      stack.push(ch);
    } else if (ch === '#') {
      throw new FStringError("f-string expression part cannot include '#'", r.pos);
    } else if (stack.length === 0 && (ch === '!' || ch === ':' || ch === '}' || ch === '=' || ch === '>' || ch === '<')) {
      const next = text[r.pos + 1];
      if (next === '=' && (ch === '!' || ch === '=' || ch === '<' || ch === '>')) {
        r.pos++;
        continue;
      }
      if (ch === '>' || ch === '<') continue;
      break;
    } else if (ch === ']' || ch === '}' || ch === ')') {
      const open = stack.pop();
      if (open === undefined) throw new FStringError(`f-string: unmatched '${ch}'`, r.pos);
      if (open !== CLOSERS[ch]) throw new FStringError(`f-string: closing parenthesis '${ch}' does not match opening parenthesis '${open}'`, r.pos);
    }
  }
  const exprEnd = r.pos;
  if (quote) throw new FStringError('f-string: unterminated string', r.pos);
  if (stack.length > 0) throw new FStringError(`f-string: unmatched '${stack[stack.length - 1]}'`, r.pos);
  if (r.pos >= text.length) throw new FStringError("f-string: expecting '}'", r.pos);
  const exprText = text.slice(exprStart, exprEnd);
  if (/^[ \t\n\f\r\v]*$/.test(exprText)) throw new FStringError('f-string: empty expression not allowed', exprStart);
  const value = r.parseExpression(exprText, exprStart);

  const out: Part[] = [];
  let conversion = -1;
  if (text[r.pos] === '=') {
    r.pos++;
    while (r.pos < text.length && /[ \t\n\f\r\v]/.test(text[r.pos]!)) r.pos++;
    if (r.pos >= text.length) throw new FStringError("f-string: expecting '}'", r.pos);
    out.push({ literal: text.slice(exprStart, r.pos) });
    conversion = -2; // '=' seen; becomes 'r' unless a conversion or spec follows
  }
  let explicitConversion = -1;
  if (text[r.pos] === '!') {
    r.pos++;
    if (r.pos >= text.length) throw new FStringError("f-string: expecting '}'", r.pos);
    const c = text[r.pos]!;
    r.pos++;
    if (c !== 's' && c !== 'r' && c !== 'a') {
      throw new FStringError("f-string: invalid conversion character: expected 's', 'r', or 'a'", r.pos - 1);
    }
    explicitConversion = c.charCodeAt(0);
  }
  let formatSpec: PyNode | null = null;
  if (r.pos < text.length && text[r.pos] === ':') {
    r.pos++;
    if (r.pos >= text.length) throw new FStringError("f-string: expecting '}'", r.pos);
    const specParts: Part[] = [];
    parseLevel(r, level + 1, specParts);
    formatSpec = joinParts(specParts, exprStart, r.pos, r.u, true);
  }
  if (r.pos >= text.length || text[r.pos] !== '}') throw new FStringError("f-string: expecting '}'", r.pos);
  r.pos++;
  if (explicitConversion !== -1) conversion = explicitConversion;
  else if (conversion === -2) conversion = formatSpec === null ? 'r'.charCodeAt(0) : -1;
  const depth = 1 + Math.max(value.depth, formatSpec?.depth ?? 0);
  out.push({ field: { kind: 'FormattedValue', value, conversion, formatSpec, start: exprStart, end: r.pos, depth } });
  return out;
}

/**
 * Merges parts into a `JoinedStr`: adjacent literals joined, empty ones dropped. As in
 * CPython, with `u` the constants get `kind='u'`, except a format spec's last one.
 */
export function joinParts(parts: Part[], start: number, end: number, u = false, isSpec = false): PyNode {
  const values: PyNode[] = [];
  let pending = '';
  let depth = 1;
  for (const part of parts) {
    if ('literal' in part) {
      pending += part.literal;
      continue;
    }
    if (pending !== '') values.push(strConstant(pending, start, end, u));
    pending = '';
    values.push(part.field);
    depth = Math.max(depth, part.field.depth + 1);
  }
  if (pending !== '') values.push(strConstant(pending, start, end, u && !isSpec));
  return { kind: 'JoinedStr', values, start, end, depth: values.length > 0 ? Math.max(depth, 2) : 1 };
}

function strConstant(value: string, start: number, end: number, u: boolean): PyNode {
  return { kind: 'Constant', value: { t: 'str', v: value }, u, start, end, depth: 1 };
}

export type { Part as FStringPart };
