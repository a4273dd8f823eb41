/**
 * JSON Pointers (RFC 6901): building them, following them through parsed values, and
 * finding the line a pointer lands on in the JSON text the value was parsed from, so
 * an error about `/paths/~1pets/get` can say "line 14".
 */
import { isPlainObject, type Value } from '../value.ts';

/** One reference token, escaped: `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `base` with more tokens appended: `childPointer('/paths', '/pets', 'get')` → `/paths/~1pets/get`. */
export function childPointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => `/${escapePointerToken(t)}`).join('');
}

/** The tokens of a pointer (`''` is the whole document), or undefined when it is not one. */
export function pointerTokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The pointer inside a local `$ref` (`#/components/schemas/Pet`), or undefined when the reference is not local. */
export function pointerOfLocalRef(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
}

/** The value a pointer names, or undefined when it names nothing. */
export function valueAtPointer(root: Value, pointer: string): Value | undefined {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined) return undefined;
  let node: Value | undefined = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (isPlainObject(node)) {
      node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The 1-based line where the value a pointer names starts in `text` (JSON that parses).
 * When the pointer goes further than the text does (a missing key), the line of the
 * deepest value it reaches: the object the key is missing from.
 */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  const tokens = pointerTokens(pointer);
  if (tokens === undefined) return undefined;
  const offset = offsetOfTokens(text, tokens);
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function offsetOfTokens(text: string, tokens: readonly string[]): number | undefined {
  let pos = skipSpace(text, 0);
  if (pos >= text.length) return undefined;
  for (const token of tokens) {
    const next = text[pos] === '{' ? memberOffset(text, pos, token) : text[pos] === '[' ? itemOffset(text, pos, token) : undefined;
    if (next === undefined) return pos;
    pos = next;
  }
  return pos;
}

/** Where the value of `key` starts in the object at `open`; the last one when a key repeats, as parsers keep the last. */
function memberOffset(text: string, open: number, key: string): number | undefined {
  let pos = skipSpace(text, open + 1);
  let found: number | undefined;
  while (text[pos] === '"') {
    const keyEnd = stringEnd(text, pos);
    if (keyEnd === undefined) return found;
    const name = decodeJsonString(text.slice(pos, keyEnd));
    pos = skipSpace(text, keyEnd);
    if (text[pos] !== ':') return found;
    pos = skipSpace(text, pos + 1);
    if (name === key) found = pos;
    const end = valueEnd(text, pos);
    if (end === undefined) return found;
    pos = skipSpace(text, end);
    if (text[pos] !== ',') break;
    pos = skipSpace(text, pos + 1);
  }
  return found;
}

function itemOffset(text: string, open: number, token: string): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
  const index = Number(token);
  let pos = skipSpace(text, open + 1);
  for (let i = 0; i < index; i++) {
    if (text[pos] === ']') return undefined;
    const end = valueEnd(text, pos);
    if (end === undefined) return undefined;
    pos = skipSpace(text, end);
    if (text[pos] !== ',') return undefined;
    pos = skipSpace(text, pos + 1);
  }
  return text[pos] === ']' || pos >= text.length ? undefined : pos;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && (text[pos] === ' ' || text[pos] === '\n' || text[pos] === '\r' || text[pos] === '\t')) pos++;
  return pos;
}

/** The offset just after the string that opens at `pos`. */
function stringEnd(text: string, pos: number): number | undefined {
  for (let i = pos + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

/** The offset just after the value that starts at `pos`. */
function valueEnd(text: string, pos: number): number | undefined {
  const c = text[pos];
  if (c === '"') return stringEnd(text, pos);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let i = pos; i < text.length; i++) {
      const ch = text[i];
      if (ch === '"') {
        const end = stringEnd(text, i);
        if (end === undefined) return undefined;
        i = end - 1;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return undefined;
  }
  let i = pos;
  while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
  return i === pos ? undefined : i;
}

function decodeJsonString(quoted: string): string | undefined {
  try {
    const v: unknown = JSON.parse(quoted);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
