/**
 * BFCL's prompt-mode decoding: a model's reply text to the calls BFCL scores, with the
 * outcome of the official decoder (gorilla @ cd9429cc, `default_decode_ast_prompting`
 * and what it calls) reproduced rule by rule.
 *
 * The reply is stripped of backticks, newlines and spaces at both ends and wrapped in
 * `[` `]` when it does not already start/end with them. Then, by language:
 *
 * Python — the brackets and single quotes at both ends are stripped (`strip("[]'")`,
 * so a leading space left inside `[ f()]` is an indentation error), the rest must parse
 * as one Python expression: a call, or a list/tuple/set whose items are all calls.
 * Per call: the name is the dotted chain of the callee (`a.b.c`); keyword arguments only
 * (positional ones are dropped unread; `**x` gives the key `None`, here
 * `BFCL_NONE_KEY`); each value is converted by node type:
 *   constant → its value (`...` → `'...'`); unary operator on a constant number → its
 *   negation, whatever the operator (`+5` → -5, `not True` → -1); list, tuple, dict →
 *   converted items; arithmetic (`BinOp`) → evaluated; bare name → its identifier as a
 *   string; call with keywords → `{name: {args}}`; call without keywords → its
 *   `ast.unparse` text; subscript → `unparse(value) + '[' + unparse(slice) + ']'`;
 *   lambda, attribute, comparison, f-string, set, comprehension, ... → decode failure.
 *
 * Java / JavaScript — the first and last characters are cut off and the rest parsed as
 * source (officially with tree-sitter; here with a small parser of the same expression
 * syntax). Java: the first method invocation in the tree, its name `object.method`,
 * each `name = value` argument kept with the value as source text (string and char
 * literals without their quotes, nested ones with; most other nodes as their tokens
 * run together without spaces; method calls, names and class literals verbatim; array
 * and object creation rebuilt as `new T[]{...}` / `new T(a, b)`), bare identifiers and
 * class literals under the key `None`. JavaScript: the first top-level expression
 * statement that is a call; each `name = value` argument's value as its source text
 * with one pair of matching quotes removed; bare identifiers and `true` under `None`.
 * A repeated key is a failure in both. No call found is a failure (the official decoder
 * returns a non-call value that the checker then rejects).
 *
 * Known differences from the official decoder:
 * - Python: arithmetic is evaluated only over literals (plus the pure builtins abs, bool,
 *   float, int, len, max, min, round, str, sum); the official code `eval`s it in the
 *   checker's module, where other names and calls might also resolve. Results too big to
 *   build (over 10^7 items or 10^6 bits) fail. Ints beyond 2^53 lose precision; values a
 *   `Value` cannot hold (complex, bytes, sets) become the string of their repr, and dict
 *   keys that are not strings become their repr too (`None` becomes `BFCL_NONE_KEY`).
 *   `\N{...}` escapes know only a short table of names. f-strings are parsed as 3.11
 *   does; their `ast.unparse` text follows 3.11's rules.
 * - Java / JavaScript: what parses follows the languages' expression grammars the way
 *   tree-sitter reads them (reserved words in value position read as names, an
 *   assignment may be the right operand of a binary operator, Java statements need no
 *   `;` between them, JavaScript ones need `;` or a line break). tree-sitter's error
 *   recovery is not reproduced: on garbled text it sometimes inserts a MISSING node
 *   and decodes what this parser refuses, and on a few valid-looking inputs (Java
 *   `f(x)` or `f(1)` alone) it reports an ERROR this parser does not. Statements other
 *   than expression statements (declarations, blocks, control flow) fail here.
 *   Comments are skipped (tree-sitter keeps them as nodes, so a comment right after
 *   `=` becomes the official value). Java lambda block bodies are rebuilt from tokens,
 *   so calls inside them lose their spacing; JavaScript template literals and function
 *   bodies are checked only for balanced brackets.
 */
import type { ToolCall } from '../../core/types.ts';
import { isPlainObject, type ValueObject } from '../../core/value.ts';
import { evaluatePython } from '../../toolcall/python-eval.ts';
import type { PyNode } from '../../toolcall/python-ast.ts';
import { makeDict, pyStr, toValue, type PyObj } from '../../toolcall/python-object.ts';
import { parsePythonExpression } from '../../toolcall/python-parser.ts';
import { unparsePython } from '../../toolcall/python-unparse.ts';

export type BfclPromptLanguage = 'python' | 'java' | 'javascript';

export type BfclDecodeResult = { ok: true; calls: ToolCall[] } | { ok: false; error: string };

/** The argument key standing for Python's `None` key in BFCL's decoded calls. */
export const BFCL_NONE_KEY = '<None>';

/** Decodes a prompt-mode reply as BFCL's official decoder would; never throws. */
export function decodeBfclPrompt(text: string, language: BfclPromptLanguage): BfclDecodeResult {
  try {
    const wrapped = wrapInBrackets(stripChars(text, '`\n '));
    if (language === 'python') return decodePython(stripChars(wrapped, "[]'"));
    return decodeCLike(wrapped.slice(1, -1), language);
  } catch (e) {
    if (e instanceof DecodeFailure) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: 'RecursionError: input too deeply nested' };
    throw e;
  }
}

class DecodeFailure {
  constructor(readonly message: string) {}
}

function fail(message: string): never {
  throw new DecodeFailure(message);
}

/** Python's `str.strip(chars)`. */
export function stripChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

function wrapInBrackets(text: string): string {
  let s = text;
  if (!s.startsWith('[')) s = '[' + s;
  if (!s.endsWith(']')) s = s + ']';
  return s;
}

// ---------------------------------------------------------------- Python

function decodePython(source: string): BfclDecodeResult {
  const parsed = parsePythonExpression(source);
  if (!parsed.ok) return { ok: false, error: `SyntaxError: ${parsed.error.message}` };
  const body = parsed.node;
  let elements: PyNode[];
  if (body.kind === 'Call') elements = [body];
  else if (body.kind === 'List' || body.kind === 'Tuple' || body.kind === 'Set') elements = body.elts;
  else return { ok: false, error: `AttributeError: '${body.kind}' object has no attribute 'elts'` };
  const calls: ToolCall[] = [];
  for (const element of elements) {
    if (element.kind !== 'Call') return { ok: false, error: `AssertionError: list item is ${element.kind}, not a call` };
    const { name, args } = resolveCall(element);
    const value = toValue(args, 'repr', { noneKey: BFCL_NONE_KEY });
    calls.push({ name, arguments: value.ok && isPlainObject(value.value) ? value.value : {} });
  }
  return { ok: true, calls };
}

function calleeName(func: PyNode): string {
  const parts: string[] = [];
  let n = func;
  while (n.kind === 'Attribute') {
    parts.push(n.attr);
    n = n.value;
  }
  if (n.kind === 'Name') parts.push(n.id);
  return parts.reverse().join('.');
}

function resolveCall(call: Extract<PyNode, { kind: 'Call' }>): { name: string; args: PyObj } {
  const keys: PyObj[] = [];
  const values: PyObj[] = [];
  for (const keyword of call.keywords) {
    const value = resolveValue(keyword.value);
    keys.push(keyword.arg === null ? { t: 'none' } : pyStr(keyword.arg));
    values.push(value);
  }
  const args = makeDict(keys, values);
  if (typeof args === 'string') fail(`TypeError: ${args}`);
  return { name: calleeName(call.func), args };
}

function unparseOrFail(node: PyNode): string {
  const text = unparsePython(node);
  if (!text.ok) fail(`ValueError: ${text.error}`);
  return text.text;
}

function resolveValue(node: PyNode): PyObj {
  switch (node.kind) {
    case 'Constant':
      return node.value.t === 'ellipsis' ? pyStr('...') : node.value;
    case 'UnaryOp':
      return negateConstant(node.operand);
    case 'List':
      return { t: 'list', items: node.elts.map(resolveValue) };
    case 'Tuple':
      return { t: 'tuple', items: node.elts.map(resolveValue) };
    case 'Dict': {
      const keys: PyObj[] = [];
      const values: PyObj[] = [];
      node.keys.forEach((k, i) => {
        if (k === null) fail("Unsupported AST type: <class 'NoneType'>");
        keys.push(resolveValue(k));
        values.push(resolveValue(node.values[i]!));
      });
      const dict = makeDict(keys, values);
      if (typeof dict === 'string') fail(`TypeError: ${dict}`);
      return dict;
    }
    case 'BinOp': {
      const result = evaluatePython(node, { builtins: true });
      if (!result.ok) fail(`eval failed: ${result.error}`);
      return result.value;
    }
    case 'Name':
      return pyStr(node.id);
    case 'Call':
      if (node.keywords.length === 0) return pyStr(unparseOrFail(node));
      {
        const { name, args } = resolveCall(node);
        return { t: 'dict', keys: [pyStr(name)], values: [args] };
      }
    case 'Subscript':
      return pyStr(`${unparseOrFail(node.value)}[${unparseOrFail(node.slice)}]`);
    case 'Lambda':
      return fail("TypeError: 'Lambda' body is not subscriptable");
    default:
      return fail(`Unsupported AST type: <class 'ast.${node.kind}'>`);
  }
}

/** The official rule is `-operand.value`: only a constant number (or bool) operand survives it. */
function negateConstant(operand: PyNode): PyObj {
  if (operand.kind !== 'Constant') fail(`cannot negate ${operand.kind}`);
  const v = operand.value;
  switch (v.t) {
    case 'int':
      return { t: 'int', v: -v.v };
    case 'bool':
      return { t: 'int', v: v.v ? -1n : 0n };
    case 'float':
      return { t: 'float', v: -v.v };
    case 'complex':
      return { t: 'complex', re: -v.re, im: -v.im };
    default:
      return fail(`TypeError: bad operand type for unary -: '${v.t}'`);
  }
}

// ---------------------------------------------------------------- Java / JavaScript

type CLang = 'java' | 'javascript';

interface CToken {
  kind: 'ident' | 'num' | 'str' | 'char' | 'template' | 'regex' | 'punct';
  text: string;
  start: number;
  end: number;
  /** A line break lies between this token and the previous one. */
  newlineBefore: boolean;
}

/** A syntax node: a tree-sitter node type where the decoding rules look at it, and its parts in order. */
interface CNode {
  type: string;
  start: number;
  end: number;
  parts: CPart[];
  fields: Partial<Record<'name' | 'object' | 'arguments' | 'type' | 'value' | 'left' | 'right' | 'function', CPart>>;
}
type CPart = CNode | CToken;

function isNode(p: CPart): p is CNode {
  return 'parts' in p;
}

const PUNCTUATORS: Record<CLang, string[]> = {
  java: ['>>>=', '<<=', '>>=', '>>>', '...', '->', '::', '++', '--', '&&', '||', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>'],
  javascript: ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=', '=>', '?.', '??', '**', '++', '--', '&&', '||', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>'],
};
const SINGLE_PUNCT = '(){}[];,.@=<>!~?:+-*/&|^%#';

const JAVA_NUMBER = /^(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?\d[\d_]*)?[lLfFdD]?|0[bB][01_]+[lL]?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[lLfFdD]?)$/;
const JS_NUMBER = /^(?:0[xX][0-9a-fA-F_]+n?|0[bB][01_]+n?|0[oO][0-7_]+n?|\d[\d_]*n|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)$/;
const IDENT_START = /[\p{ID_Start}$_]/u;
const IDENT_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

function tokenize(src: string, lang: CLang): CToken[] {
  const tokens: CToken[] = [];
  let i = 0;
  let newline = false;
  const regexAllowed = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.kind === 'punct') return !(prev.text === ')' || prev.text === ']' || prev.text === '}' || prev.text === '++' || prev.text === '--');
    return prev.kind === 'ident' && ['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await'].includes(prev.text);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      newline = true;
      i++;
      continue;
    }
    if (/\s/.test(c) || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n' && src[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close === -1) fail('SyntaxError: unterminated comment');
      if (/[\n\r]/.test(src.slice(i, close))) newline = true;
      i = close + 2;
      continue;
    }
    const start = i;
    let kind: CToken['kind'];
    const ch = String.fromCodePoint(src.codePointAt(i)!);
    if (IDENT_START.test(ch)) {
      i += ch.length;
      while (i < src.length) {
        const next = String.fromCodePoint(src.codePointAt(i)!);
        if (!IDENT_PART.test(next)) break;
        i += next.length;
      }
      kind = 'ident';
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const hex = /^0[xX]/.test(src.slice(i, i + 2));
      while (i < src.length && /[0-9a-zA-Z_.]/.test(src[i]!)) {
        const exponent = hex ? src[i] === 'p' || src[i] === 'P' : src[i] === 'e' || src[i] === 'E';
        if (exponent && (src[i + 1] === '+' || src[i + 1] === '-')) i++;
        i++;
      }
      const text = src.slice(start, i);
      if (!(lang === 'java' ? JAVA_NUMBER : JS_NUMBER).test(text)) fail(`SyntaxError: bad number ${text}`);
      kind = 'num';
    } else if (c === '"' && lang === 'java' && src.startsWith('"""', i)) {
      const close = src.indexOf('"""', i + 3);
      if (close === -1 || !/^[ \t\f]*\r?\n/.test(src.slice(i + 3))) fail('SyntaxError: bad text block');
      i = close + 3;
      kind = 'str';
    } else if (c === '"' || (c === "'" && lang === 'javascript')) {
      i = scanQuoted(src, i, c);
      kind = 'str';
    } else if (c === "'") {
      i = scanQuoted(src, i, c);
      if (i - start < 3) fail('SyntaxError: empty character literal');
      kind = 'char';
    } else if (c === '`' && lang === 'javascript') {
      i = scanTemplate(src, i);
      kind = 'template';
    } else if (c === '/' && lang === 'javascript' && regexAllowed()) {
      i = scanRegex(src, i);
      kind = 'regex';
    } else {
      const multi = PUNCTUATORS[lang].find((p) => src.startsWith(p, i));
      if (multi) i += multi.length;
      else if (SINGLE_PUNCT.includes(c)) i++;
      else fail(`SyntaxError: unexpected character ${JSON.stringify(c)}`);
      kind = 'punct';
    }
    tokens.push({ kind, text: src.slice(start, i), start, end: i, newlineBefore: newline });
    newline = false;
  }
  return tokens;
}

function scanQuoted(src: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const ch = src[j];
    if (ch === undefined || ch === '\n' || ch === '\r') fail('SyntaxError: unterminated string');
    if (ch === '\\') j += 2;
    else if (ch === quote) return j + 1;
    else j++;
  }
}

function scanTemplate(src: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const ch = src[j];
    if (ch === undefined) fail('SyntaxError: unterminated template');
    if (ch === '\\') j += 2;
    else if (ch === '`') return j + 1;
    else if (ch === '$' && src[j + 1] === '{') j = scanBalanced(src, j + 1);
    else j++;
  }
}

/** From an opening `{`, the offset after its matching `}` (strings and templates skipped). */
function scanBalanced(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const ch = src[j]!;
    if (ch === '"' || ch === "'") j = scanQuoted(src, j, ch);
    else if (ch === '`') j = scanTemplate(src, j);
    else {
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return j + 1;
      j++;
    }
  }
  return fail('SyntaxError: unbalanced braces');
}

function scanRegex(src: string, i: number): number {
  let j = i + 1;
  let inClass = false;
  for (;;) {
    const ch = src[j];
    if (ch === undefined || ch === '\n' || ch === '\r') fail('SyntaxError: unterminated regex');
    if (ch === '\\') j += 2;
    else {
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
      j++;
    }
  }
  j++;
  while (j < src.length && /[a-z]/.test(src[j]!)) j++;
  return j;
}

const JAVA_PRIMITIVES = new Set(['int', 'long', 'short', 'byte', 'char', 'float', 'double', 'boolean', 'void']);
const JAVA_RESERVED = new Set([
  'abstract', 'assert', 'break', 'case', 'catch', 'class', 'const', 'continue', 'default', 'do', 'else', 'enum', 'extends', 'final',
  'finally', 'for', 'goto', 'if', 'implements', 'import', 'instanceof', 'interface', 'native', 'new', 'package', 'private',
  'protected', 'public', 'return', 'static', 'strictfp', 'super', 'switch', 'synchronized', 'this', 'throw', 'throws', 'transient',
  'try', 'volatile', 'while', 'true', 'false', 'null', ...JAVA_PRIMITIVES,
]);

const JAVA_BINARY: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>=', 'instanceof'], ['<<', '>>', '>>>'], ['+', '-'], ['*', '/', '%']];
const JS_BINARY: string[][] = [['??'], ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!=', '===', '!=='], ['<', '>', '<=', '>=', 'instanceof', 'in'], ['<<', '>>', '>>>'], ['+', '-'], ['*', '/', '%'], ['**']];
const JAVA_ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=', '>>>=']);
const JS_ASSIGN = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '>>>=', '&=', '|=', '^=', '&&=', '||=', '??=']);
const MAX_C_NESTING = 500;

class CParser {
  private i = 0;
  private nesting = 0;
  /** For each opening bracket token, the index of its closing one (-1 when unbalanced). */
  private readonly closers: Int32Array;
  constructor(
    private readonly tokens: CToken[],
    private readonly lang: CLang,
  ) {
    this.closers = new Int32Array(tokens.length).fill(-1);
    const open: number[] = [];
    tokens.forEach((t, k) => {
      if (t.kind !== 'punct') return;
      if (t.text === '(' || t.text === '[' || t.text === '{') open.push(k);
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        const from = open.pop();
        if (from !== undefined) this.closers[from] = k;
      }
    });
  }

  private peek(k = 0): CToken | undefined {
    return this.tokens[this.i + k];
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t !== undefined && (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private take(): CToken {
    const t = this.peek();
    if (!t) fail('SyntaxError: unexpected end of input');
    this.i++;
    return t;
  }
  private expect(text: string): CToken {
    if (!this.is(text)) fail(`SyntaxError: expected '${text}' at ${this.peek()?.start ?? 'end'}`);
    return this.take();
  }
  private node(type: string, parts: CPart[], fields: CNode['fields'] = {}): CNode {
    return { type, start: parts[0]!.start, end: parts[parts.length - 1]!.end, parts, fields };
  }
  private leaf(type: string, token: CToken): CNode {
    return { type, start: token.start, end: token.end, parts: [token], fields: {} };
  }
  /** Index of the token closing the bracket at `open`, or -1. */
  private matching(open: number): number {
    return this.closers[open] ?? -1;
  }
  /** Consumes a balanced bracket group as an opaque node (function bodies, class bodies, blocks). */
  private opaque(type: string): CNode {
    const close = this.matching(this.i);
    if (close === -1) fail('SyntaxError: unbalanced brackets');
    const parts = this.tokens.slice(this.i, close + 1);
    this.i = close + 1;
    return this.node(type, parts);
  }

  program(): CNode[] {
    const statements: CNode[] = [];
    while (this.peek()) {
      if (this.is(';')) {
        this.take();
        continue;
      }
      const first = this.peek()!;
      if (first.kind === 'ident' && ['var', 'let', 'const', 'if', 'for', 'while', 'do', 'return', 'function', 'class', 'switch', 'try', 'throw', 'import', 'export', 'int', 'public', 'private', 'static', 'final'].includes(first.text) && !this.is('(', 1) && !this.is('.', 1)) {
        fail(`SyntaxError: unsupported statement '${first.text}'`);
      }
      if (this.is('{')) fail('SyntaxError: block statements are not supported');
      const expression = this.lang === 'javascript' ? this.sequence() : this.expression();
      statements.push(this.node('expression_statement', [expression], {}));
      const next = this.peek();
      if (!next) break;
      if (next.text === ';' && next.kind === 'punct') this.take();
      else if (!next.newlineBefore && this.lang === 'javascript') fail(`SyntaxError: unexpected '${next.text}' at ${next.start}`);
    }
    return statements;
  }

  private sequence(): CNode {
    const first = this.expression();
    if (!this.is(',')) return first;
    const parts: CPart[] = [first];
    while (this.is(',')) {
      parts.push(this.take());
      parts.push(this.expression());
    }
    return this.node('sequence_expression', parts);
  }

  expression(): CNode {
    if (++this.nesting > MAX_C_NESTING) fail('RecursionError: too deeply nested');
    const lambda = this.lambda();
    const result = lambda ?? this.assignmentAfter(this.ternary(), true);
    this.nesting--;
    return result;
  }

  /**
   * `left = value` when an assignment operator follows. tree-sitter's grammar lets an
   * assignment stand as the right operand of a binary operator (`a + b = 1` reads as
   * `a + (b = 1)`), so this is tried after every operand, not only at the top.
   */
  private assignmentAfter(left: CNode, top = false): CNode {
    const t = this.peek();
    if (!t || t.kind !== 'punct' || !(this.lang === 'java' ? JAVA_ASSIGN : JS_ASSIGN).has(t.text)) return left;
    const allowed = this.lang === 'java' ? ['identifier', 'field_access', 'array_access'] : ['identifier', 'member_expression', 'subscript_expression', 'array', 'object', 'parenthesized_expression'];
    if (!allowed.includes(left.type)) {
      if (top) fail(`SyntaxError: cannot assign to ${left.type}`);
      return left;
    }
    const op = this.take();
    const right = this.expression();
    const type = this.lang === 'javascript' && op.text !== '=' ? 'augmented_assignment_expression' : 'assignment_expression';
    return this.node(type, [left, op, right], { left, right });
  }

  /** An arrow function / lambda starting here, or undefined. */
  private lambda(): CNode | undefined {
    const arrow = this.lang === 'java' ? '->' : '=>';
    const t = this.peek();
    if (!t) return undefined;
    let paramsEnd: number;
    let asyncToken: CToken | undefined;
    let at = this.i;
    if (this.lang === 'javascript' && t.kind === 'ident' && t.text === 'async' && !this.tokens[at + 1]?.newlineBefore && (this.tokens[at + 1]?.kind === 'ident' || this.tokens[at + 1]?.text === '(')) {
      asyncToken = t;
      at++;
    }
    const first = this.tokens[at];
    if (!first) return undefined;
    if (first.kind === 'ident' && this.tokens[at + 1]?.text === arrow) paramsEnd = at;
    else if (first.kind === 'punct' && first.text === '(') {
      const saved = this.i;
      this.i = at;
      const close = this.matching(at);
      this.i = saved;
      if (close === -1 || this.tokens[close + 1]?.text !== arrow) return undefined;
      paramsEnd = close;
    } else return undefined;
    const parts: CPart[] = [];
    if (asyncToken) parts.push(asyncToken);
    const params = this.node(first.text === '(' ? 'formal_parameters' : 'identifier', this.tokens.slice(at, paramsEnd + 1));
    parts.push(params);
    this.i = paramsEnd + 1;
    parts.push(this.take());
    if (this.is('{')) parts.push(this.opaque(this.lang === 'java' ? 'block' : 'statement_block'));
    else parts.push(this.expression());
    return this.node(this.lang === 'java' ? 'lambda_expression' : 'arrow_function', parts);
  }

  private ternary(): CNode {
    const condition = this.binary(0);
    if (!this.is('?')) return condition;
    const q = this.take();
    const consequence = this.expression();
    const colon = this.expect(':');
    const alternative = this.expression();
    return this.node('ternary_expression', [condition, q, consequence, colon, alternative]);
  }

  private binary(level: number): CNode {
    const levels = this.lang === 'java' ? JAVA_BINARY : JS_BINARY;
    if (level === levels.length) return this.unary();
    const ops = levels[level]!;
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (!t || !(t.kind === 'punct' || t.kind === 'ident') || !ops.includes(t.text)) return left;
      if (t.kind === 'ident' && t.text !== 'instanceof' && t.text !== 'in') return left;
      const op = this.take();
      if (this.lang === 'java' && op.text === 'instanceof') {
        const type = this.type();
        const parts: CPart[] = [left, op, type];
        if (this.peek()?.kind === 'ident' && !JAVA_RESERVED.has(this.peek()!.text)) parts.push(this.leaf('identifier', this.take()));
        left = this.node('instanceof_expression', parts);
        continue;
      }
      // `**` is right-associative.
      const right = this.assignmentAfter(op.text === '**' ? this.binary(level) : this.binary(level + 1));
      left = this.node('binary_expression', [left, op, right]);
    }
  }

  private unary(): CNode {
    const t = this.peek();
    if (!t) fail('SyntaxError: unexpected end of input');
    const prefix = this.lang === 'java' ? ['+', '-', '!', '~'] : ['+', '-', '!', '~', 'typeof', 'void', 'delete', 'await'];
    if ((t.kind === 'punct' || (t.kind === 'ident' && this.lang === 'javascript')) && prefix.includes(t.text)) {
      if (++this.nesting > MAX_C_NESTING) fail('RecursionError: too deeply nested');
      const op = this.take();
      const operand = this.unary();
      this.nesting--;
      return this.node(op.text === 'await' ? 'await_expression' : 'unary_expression', [op, operand]);
    }
    if (t.kind === 'punct' && (t.text === '++' || t.text === '--')) {
      const op = this.take();
      return this.node('update_expression', [op, this.unary()]);
    }
    if (this.lang === 'java' && t.text === '(' && t.kind === 'punct') {
      const cast = this.cast();
      if (cast) return cast;
    }
    let operand = this.primary();
    while (this.peek() && (this.is('++') || this.is('--')) && !(this.lang === 'javascript' && this.peek()!.newlineBefore)) {
      operand = this.node('update_expression', [operand, this.take()]);
    }
    return operand;
  }

  /** A Java cast `(Type) operand`, recognised when the parentheses hold a type and an operand follows. */
  private cast(): CNode | undefined {
    const close = this.matching(this.i);
    if (close === -1) return undefined;
    const inner = this.tokens.slice(this.i + 1, close);
    const after = this.tokens[close + 1];
    if (inner.length === 0 || !after) return undefined;
    const primitive = inner[0]!.kind === 'ident' && JAVA_PRIMITIVES.has(inner[0]!.text);
    const typeLike = inner.every((tok) => tok.kind === 'ident' || ['.', '<', '>', '>>', '>>>', '[', ']', ',', '?', '&'].includes(tok.text));
    if (!typeLike || inner[0]!.kind !== 'ident') return undefined;
    const startsOperand = after.kind !== 'punct' ? !['instanceof'].includes(after.text) : ['(', '!', '~'].includes(after.text) || (primitive && ['+', '-', '++', '--'].includes(after.text));
    if (!startsOperand) return undefined;
    const open = this.take();
    const type = this.type();
    const closeToken = this.expect(')');
    const operand = this.lambda() ?? this.unary();
    return this.node('cast_expression', [open, type, closeToken, operand]);
  }

  private arguments(): CNode {
    const parts: CPart[] = [this.expect('(')];
    while (!this.is(')')) {
      if (this.lang === 'javascript' && this.is('...')) {
        const dots = this.take();
        parts.push(this.node('spread_element', [dots, this.expression()]));
      } else {
        parts.push(this.expression());
      }
      if (!this.is(',')) break;
      parts.push(this.take());
      if (this.lang === 'java' && this.is(')')) fail("SyntaxError: trailing ',' in arguments");
    }
    parts.push(this.expect(')'));
    return this.node(this.lang === 'java' ? 'argument_list' : 'arguments', parts);
  }

  private primary(): CNode {
    let node = this.lang === 'java' ? this.javaAtom() : this.jsAtom();
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'punct') {
        if (t && t.kind === 'template' && this.lang === 'javascript') {
          const template = this.leaf('template_string', this.take());
          node = this.node('call_expression', [node, template], { function: node, arguments: template });
          continue;
        }
        return node;
      }
      if (t.text === '.') {
        const dot = this.take();
        const name = this.peek();
        if (this.lang === 'java' && name?.text === 'class') {
          node = this.node('class_literal', [node, dot, this.take()]);
          continue;
        }
        if (this.lang === 'java' && name?.text === '<') {
          const typeArgs = this.typeArguments();
          const method = this.take();
          if (method.kind !== 'ident') fail('SyntaxError: expected a method name');
          const args = this.arguments();
          node = this.node('method_invocation', [node, dot, typeArgs, method, args], { object: node, name: method, arguments: args });
          continue;
        }
        if (!name || name.kind !== 'ident') fail(`SyntaxError: expected a name after '.'`);
        this.take();
        if (this.lang === 'java' && this.is('(')) {
          const args = this.arguments();
          node = this.node('method_invocation', [node, dot, name, args], { object: node, name, arguments: args });
        } else {
          const field = this.leaf(this.lang === 'java' ? 'identifier' : 'property_identifier', name);
          node = this.node(this.lang === 'java' ? 'field_access' : 'member_expression', [node, dot, field], { object: node });
        }
      } else if (t.text === '?.' && this.lang === 'javascript') {
        const chain = this.take();
        if (this.is('(')) {
          const args = this.arguments();
          node = this.node('call_expression', [node, chain, args], { function: node, arguments: chain });
        } else if (this.is('[')) {
          const open = this.take();
          node = this.node('subscript_expression', [node, chain, open, this.sequence(), this.expect(']')]);
        } else {
          const name = this.take();
          if (name.kind !== 'ident') fail("SyntaxError: expected a name after '?.'");
          node = this.node('member_expression', [node, chain, this.leaf('property_identifier', name)], { object: node });
        }
      } else if (t.text === '[') {
        const open = this.take();
        if (this.lang === 'java' && this.is(']')) {
          // `Foo[].class`
          const close = this.take();
          const dot = this.expect('.');
          const cls = this.expect('class');
          node = this.node('class_literal', [node, open, close, dot, cls]);
          continue;
        }
        const index = this.lang === 'java' ? this.expression() : this.sequence();
        node = this.node(this.lang === 'java' ? 'array_access' : 'subscript_expression', [node, open, index, this.expect(']')]);
      } else if (t.text === '(' && this.lang === 'javascript') {
        const args = this.arguments();
        node = this.node('call_expression', [node, args], { function: node, arguments: args });
      } else if (t.text === '::' && this.lang === 'java') {
        const colons = this.take();
        const member = this.take();
        if (member.kind !== 'ident') fail('SyntaxError: bad method reference');
        node = this.node('method_reference', [node, colons, member]);
      } else {
        return node;
      }
    }
  }

  private javaAtom(): CNode {
    const t = this.take();
    switch (t.kind) {
      case 'num':
        return this.leaf('number_literal', t);
      case 'str':
        return this.leaf('string_literal', t);
      case 'char':
        return this.leaf('character_literal', t);
      case 'ident':
        if (t.text === 'true' || t.text === 'false' || t.text === 'null' || t.text === 'this' || t.text === 'super') return this.leaf(t.text, t);
        if (t.text === 'new') return this.javaNew(t);
        if (JAVA_PRIMITIVES.has(t.text)) {
          const parts: CPart[] = [t];
          while (this.is('[')) parts.push(this.take(), this.expect(']'));
          parts.push(this.expect('.'), this.expect('class'));
          return this.node('class_literal', parts);
        }
        // Like tree-sitter's contextual keywords, other reserved words read as names here.
        if (this.is('(')) {
          const args = this.arguments();
          return this.node('method_invocation', [t, args], { name: t, arguments: args });
        }
        return this.leaf('identifier', t);
      case 'punct':
        if (t.text === '(') {
          const inner = this.expression();
          return this.node('parenthesized_expression', [t, inner, this.expect(')')]);
        }
        if (t.text === '@') fail('SyntaxError: annotations are not supported');
        return fail(`SyntaxError: unexpected '${t.text}' at ${t.start}`);
      default:
        return fail(`SyntaxError: unexpected '${t.text}' at ${t.start}`);
    }
  }

  private javaNew(keyword: CToken): CNode {
    const parts: CPart[] = [keyword];
    if (this.is('<')) parts.push(this.typeArguments());
    const type = this.type(false);
    parts.push(type);
    if (this.is('(')) {
      const args = this.arguments();
      parts.push(args);
      if (this.is('{')) parts.push(this.opaque('class_body'));
      return this.node('object_creation_expression', parts, { type, arguments: args });
    }
    if (!this.is('[')) fail('SyntaxError: expected ( or [ after new T');
    let sized = false;
    while (this.is('[')) {
      const open = this.take();
      if (this.is(']')) {
        parts.push(this.node('dimensions', [open, this.take()]));
      } else {
        sized = true;
        parts.push(this.node('dimensions_expr', [open, this.expression(), this.expect(']')]));
      }
    }
    if (!sized && this.is('{')) {
      const value = this.arrayInitializer();
      parts.push(value);
      return this.node('array_creation_expression', parts, { type, value });
    }
    if (!sized) fail('SyntaxError: array creation needs a size or an initializer');
    return this.node('array_creation_expression', parts, { type });
  }

  private arrayInitializer(): CNode {
    const parts: CPart[] = [this.expect('{')];
    while (!this.is('}')) {
      parts.push(this.is('{') ? this.arrayInitializer() : this.expression());
      if (!this.is(',')) break;
      parts.push(this.take());
    }
    parts.push(this.expect('}'));
    return this.node('array_initializer', parts);
  }

  /** A Java type: `int`, `String`, `java.util.List<String>`, `Map.Entry<K, V>[]`. */
  private type(withDimensions = true): CNode {
    const first = this.take();
    if (first.kind !== 'ident' || (JAVA_RESERVED.has(first.text) && !JAVA_PRIMITIVES.has(first.text))) fail('SyntaxError: expected a type');
    let node: CNode = this.leaf(JAVA_PRIMITIVES.has(first.text) ? 'integral_type' : 'type_identifier', first);
    if (!JAVA_PRIMITIVES.has(first.text)) {
      for (;;) {
        if (this.is('<')) node = this.node('generic_type', [node, this.typeArguments()]);
        if (this.is('.') && this.peek(1)?.kind === 'ident' && this.peek(1)?.text !== 'class') {
          const dot = this.take();
          node = this.node('scoped_type_identifier', [node, dot, this.leaf('type_identifier', this.take())]);
          continue;
        }
        break;
      }
    }
    if (withDimensions) {
      while (this.is('[') && this.is(']', 1)) node = this.node('array_type', [node, this.node('dimensions', [this.take(), this.take()])]);
    }
    return node;
  }

  private typeArguments(): CNode {
    const parts: CPart[] = [this.expect('<')];
    while (!this.closeAngleAhead()) {
      if (this.is('?')) {
        const q = this.take();
        if (this.is('extends') || this.is('super')) parts.push(this.node('wildcard', [q, this.take(), this.type()]));
        else parts.push(this.leaf('wildcard', q));
      } else {
        parts.push(this.type());
      }
      if (!this.is(',')) break;
      parts.push(this.take());
    }
    if (!this.closeAngleAhead()) fail("SyntaxError: expected '>'");
    parts.push(this.takeCloseAngle());
    return this.node('type_arguments', parts);
  }

  private closeAngleAhead(): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && (t.text === '>' || t.text === '>>' || t.text === '>>>' || t.text === '>=' || t.text === '>>=');
  }

  /** Takes one `>`, splitting `>>` and `>>>` as generics need. */
  private takeCloseAngle(): CToken {
    const t = this.peek()!;
    if (t.text === '>') return this.take();
    const first: CToken = { ...t, text: '>', end: t.start + 1 };
    this.tokens[this.i] = { ...t, text: t.text.slice(1), start: t.start + 1, newlineBefore: false };
    return first;
  }

  private jsAtom(): CNode {
    const t = this.peek();
    if (!t) fail('SyntaxError: unexpected end of input');
    switch (t.kind) {
      case 'num':
        return this.leaf('number', this.take());
      case 'str':
        return this.leaf('string', this.take());
      case 'template':
        return this.leaf('template_string', this.take());
      case 'regex':
        return this.leaf('regex', this.take());
      case 'ident': {
        if (['true', 'false', 'null', 'undefined', 'this', 'super'].includes(t.text)) return this.leaf(t.text, this.take());
        if (t.text === 'function' || (t.text === 'async' && this.is('function', 1))) {
          const parts: CPart[] = [];
          if (t.text === 'async') parts.push(this.take());
          parts.push(this.take());
          if (this.is('*')) parts.push(this.take());
          if (this.peek()?.kind === 'ident' && !this.is('(')) parts.push(this.leaf('identifier', this.take()));
          if (!this.is('(')) fail('SyntaxError: expected function parameters');
          parts.push(this.opaque('formal_parameters'));
          if (!this.is('{')) fail('SyntaxError: expected a function body');
          parts.push(this.opaque('statement_block'));
          return this.node('function_expression', parts);
        }
        if (t.text === 'new') {
          const keyword = this.take();
          if (this.is('.')) {
            const dot = this.take();
            return this.node('new_target', [keyword, dot, this.take()]);
          }
          let callee: CNode = this.jsAtom();
          while (this.is('.') || (this.is('[') && this.lang === 'javascript')) {
            if (this.is('.')) {
              const dot = this.take();
              const name = this.take();
              if (name.kind !== 'ident') fail("SyntaxError: expected a name after '.'");
              callee = this.node('member_expression', [callee, dot, this.leaf('property_identifier', name)], { object: callee });
            } else {
              const open = this.take();
              callee = this.node('subscript_expression', [callee, open, this.sequence(), this.expect(']')]);
            }
          }
          const parts: CPart[] = [keyword, callee];
          if (this.is('(')) parts.push(this.arguments());
          return this.node('new_expression', parts);
        }
        if (t.text === 'class') fail('SyntaxError: class expressions are not supported');
        // Like tree-sitter's contextual keywords, other reserved words read as names here.
        return this.leaf('identifier', this.take());
      }
      case 'punct': {
        if (t.text === '(') {
          const open = this.take();
          const inner = this.sequence();
          return this.node('parenthesized_expression', [open, inner, this.expect(')')]);
        }
        if (t.text === '[') return this.jsArray();
        if (t.text === '{') return this.jsObject();
        return fail(`SyntaxError: unexpected '${t.text}' at ${t.start}`);
      }
      default:
        return fail(`SyntaxError: unexpected '${t.text}'`);
    }
  }

  private jsArray(): CNode {
    const parts: CPart[] = [this.take()];
    while (!this.is(']')) {
      if (this.is(',')) {
        parts.push(this.take());
        continue;
      }
      if (this.is('...')) {
        const dots = this.take();
        parts.push(this.node('spread_element', [dots, this.expression()]));
      } else {
        parts.push(this.expression());
      }
      if (!this.is(',')) break;
      parts.push(this.take());
    }
    parts.push(this.expect(']'));
    return this.node('array', parts);
  }

  private jsObject(): CNode {
    const parts: CPart[] = [this.take()];
    while (!this.is('}')) {
      if (this.is('...')) {
        const dots = this.take();
        parts.push(this.node('spread_element', [dots, this.expression()]));
      } else {
        const entry: CPart[] = [];
        while ((this.is('get') || this.is('set') || this.is('async') || this.is('*')) && !this.is(':', 1) && !this.is(',', 1) && !this.is('(', 1) && !this.is('}', 1)) {
          entry.push(this.take());
        }
        const key = this.peek();
        if (!key) fail('SyntaxError: unexpected end of input');
        if (this.is('[')) {
          const open = this.take();
          entry.push(this.node('computed_property_name', [open, this.expression(), this.expect(']')]));
        } else if (key.kind === 'ident' || key.kind === 'str' || key.kind === 'num') {
          entry.push(this.leaf('property_identifier', this.take()));
        } else {
          fail(`SyntaxError: unexpected '${key.text}' in object`);
        }
        if (this.is(':')) {
          entry.push(this.take(), this.expression());
          parts.push(this.node('pair', entry));
        } else if (this.is('(')) {
          entry.push(this.opaque('formal_parameters'));
          if (!this.is('{')) fail('SyntaxError: expected a method body');
          entry.push(this.opaque('statement_block'));
          parts.push(this.node('method_definition', entry));
        } else if (key.kind === 'ident' && entry.length === 1) {
          if (this.is('=')) entry.push(this.take(), this.expression());
          parts.push(this.node('shorthand_property_identifier', entry));
        } else {
          fail('SyntaxError: bad object member');
        }
      }
      if (!this.is(',')) break;
      parts.push(this.take());
    }
    parts.push(this.expect('}'));
    return this.node('object', parts);
  }
}

function decodeCLike(source: string, lang: CLang): BfclDecodeResult {
  const tokens = tokenize(source, lang);
  const statements = new CParser(tokens, lang).program();
  const text = (p: CPart): string => source.slice(p.start, p.end);
  if (lang === 'java') {
    const invocation = findFirst(statements, 'method_invocation');
    if (!invocation) return { ok: false, error: 'no method invocation found' };
    const { object, name, arguments: args } = invocation.fields;
    const functionName = object ? `${text(object)}.${text(name!)}` : text(name!);
    return { ok: true, calls: [{ name: functionName, arguments: collectArguments(args as CNode, text, (v) => javaValue(v, false, text), ['identifier', 'class_literal']) }] };
  }
  for (const statement of statements) {
    const expression = statement.parts[0] as CNode;
    if (expression.type !== 'call_expression') continue;
    const fn = expression.fields.function!;
    const args = expression.parts[1]!;
    const argumentsNode: CNode = isNode(args) ? args : { type: 'token', start: args.start, end: args.end, parts: [], fields: {} };
    const value = (v: CPart): string => {
      const raw = text(v);
      const quoted = raw.length >= 2 && ((raw.startsWith('"') && raw.endsWith('"')) || (raw.startsWith("'") && raw.endsWith("'")));
      return quoted ? raw.slice(1, -1) : raw;
    };
    return { ok: true, calls: [{ name: text(fn), arguments: collectArguments(argumentsNode, text, value, ['identifier', 'true']) }] };
  }
  return { ok: false, error: 'no top-level call expression found' };
}

function collectArguments(args: CNode, text: (p: CPart) => string, value: (v: CPart) => string, unnamedTypes: string[]): ValueObject {
  const out: ValueObject = {};
  const seen = new Set<string>();
  const put = (key: string, v: string): void => {
    if (seen.has(key)) fail('Error: Multiple arguments with the same name are not supported.');
    seen.add(key);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  };
  for (const child of args.parts) {
    if (!isNode(child)) continue;
    if (child.type === 'assignment_expression') put(text(child.fields.left!), value(child.fields.right!));
    else if (unnamedTypes.includes(child.type)) put(BFCL_NONE_KEY, text(child));
  }
  return out;
}

/** Pre-order search, as the official traversal visits nodes. */
function findFirst(roots: CNode[], type: string): CNode | undefined {
  const stack: CNode[] = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === type) return node;
    for (let k = node.parts.length - 1; k >= 0; k--) {
      const part = node.parts[k]!;
      if (isNode(part)) stack.push(part);
    }
  }
  return undefined;
}

const VERBATIM_JAVA = new Set(['identifier', 'class_literal', 'type_identifier', 'method_invocation']);

/** The official Java value text: literal quotes stripped at the top, names and calls verbatim, creations rebuilt, the rest token by token. */
function javaValue(part: CPart, nested: boolean, text: (p: CPart) => string): string {
  if (!isNode(part)) return part.text;
  if (part.type === 'string_literal' || part.type === 'character_literal') return nested ? text(part) : text(part).slice(1, -1);
  if (VERBATIM_JAVA.has(part.type)) return text(part);
  if (part.type === 'array_creation_expression') {
    const { type, value } = part.fields;
    if (!value) fail("AttributeError: 'NoneType' object has no attribute 'type'");
    return `new ${javaValue(type!, true, text)}[]${javaValue(value, true, text)}`;
  }
  if (part.type === 'object_creation_expression') {
    const { type, arguments: args } = part.fields;
    const items = (args as CNode).parts.filter((p) => !(!isNode(p) && (p.text === ',' || p.text === '(' || p.text === ')')));
    return `new ${javaValue(type!, true, text)}(${items.map((p) => javaValue(p, true, text)).join(', ')})`;
  }
  return part.parts.map((p) => javaValue(p, true, text)).join('');
}
