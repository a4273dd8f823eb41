/**
 * Translates the Oniguruma regexes 🤗 tokenizers stores in `tokenizer.json` into
 * JavaScript regexes that split text the same way. Both engines backtrack and try
 * alternatives left to right, so a pattern means the same once the character classes
 * agree. Where they differ:
 *
 * - Oniguruma's `\s` is Unicode White_Space (it has U+0085, lacks U+FEFF); JavaScript's
 *   `\s` is the reverse, so `\s` and `\S` become explicit classes.
 * - `(?i:…)` scoped flags do not exist in Node 20; the letters inside become classes
 *   holding their case-fold partners (Oniguruma lets `s` match `ſ`, as probed against
 *   tokenizers 0.23).
 * - `\d` and `\w` are Unicode-wide in Oniguruma and ASCII in JavaScript.
 *
 * Letters and digits are `\p{L}`/`\p{N}` in both; characters assigned in Unicode
 * versions newer than the tokenizers build's tables can still split differently.
 * Constructs this translator does not know are refused rather than guessed.
 */

/** Oniguruma's `\s`: the Unicode White_Space characters, as written inside a class. */
export const ONIG_SPACE_CLASS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const WORD_CLASS = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';

/** Case-fold partners of ASCII letters beyond their other case (Unicode simple folding). */
const EXTRA_FOLDS: Readonly<Record<string, string>> = { s: 'ſ', k: 'K' };

/** Characters JavaScript's `u` mode lets a backslash escape outside a class. */
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));

const PASS_THROUGH_ESCAPES = new Set('tnrfv0'.split(''));

const UNSUPPORTED_ESCAPES = new Set('AzZGbBhHRXKkg'.split(''));

/** A pattern uses a construct the translator cannot reproduce exactly. */
export class RegexTranslationError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'RegexTranslationError';
  }
}

interface Scan {
  out: string;
  inClass: boolean;
  /** One entry per open group: whether it switched case-insensitivity on. */
  groups: boolean[];
  caseless: number;
}

/** The JavaScript source (for a `u`-flag regex) equivalent to an Oniguruma pattern. */
export function onigToJsSource(pattern: string): string {
  const s: Scan = { out: '', inClass: false, groups: [], caseless: 0 };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i = translateEscape(pattern, i, s);
      continue;
    }
    if (s.inClass) {
      if (ch === '[') throw new RegexTranslationError(`nested character class at ${i} is not supported`);
      if (s.caseless > 0 && /[A-Za-z]/.test(ch)) throw new RegexTranslationError(`a class inside (?i:…) at ${i} is not supported`);
      if (ch === ']') s.inClass = false;
      s.out += ch;
      i++;
      continue;
    }
    if (ch === '[') {
      s.inClass = true;
      s.out += '[';
      i++;
      if (pattern[i] === '^') {
        s.out += '^';
        i++;
      }
      // A `]` first in a class is a literal in Oniguruma.
      if (pattern[i] === ']') {
        s.out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '(') {
      i = openGroup(pattern, i, s);
      continue;
    }
    if (ch === ')') {
      if (s.groups.pop() === true) s.caseless--;
      s.out += ')';
      i++;
      continue;
    }
    if (s.caseless > 0 && /[A-Za-z]/.test(ch)) {
      const lower = ch.toLowerCase();
      s.out += `[${lower}${ch.toUpperCase()}${EXTRA_FOLDS[lower] ?? ''}]`;
      i++;
      continue;
    }
    s.out += ch;
    i++;
  }
  if (s.inClass) throw new RegexTranslationError('unterminated character class');
  return s.out;
}

/** A global, Unicode-aware JavaScript regex equivalent to an Oniguruma pattern. */
export function onigToJsRegex(pattern: string): RegExp {
  const source = onigToJsSource(pattern);
  try {
    return new RegExp(source, 'gu');
  } catch (e) {
    throw new RegexTranslationError(`not a usable regex: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function openGroup(pattern: string, at: number, s: Scan): number {
  if (pattern.startsWith('(?i:', at)) {
    s.groups.push(true);
    s.caseless++;
    s.out += '(?:';
    return at + 4;
  }
  if (pattern[at + 1] === '?') {
    const known = ['(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<'].find((p) => pattern.startsWith(p, at));
    if (known === undefined) throw new RegexTranslationError(`group flags at ${at} are not supported`);
    s.groups.push(false);
    s.out += known;
    return at + known.length;
  }
  s.groups.push(false);
  s.out += '(';
  return at + 1;
}

function translateEscape(pattern: string, at: number, s: Scan): number {
  const next = pattern[at + 1];
  if (next === undefined) throw new RegexTranslationError('pattern ends with a backslash');
  switch (next) {
    case 's':
      s.out += s.inClass ? ONIG_SPACE_CLASS : `[${ONIG_SPACE_CLASS}]`;
      return at + 2;
    case 'S':
      if (s.inClass) throw new RegexTranslationError(`\\S inside a class at ${at} is not supported`);
      s.out += `[^${ONIG_SPACE_CLASS}]`;
      return at + 2;
    case 'd':
      s.out += '\\p{Nd}';
      return at + 2;
    case 'D':
      if (s.inClass) throw new RegexTranslationError(`\\D inside a class at ${at} is not supported`);
      s.out += '\\P{Nd}';
      return at + 2;
    case 'w':
      s.out += s.inClass ? WORD_CLASS : `[${WORD_CLASS}]`;
      return at + 2;
    case 'W':
      if (s.inClass) throw new RegexTranslationError(`\\W inside a class at ${at} is not supported`);
      s.out += `[^${WORD_CLASS}]`;
      return at + 2;
    case 'p':
    case 'P': {
      const close = pattern.indexOf('}', at);
      if (pattern[at + 2] !== '{' || close === -1) throw new RegexTranslationError(`\\${next} without {name} at ${at}`);
      const name = pattern.slice(at + 3, close);
      if (!/^[A-Z][a-z]?$/.test(name)) throw new RegexTranslationError(`property \\${next}{${name}} is not supported`);
      s.out += `\\${next}{${name}}`;
      return close + 1;
    }
    case 'x': {
      if (pattern[at + 2] === '{') {
        const close = pattern.indexOf('}', at);
        if (close === -1) throw new RegexTranslationError(`unterminated \\x{…} at ${at}`);
        s.out += `\\u{${pattern.slice(at + 3, close)}}`;
        return close + 1;
      }
      s.out += pattern.slice(at, at + 4);
      return at + 4;
    }
    case 'u':
      s.out += pattern.slice(at, at + 6);
      return at + 6;
    default:
      break;
  }
  if (UNSUPPORTED_ESCAPES.has(next) || /[0-9]/.test(next) && next !== '0') {
    throw new RegexTranslationError(`escape \\${next} at ${at} is not supported`);
  }
  if (PASS_THROUGH_ESCAPES.has(next)) {
    s.out += `\\${next}`;
  } else if (/[A-Za-z]/.test(next)) {
    throw new RegexTranslationError(`escape \\${next} at ${at} is not supported`);
  } else if (SYNTAX_CHARS.has(next) || (s.inClass && next === '-')) {
    s.out += `\\${next}`;
  } else {
    // An escaped ordinary character (`\'`, `\ `) is that character; `u` mode refuses the escape.
    s.out += next;
  }
  return at + 2;
}
