/**
 * Decoding the body of a Python string literal: escapes as Python 3.11 reads them.
 * Unknown escapes like `\d` stay as written (Python only warns); `\N{name}` knows a
 * short table of common character names and fails on others (CPython would look the
 * name up in the full Unicode database).
 */

export type DecodedString = { ok: true; value: string } | { ok: false; message: string; offset: number };

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

// Common names models write; CPython accepts any case and the formal aliases.
const UNICODE_NAMES: Record<string, number> = {
  'NO-BREAK SPACE': 0xa0,
  NBSP: 0xa0,
  'SOFT HYPHEN': 0xad,
  'DEGREE SIGN': 0xb0,
  'MICRO SIGN': 0xb5,
  'MIDDLE DOT': 0xb7,
  'COPYRIGHT SIGN': 0xa9,
  'REGISTERED SIGN': 0xae,
  'POUND SIGN': 0xa3,
  'YEN SIGN': 0xa5,
  'SECTION SIGN': 0xa7,
  'PILCROW SIGN': 0xb6,
  'PLUS-MINUS SIGN': 0xb1,
  'MULTIPLICATION SIGN': 0xd7,
  'DIVISION SIGN': 0xf7,
  'LATIN SMALL LETTER E WITH ACUTE': 0xe9,
  'LATIN SMALL LETTER E WITH GRAVE': 0xe8,
  'LATIN SMALL LETTER A WITH GRAVE': 0xe0,
  'LATIN SMALL LETTER U WITH DIAERESIS': 0xfc,
  'LATIN SMALL LETTER O WITH DIAERESIS': 0xf6,
  'LATIN SMALL LETTER A WITH DIAERESIS': 0xe4,
  'LATIN SMALL LETTER SHARP S': 0xdf,
  'LATIN SMALL LETTER N WITH TILDE': 0xf1,
  'LATIN SMALL LETTER C WITH CEDILLA': 0xe7,
  'GREEK SMALL LETTER ALPHA': 0x3b1,
  'GREEK SMALL LETTER BETA': 0x3b2,
  'GREEK SMALL LETTER MU': 0x3bc,
  'GREEK SMALL LETTER PI': 0x3c0,
  'GREEK CAPITAL LETTER OMEGA': 0x3a9,
  'EN DASH': 0x2013,
  'EM DASH': 0x2014,
  'LEFT SINGLE QUOTATION MARK': 0x2018,
  'RIGHT SINGLE QUOTATION MARK': 0x2019,
  'LEFT DOUBLE QUOTATION MARK': 0x201c,
  'RIGHT DOUBLE QUOTATION MARK': 0x201d,
  BULLET: 0x2022,
  'HORIZONTAL ELLIPSIS': 0x2026,
  'EURO SIGN': 0x20ac,
  'INDIAN RUPEE SIGN': 0x20b9,
  'TRADE MARK SIGN': 0x2122,
  'RIGHTWARDS ARROW': 0x2192,
  'LEFTWARDS ARROW': 0x2190,
  INFINITY: 0x221e,
  'ZERO WIDTH SPACE': 0x200b,
  'ZERO WIDTH JOINER': 0x200d,
  'CHECK MARK': 0x2713,
  'BLACK STAR': 0x2605,
  'SNOWMAN': 0x2603,
  'GRINNING FACE': 0x1f600,
  'THUMBS UP SIGN': 0x1f44d,
  'SPACE': 0x20,
  'LINE FEED': 0x0a,
  'CHARACTER TABULATION': 0x09,
  'NULL': 0x00,
};

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Decodes a literal's body. `bytes`: the result holds byte values as char codes, only
 * ASCII may be written literally, and `\u`, `\U`, `\N` are not escapes. Raw newlines
 * (`\r\n`, `\r`) read as `\n`.
 */
export function decodeStringBody(body: string, options: { raw: boolean; bytes: boolean }): DecodedString {
  const { raw, bytes } = options;
  if (bytes) {
    for (let i = 0; i < body.length; i++) {
      if (body.charCodeAt(i) > 0x7f) return { ok: false, message: 'bytes can only contain ASCII literal characters', offset: i };
    }
  }
  const text = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  if (raw || !text.includes('\\')) return { ok: true, value: text };
  let out = '';
  let i = 0;
  while (i < text.length) {
    const slash = text.indexOf('\\', i);
    if (slash === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, slash);
    const c = text[slash + 1];
    if (c === undefined) {
      // Only an f-string literal part can end in a lone backslash (`f'\{x}'`); it is kept.
      out += '\\';
      break;
    }
    i = slash + 2;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    if (c >= '0' && c <= '7') {
      let end = slash + 2;
      while (end < text.length && end < slash + 4 && text[end]! >= '0' && text[end]! <= '7') end++;
      const code = parseInt(text.slice(slash + 1, end), 8);
      out += String.fromCharCode(bytes ? code & 0xff : code);
      i = end;
      continue;
    }
    const width = c === 'x' ? 2 : bytes ? 0 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = text.slice(slash + 2, slash + 2 + width);
      if (digits.length < width || !HEX.test(digits)) {
        return { ok: false, message: `(unicode error) truncated \\${c}${'X'.repeat(width)} escape`, offset: slash };
      }
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) return { ok: false, message: '(unicode error) illegal Unicode character', offset: slash };
      out += String.fromCodePoint(code);
      i = slash + 2 + width;
      continue;
    }
    if (c === 'N' && !bytes) {
      const close = text[slash + 2] === '{' ? text.indexOf('}', slash + 3) : -1;
      if (close === -1) return { ok: false, message: '(unicode error) malformed \\N character escape', offset: slash };
      const name = text.slice(slash + 3, close).toUpperCase();
      const code = UNICODE_NAMES[name];
      if (code === undefined) return { ok: false, message: `(unicode error) unknown Unicode character name '${name}'`, offset: slash };
      out += String.fromCodePoint(code);
      i = close + 1;
      continue;
    }
    // Not an escape: kept as written.
    out += '\\' + c;
  }
  return { ok: true, value: out };
}
