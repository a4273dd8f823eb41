/**
 * Python 3.11 tokenizer for one expression (what `ast.parse(text, mode='eval')` reads).
 *
 * Tokens are made on demand, so a caller that parses an expression at the start of a
 * longer text never tokenizes the prose after it. Errors are tokens too (`kind: 'error'`):
 * whether one matters is for the parser to decide.
 *
 * Newlines: `\r\n` and `\r` count as `\n`, as they do when CPython compiles a string.
 */

export type PyTokenKind = 'name' | 'keyword' | 'number' | 'string' | 'op' | 'newline' | 'end' | 'error';

export type PyNumberToken = { type: 'int'; value: bigint } | { type: 'float'; value: number } | { type: 'imaginary'; value: number };

export interface PyStringToken {
  /** Lower-cased prefix letters, e.g. `''`, `'rb'`, `'f'`. */
  prefix: string;
  quote: string;
  triple: boolean;
  /** The text between the quotes, undecoded. */
  body: string;
  /** Offset of `body` in the source. */
  bodyStart: number;
}

export interface PyToken {
  kind: PyTokenKind;
  /** Source text; for names the NFKC-normalised identifier. */
  text: string;
  start: number;
  end: number;
  number?: PyNumberToken;
  string?: PyStringToken;
  /** For `error` tokens. */
  message?: string;
}

/** Python 3.11's hard keywords (soft ones such as `match` are names). */
export const PY_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const STRING_PREFIXES: ReadonlySet<string> = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

// Longest first within each leading character.
const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...', '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=',
  '==', '>=', '>>', '@=', '^=', '|=', '%', '&', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '<', '=', '>',
  '@', '[', ']', '^', '{', '|', '}', '~',
];
const OPERATORS_BY_CHAR = new Map<string, string[]>();
for (const op of OPERATORS) {
  const list = OPERATORS_BY_CHAR.get(op[0]!) ?? [];
  list.push(op);
  OPERATORS_BY_CHAR.set(op[0]!, list);
}

const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
/** CPython's MAXLEVEL: a 201st open bracket is "too many nested parentheses". */
export const MAX_BRACKET_DEPTH = 200;

const IDENTIFIER_START = /[\p{XID_Start}_]/u;
const IDENTIFIER_CONTINUE = /\p{XID_Continue}/u;

function isAsciiIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isAsciiIdContinue(c: number): boolean {
  return isAsciiIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** Characters the tokenizer takes into an identifier before checking it (ASCII word chars and anything non-ASCII). */
function isPotentialIdentifierChar(c: number): boolean {
  return isAsciiIdContinue(c) || c >= 128;
}

export interface PyLexerOptions {
  /**
   * `eval`: the text is a whole program in eval mode: the first line must not be
   * indented, and a newline outside brackets ends the expression (only blank lines may
   * follow). `prefix`: start mid-text, no indentation rule.
   */
  mode: 'eval' | 'prefix';
}

/** Tokens of one text, made on demand. */
export class PyLexer {
  private pos: number;
  private readonly brackets: string[] = [];
  private atLineStart: boolean;
  /** Whether the current logical line has produced a token (so a newline ends it). */
  private lineHasTokens = false;
  private finished = false;

  constructor(
    readonly source: string,
    start: number,
    private readonly options: PyLexerOptions,
  ) {
    this.pos = start;
    this.atLineStart = options.mode === 'eval';
  }

  /** The next token. After `end` or an `error` token it keeps returning that token. */
  next(): PyToken {
    if (this.finished) return this.stuck!;
    const token = this.scan();
    if (token.kind === 'end' || token.kind === 'error') {
      this.finished = true;
      this.stuck = token;
    }
    return token;
  }
  private stuck: PyToken | undefined;

  private error(message: string, at: number): PyToken {
    return { kind: 'error', text: '', start: at, end: at, message };
  }

  /** Length of a newline at `i` (`\n`, `\r\n` or `\r`), or 0. */
  private newlineAt(i: number): number {
    const c = this.source.charCodeAt(i);
    if (c === 10) return 1;
    if (c === 13) return this.source.charCodeAt(i + 1) === 10 ? 2 : 1;
    return 0;
  }

  private scan(): PyToken {
    const src = this.source;
    for (;;) {
      if (this.atLineStart && this.brackets.length === 0) {
        const indentError = this.skipLineStart();
        if (indentError) return indentError;
      }
      // Whitespace and comments.
      let c = src.charCodeAt(this.pos);
      while (c === 32 || c === 9 || c === 12) c = src.charCodeAt(++this.pos);
      if (c === 35) {
        while (this.pos < src.length && this.newlineAt(this.pos) === 0) this.pos++;
        c = src.charCodeAt(this.pos);
      }
      if (this.pos >= src.length) return this.atEnd();
      const nl = this.newlineAt(this.pos);
      if (nl > 0) {
        const at = this.pos;
        this.pos += nl;
        if (this.brackets.length > 0) continue;
        this.atLineStart = true;
        if (this.lineHasTokens) {
          this.lineHasTokens = false;
          return { kind: 'newline', text: '\n', start: at, end: at + nl };
        }
        continue;
      }
      if (c === 92) {
        const cont = this.newlineAt(this.pos + 1);
        if (cont === 0) {
          if (this.pos + 1 >= src.length) return this.error('unexpected EOF while parsing', this.pos);
          return this.error('unexpected character after line continuation character', this.pos);
        }
        this.pos += 1 + cont;
        if (this.pos >= src.length) return this.error('unexpected EOF while parsing', this.pos);
        continue;
      }
      if (c === 0) return this.error('source code cannot contain null bytes', this.pos);
      this.lineHasTokens = true;
      return this.token(c);
    }
  }

  /** At the start of a line outside brackets: blank lines are skipped, indentation is an error. */
  private skipLineStart(): PyToken | undefined {
    const src = this.source;
    for (;;) {
      let i = this.pos;
      let col = 0;
      for (;;) {
        const c = src.charCodeAt(i);
        if (c === 32) col++;
        else if (c === 9) col = (Math.floor(col / 8) + 1) * 8;
        else if (c === 12) col = 0;
        else break;
        i++;
      }
      const c = src.charCodeAt(i);
      // A last line of only spaces (no newline after it) is not blank to CPython.
      if (i >= src.length && col !== 0) {
        this.atLineStart = false;
        return this.error('unexpected indent', this.pos);
      }
      if (c === 35 || i >= src.length || this.newlineAt(i) > 0) {
        // Blank or comment-only line.
        while (i < src.length && this.newlineAt(i) === 0) i++;
        if (i >= src.length) {
          this.pos = i;
          this.atLineStart = false;
          return undefined;
        }
        this.pos = i + this.newlineAt(i);
        continue;
      }
      this.atLineStart = false;
      if (col !== 0) return this.error('unexpected indent', this.pos);
      this.pos = i;
      return undefined;
    }
  }

  private atEnd(): PyToken {
    const at = this.source.length;
    if (this.brackets.length > 0) return this.error(`'${this.brackets[this.brackets.length - 1]}' was never closed`, at);
    if (this.lineHasTokens) {
      this.lineHasTokens = false;
      return { kind: 'newline', text: '', start: at, end: at };
    }
    return { kind: 'end', text: '', start: at, end: at };
  }

  private token(c: number): PyToken {
    const src = this.source;
    const start = this.pos;
    if (isAsciiIdStart(c) || c >= 128) {
      let i = start;
      while (i < src.length) {
        const d = src.charCodeAt(i);
        if (!isPotentialIdentifierChar(d)) break;
        i++;
      }
      const word = src.slice(start, i);
      const q = src[i];
      if ((q === '"' || q === "'") && word.length <= 2 && STRING_PREFIXES.has(word.toLowerCase())) {
        return this.stringToken(start, i, word.toLowerCase());
      }
      this.pos = i;
      return this.nameToken(word, start, i);
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) return this.numberToken(start);
    if (c === 34 || c === 39) return this.stringToken(start, start, '');
    const candidates = OPERATORS_BY_CHAR.get(src[start]!);
    if (candidates) {
      for (const op of candidates) {
        if (src.startsWith(op, start)) return this.operatorToken(op, start);
      }
    }
    const cp = src.codePointAt(start)!;
    return this.error(`invalid character '${String.fromCodePoint(cp)}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`, start);
  }

  private nameToken(word: string, start: number, end: number): PyToken {
    let text = word;
    for (let k = 0; k < word.length; k++) {
      if (word.charCodeAt(k) >= 128) {
        const error = checkIdentifier(word, start);
        if (error) return error;
        text = word.normalize('NFKC');
        break;
      }
    }
    return { kind: PY_KEYWORDS.has(word) ? 'keyword' : 'name', text, start, end };
  }

  private operatorToken(op: string, start: number): PyToken {
    const end = start + op.length;
    if (op === '(' || op === '[' || op === '{') {
      if (this.brackets.length >= MAX_BRACKET_DEPTH) return this.error('too many nested parentheses', start);
      this.brackets.push(op);
    } else if (op === ')' || op === ']' || op === '}') {
      const open = this.brackets.pop();
      if (open === undefined) return this.error(`unmatched '${op}'`, start);
      if (open !== CLOSING[op]) return this.error(`closing parenthesis '${op}' does not match opening parenthesis '${open}'`, start);
    }
    this.pos = end;
    return { kind: 'op', text: op, start, end };
  }

  private stringToken(start: number, quoteAt: number, prefix: string): PyToken {
    const src = this.source;
    const quote = src[quoteAt]!;
    const triple = src[quoteAt + 1] === quote && src[quoteAt + 2] === quote;
    const bodyStart = quoteAt + (triple ? 3 : 1);
    let i = bodyStart;
    for (;;) {
      if (i >= src.length) {
        return this.error(triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal', start);
      }
      const ch = src[i]!;
      if (ch === '\\') {
        if (i + 1 >= src.length) {
          return this.error(triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal', start);
        }
        i += 1 + Math.max(1, this.newlineAt(i + 1));
        continue;
      }
      if (!triple && (ch === '\n' || ch === '\r')) return this.error('unterminated string literal', start);
      if (ch === quote && (!triple || (src[i + 1] === quote && src[i + 2] === quote))) break;
      i++;
    }
    const body = src.slice(bodyStart, i);
    const end = i + (triple ? 3 : 1);
    this.pos = end;
    return { kind: 'string', text: src.slice(start, end), start, end, string: { prefix, quote, triple, body, bodyStart } };
  }

  private numberToken(start: number): PyToken {
    const scanned = scanNumber(this.source, start);
    if ('message' in scanned) return this.error(scanned.message, scanned.at);
    this.pos = scanned.end;
    return { kind: 'number', text: this.source.slice(start, scanned.end), start, end: scanned.end, number: scanned.value };
  }
}

function checkIdentifier(word: string, start: number): PyToken | undefined {
  let first = true;
  let offset = 0;
  for (const ch of word) {
    const ok = first ? IDENTIFIER_START.test(ch) : IDENTIFIER_CONTINUE.test(ch);
    if (!ok) {
      const cp = ch.codePointAt(0)!;
      const printable = !/[\p{C}\p{Z}]/u.test(ch);
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      const message = printable ? `invalid character '${ch}' (U+${hex})` : `invalid non-printable character U+${hex}`;
      return { kind: 'error', text: '', start: start + offset, end: start + offset, message };
    }
    first = false;
    offset += ch.length;
  }
  return undefined;
}

type ScannedNumber = { value: PyNumberToken; end: number } | { message: string; at: number };

/**
 * CPython's number rules: underscores only between digits, no leading zeros on a
 * non-zero decimal int, a number may be followed directly only by the keywords
 * `and else for if in is not or` (3.11 deprecates but accepts `1if x else 2`).
 */
function scanNumber(src: string, start: number): ScannedNumber {
  let i = start;
  const c0 = src[i]!;
  const invalid = (kind = 'decimal'): ScannedNumber => ({ message: `invalid ${kind} literal`, at: i });
  // Reads digits with single underscores between them; returns false when an underscore is not followed by a digit.
  const digitRun = (isOk: (ch: string) => boolean): boolean => {
    for (;;) {
      while (i < src.length && isOk(src[i]!)) i++;
      if (src[i] !== '_') return true;
      i++;
      if (!isOk(src[i] ?? '')) return false;
    }
  };
  const isDec = (ch: string): boolean => ch >= '0' && ch <= '9';
  const endOk = (kind: string): ScannedNumber | undefined => (followedByIdentifier(src, i) ? invalid(kind) : undefined);

  if (c0 === '0' && /[xXoObB]/.test(src[i + 1] ?? '')) {
    const base = src[i + 1]!.toLowerCase();
    const kind = base === 'x' ? 'hexadecimal' : base === 'o' ? 'octal' : 'binary';
    const isOk = base === 'x' ? (ch: string) => /[0-9a-fA-F]/.test(ch) : base === 'o' ? (ch: string) => ch >= '0' && ch <= '7' : (ch: string) => ch === '0' || ch === '1';
    i += 2;
    const digitsStart = i;
    for (;;) {
      if (src[i] === '_') i++;
      if (!isOk(src[i] ?? '')) break;
      while (isOk(src[i] ?? '')) i++;
    }
    if (i === digitsStart || src[i - 1] === '_') {
      if (base !== 'x' && isDec(src[i] ?? '')) return { message: `invalid digit '${src[i]}' in ${kind} literal`, at: i };
      return invalid(kind);
    }
    if (base !== 'x' && isDec(src[i] ?? '')) return { message: `invalid digit '${src[i]}' in ${kind} literal`, at: i };
    const bad = endOk(kind);
    if (bad) return bad;
    const digits = src.slice(digitsStart, i).replace(/_/g, '');
    return { value: { type: 'int', value: BigInt(`0${base}${digits}`) }, end: i };
  }

  let isFloat = false;
  let nonZeroLeading = false;
  if (c0 !== '.') {
    if (!digitRun(isDec)) return invalid();
    const intText = src.slice(start, i).replace(/_/g, '');
    nonZeroLeading = intText.length > 1 && intText[0] === '0' && /[1-9]/.test(intText);
  }
  if (src[i] === '.') {
    isFloat = true;
    i++;
    if (isDec(src[i] ?? '') && !digitRun(isDec)) return invalid();
  }
  if (src[i] === 'e' || src[i] === 'E') {
    const save = i;
    i++;
    if (src[i] === '+' || src[i] === '-') {
      i++;
      if (!isDec(src[i] ?? '')) return invalid();
    }
    if (isDec(src[i] ?? '')) {
      if (!digitRun(isDec)) return invalid();
      isFloat = true;
    } else {
      // `1else`: the number ends before the `e`.
      i = save;
      if (!keywordFollows(src, i)) return invalid();
    }
  }
  if (src[i] === 'j' || src[i] === 'J') {
    i++;
    const bad = endOk('imaginary');
    if (bad) return bad;
    return { value: { type: 'imaginary', value: Number(src.slice(start, i - 1).replace(/_/g, '')) }, end: i };
  }
  if (!isFloat && nonZeroLeading) {
    return { message: 'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', at: start };
  }
  const bad = endOk('decimal');
  if (bad) return bad;
  const text = src.slice(start, i).replace(/_/g, '');
  return isFloat ? { value: { type: 'float', value: Number(text) }, end: i } : { value: { type: 'int', value: BigInt(text) }, end: i };
}

function keywordFollows(src: string, i: number): boolean {
  const c = src[i];
  const next = src[i + 1] ?? '';
  switch (c) {
    case 'a':
      return src.startsWith('nd', i + 1);
    case 'e':
      return src.startsWith('lse', i + 1);
    case 'f':
      return src.startsWith('or', i + 1);
    case 'i':
      return next === 'f' || next === 'n' || next === 's';
    case 'o':
      return src.startsWith('r', i + 1);
    case 'n':
      return src.startsWith('ot', i + 1);
    default:
      return false;
  }
}

/** True when an identifier character follows a number directly (and it is not one of the tolerated keywords). */
function followedByIdentifier(src: string, i: number): boolean {
  if (i >= src.length) return false;
  if (!isPotentialIdentifierChar(src.charCodeAt(i))) return false;
  return !keywordFollows(src, i);
}
