/**
 * JSON Pointers (RFC 6901): building them, following them through parsed values, and
 * finding the line a pointer lands on in the JSON text the value was parsed from, so
 * an error about `/paths/~1pets/get` can say "line 14".
 */
import { isPlainObject, type Value } from '../value.ts';

/** One reference token, escaped: `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(token: string | number): string {
  if (typeof token === 'number') return String(token);
  return token.includes('~') || token.includes('/') ? token.replaceAll('~', '~0').replaceAll('/', '~1') : token;
}

/** `base` with more tokens appended: `childPointer('/paths', '/pets', 'get')` → `/paths/~1pets/get`. */
export function childPointer(base: string, ...tokens: (string | number)[]): string {
  let out = base;
  for (const t of tokens) out += `/${escapePointerToken(t)}`;
  return out;
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
  return pointerLineLocator(text)(pointer);
}

/**
 * `lineOfPointer` for many pointers into one text: each object or list is scanned once
 * and its members' offsets kept, so a lookup costs its depth, not the file's length.
 */
export function pointerLineLocator(text: string): (pointer: string) => number | undefined {
  const members = new Map<number, Map<string, number>>();
  const items = new Map<number, number[]>();
  let newlines: number[] | undefined;
  const child = (pos: number, token: string): number | undefined => {
    if (text[pos] === '{') {
      let index = members.get(pos);
      if (index === undefined) members.set(pos, (index = scanMembers(text, pos)));
      return index.get(token);
    }
    if (text[pos] === '[') {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      let index = items.get(pos);
      if (index === undefined) items.set(pos, (index = scanItems(text, pos)));
      return index[Number(token)];
    }
    return undefined;
  };
  return (pointer) => {
    const tokens = pointerTokens(pointer);
    if (tokens === undefined) return undefined;
    let pos = skipSpace(text, 0);
    if (pos >= text.length) return undefined;
    for (const token of tokens) {
      const next = child(pos, token);
      if (next === undefined) break;
      pos = next;
    }
    newlines ??= newlineOffsets(text);
    return lineAtOffset(newlines, pos);
  };
}

function newlineOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** 1 + the number of newlines before `offset`. */
function lineAtOffset(newlines: readonly number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Where each member's value starts in the object at `open`; a repeated key keeps its last, as parsers do. */
function scanMembers(text: string, open: number): Map<string, number> {
  const found = new Map<string, number>();
  let pos = skipSpace(text, open + 1);
  while (text[pos] === '"') {
    const keyEnd = stringEnd(text, pos);
    if (keyEnd === undefined) break;
    const name = decodeJsonString(text.slice(pos, keyEnd));
    pos = skipSpace(text, keyEnd);
    if (text[pos] !== ':') break;
    pos = skipSpace(text, pos + 1);
    if (name !== undefined) found.set(name, pos);
    const end = valueEnd(text, pos);
    if (end === undefined) break;
    pos = skipSpace(text, end);
    if (text[pos] !== ',') break;
    pos = skipSpace(text, pos + 1);
  }
  return found;
}

function scanItems(text: string, open: number): number[] {
  const found: number[] = [];
  let pos = skipSpace(text, open + 1);
  while (pos < text.length && text[pos] !== ']') {
    found.push(pos);
    const end = valueEnd(text, pos);
    if (end === undefined) break;
    pos = skipSpace(text, end);
    if (text[pos] !== ',') break;
    pos = skipSpace(text, pos + 1);
  }
  return found;
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
