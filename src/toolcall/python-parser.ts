/**
 * A recursive-descent parser for Python 3.11 expressions, following the PEG grammar's
 * expression rules, producing `PyNode` trees like `ast.parse(text, mode='eval')`.
 *
 * Hostile input is expected: nothing here throws to the caller. Chains that grammar
 * writes recursively (unary operators, `not`, `**`, `lambda`, conditional expressions)
 * are parsed with loops; brackets nest at most 200 deep (as in CPython); trees deeper
 * than CPython accepts (about 3,000 levels) are refused.
 */
import type { PyArg, PyArguments, PyBinaryOperator, PyComprehension, PyCompareOperator, PyKeyword, PyNode, PyUnaryOperator } from './python-ast.ts';
import { FStringError, joinParts, parseFStringBody, type FStringPart } from './python-fstring.ts';
import { PyLexer, type PyToken } from './python-lexer.ts';
import { PY_ELLIPSIS, PY_FALSE, PY_NONE, PY_TRUE, type PyObj } from './python-object.ts';
import { decodeStringBody } from './python-strings.ts';

export interface PySyntaxError {
  message: string;
  /** Offset in the parsed text. */
  position: number;
}

export type PyParseResult = { ok: true; node: PyNode; /** Offset just after the expression. */ end: number } | { ok: false; error: PySyntaxError };

/** Deepest tree CPython 3.11 builds (its AST construction recursion limit, measured). */
export const MAX_AST_DEPTH = 2987;
const MAX_NESTING = 3000;

class ParseFailure {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

const BINARY_LEVELS: readonly (readonly PyBinaryOperator[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@']];
const COMPARE_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Parses a whole text as `ast.parse(text, mode='eval')` does: one expression (a bare
 * tuple allowed), nothing but blank lines and comments after it, no indentation before it.
 */
export function parsePythonExpression(text: string): PyParseResult {
  if (text.includes('\0')) return { ok: false, error: { message: 'source code string cannot contain null bytes', position: text.indexOf('\0') } };
  const surrogate = findLoneSurrogate(text);
  if (surrogate !== -1) return { ok: false, error: { message: "'utf-8' codec can't encode character: surrogates not allowed", position: surrogate } };
  return run(text, 0, 'eval');
}

export interface PyPrefixOptions {
  /**
   * `expression` (default): one expression, no bare tuple. `primary`: only an atom and
   * its calls, subscripts and attributes (`[f(a=1)]`, `mod.f(a=1)`), so that prose after
   * it (`[f()] and then`) is not read as an operator.
   */
  unit?: 'expression' | 'primary';
}

/**
 * Parses one expression starting at `offset` and stops where it ends; the text after it
 * is not read. For finding a call list inside prose.
 */
export function parsePythonExpressionPrefix(text: string, offset = 0, options: PyPrefixOptions = {}): PyParseResult {
  return run(text, offset, options.unit === 'primary' ? 'primary' : 'prefix');
}

function run(text: string, offset: number, mode: 'eval' | 'prefix' | 'primary'): PyParseResult {
  try {
    const parser = new Parser(text, offset, mode === 'eval' ? 'eval' : 'prefix');
    const node = mode === 'eval' ? parser.parseEvalInput() : mode === 'primary' ? parser.parsePrimary() : parser.parsePrefix();
    return { ok: true, node, end: parser.lastEnd };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: { message: e.message, position: e.position } };
    if (e instanceof RangeError) return { ok: false, error: { message: 'expression too complex', position: offset } };
    throw e;
  }
}

function findLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

function depthOf(...nodes: (PyNode | null | undefined)[]): number {
  let max = 0;
  for (const n of nodes) if (n && n.depth > max) max = n.depth;
  return max + 1;
}

function maxDepth(nodes: readonly (PyNode | null)[], extra = 0): number {
  let max = 0;
  for (const n of nodes) if (n && n.depth + extra > max) max = n.depth + extra;
  return max;
}

class Parser {
  private readonly lexer: PyLexer;
  private readonly buffer: PyToken[] = [];
  lastEnd: number;
  private nesting = 0;

  constructor(
    private readonly source: string,
    offset: number,
    private readonly mode: 'eval' | 'prefix',
  ) {
    this.lexer = new PyLexer(source, offset, { mode });
    this.lastEnd = offset;
  }

  // ---- tokens ----

  private peek(k = 0): PyToken {
    while (this.buffer.length <= k) this.buffer.push(this.lexer.next());
    return this.buffer[k]!;
  }

  private advance(): PyToken {
    const t = this.peek();
    this.buffer.shift();
    this.lastEnd = t.end;
    return t;
  }

  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }

  private isKeyword(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'keyword' && t.text === text;
  }

  private fail(message: string, token: PyToken = this.peek()): never {
    if (token.kind === 'error') throw new ParseFailure(token.message ?? 'invalid syntax', token.start);
    throw new ParseFailure(message, token.start);
  }

  private expectOp(text: string, message = `expected '${text}'`): PyToken {
    if (!this.isOp(text)) this.fail(message);
    return this.advance();
  }

  private node<T extends PyNode>(n: T): T {
    if (n.depth > MAX_AST_DEPTH) throw new ParseFailure('maximum recursion depth exceeded during ast construction', n.start);
    return n;
  }

  // ---- entry points ----

  parseEvalInput(): PyNode {
    const node = this.expressions();
    while (this.peek().kind === 'newline') this.advance();
    const t = this.peek();
    if (t.kind !== 'end') this.fail('invalid syntax', t);
    return node;
  }

  parsePrefix(): PyNode {
    return this.expression();
  }

  parsePrimary(): PyNode {
    return this.primary();
  }

  // ---- expressions ----

  private canStartExpression(t: PyToken): boolean {
    switch (t.kind) {
      case 'name':
      case 'number':
      case 'string':
        return true;
      case 'keyword':
        return ['True', 'False', 'None', 'not', 'lambda', 'await'].includes(t.text);
      case 'op':
        return ['(', '[', '{', '-', '+', '~', '...'].includes(t.text);
      default:
        return false;
    }
  }

  /** `expressions`: an expression, or a bare tuple of them. */
  private expressions(): PyNode {
    const first = this.expression();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.isOp(',')) {
      this.advance();
      if (!this.canStartExpression(this.peek())) break;
      elts.push(this.expression());
    }
    return this.node({ kind: 'Tuple', elts, start: first.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
  }

  /** `star_expressions` (after `yield`): like `expressions`, with `*x` items. */
  private starExpressions(): PyNode {
    const item = (): PyNode => (this.isOp('*') ? this.starred(() => this.bitwiseOr()) : this.expression());
    const first = item();
    if (!this.isOp(',')) {
      if (first.kind === 'Starred') this.fail('cannot use starred expression here');
      return first;
    }
    const elts = [first];
    while (this.isOp(',')) {
      this.advance();
      const t = this.peek();
      if (!this.canStartExpression(t) && !(t.kind === 'op' && t.text === '*')) break;
      elts.push(item());
    }
    return this.node({ kind: 'Tuple', elts, start: first.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
  }

  private starred(operand: () => PyNode): PyNode {
    const star = this.advance();
    const value = operand();
    return this.node({ kind: 'Starred', value, start: star.start, end: value.end, depth: value.depth + 1 });
  }

  /** `expression`: conditional expressions and lambdas, parsed as a loop over their right-nested chain. */
  private expression(): PyNode {
    if (++this.nesting > MAX_NESTING) throw new ParseFailure('too many nested expressions', this.peek().start);
    type Pending = { kind: 'lambda'; start: number; args: PyArguments; argsDepth: number } | { kind: 'if'; body: PyNode; test: PyNode };
    const pending: Pending[] = [];
    let node: PyNode;
    for (;;) {
      if (this.isKeyword('lambda')) {
        const start = this.advance().start;
        const { args, depth } = this.lambdaParameters();
        this.expectOp(':', "expected ':'");
        pending.push({ kind: 'lambda', start, args, argsDepth: depth });
        continue;
      }
      const body = this.disjunction();
      if (this.isKeyword('if')) {
        this.advance();
        const test = this.disjunction();
        if (!this.isKeyword('else')) this.fail("expected 'else' after 'if' expression");
        this.advance();
        pending.push({ kind: 'if', body, test });
        continue;
      }
      node = body;
      break;
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      node =
        p.kind === 'lambda'
          ? this.node({ kind: 'Lambda', args: p.args, body: node, start: p.start, end: node.end, depth: Math.max(node.depth, p.argsDepth) + 1 })
          : this.node({ kind: 'IfExp', test: p.test, body: p.body, orelse: node, start: p.body.start, end: node.end, depth: depthOf(p.test, p.body, node) });
    }
    this.nesting--;
    return node;
  }

  /** Whether an unparenthesised `name :=` starts here. */
  private startsWalrus(): boolean {
    return this.peek().kind === 'name' && this.isOp(':=', 1);
  }

  /** `named_expression`: `name := value` or an expression. */
  private namedExpression(): PyNode {
    const t = this.peek();
    if (t.kind === 'name' && this.isOp(':=', 1)) {
      this.advance();
      this.advance();
      const target: PyNode = { kind: 'Name', id: t.text, start: t.start, end: t.end, depth: 1 };
      const value = this.expression();
      return this.node({ kind: 'NamedExpr', target, value, start: t.start, end: value.end, depth: depthOf(target, value) });
    }
    const e = this.expression();
    if (this.isOp(':=')) this.fail(`cannot use assignment expressions with ${describe(e)}`);
    return e;
  }

  private starNamedExpression(): PyNode {
    return this.isOp('*') ? this.starred(() => this.bitwiseOr()) : this.namedExpression();
  }

  private disjunction(): PyNode {
    return this.boolOp('or', () => this.conjunction());
  }

  private conjunction(): PyNode {
    return this.boolOp('and', () => this.inversion());
  }

  private boolOp(op: 'and' | 'or', operand: () => PyNode): PyNode {
    const first = operand();
    if (!this.isKeyword(op)) return first;
    const values = [first];
    while (this.isKeyword(op)) {
      this.advance();
      values.push(operand());
    }
    return this.node({ kind: 'BoolOp', op, values, start: first.start, end: this.lastEnd, depth: 1 + maxDepth(values) });
  }

  private inversion(): PyNode {
    const nots: number[] = [];
    while (this.isKeyword('not')) nots.push(this.advance().start);
    let node = this.comparison();
    for (let i = nots.length - 1; i >= 0; i--) {
      node = this.node({ kind: 'UnaryOp', op: 'not', operand: node, start: nots[i]!, end: node.end, depth: node.depth + 1 });
    }
    return node;
  }

  private compareOperator(): PyCompareOperator | undefined {
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.text)) {
      this.advance();
      return t.text as PyCompareOperator;
    }
    if (t.kind !== 'keyword') return undefined;
    if (t.text === 'in') {
      this.advance();
      return 'in';
    }
    if (t.text === 'not' && this.isKeyword('in', 1)) {
      this.advance();
      this.advance();
      return 'not in';
    }
    if (t.text === 'is') {
      this.advance();
      if (this.isKeyword('not')) {
        this.advance();
        return 'is not';
      }
      return 'is';
    }
    return undefined;
  }

  private comparison(): PyNode {
    const left = this.bitwiseOr();
    const ops: PyCompareOperator[] = [];
    const comparators: PyNode[] = [];
    for (;;) {
      const op = this.compareOperator();
      if (op === undefined) break;
      ops.push(op);
      comparators.push(this.bitwiseOr());
    }
    if (ops.length === 0) return left;
    return this.node({ kind: 'Compare', left, ops, comparators, start: left.start, end: this.lastEnd, depth: 1 + Math.max(left.depth, maxDepth(comparators)) });
  }

  private bitwiseOr(): PyNode {
    return this.binary(0);
  }

  private binary(level: number): PyNode {
    if (level === BINARY_LEVELS.length) return this.factor();
    const ops = BINARY_LEVELS[level]!;
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.text as PyBinaryOperator)) return left;
      this.advance();
      const right = this.binary(level + 1);
      left = this.node({ kind: 'BinOp', op: t.text as PyBinaryOperator, left, right, start: left.start, end: right.end, depth: depthOf(left, right) });
    }
  }

  /** `factor` and `power`: prefix `- + ~` and right-associative `**`, as a loop. */
  private factor(): PyNode {
    const segments: { ops: PyToken[]; base: PyNode }[] = [];
    for (;;) {
      const ops: PyToken[] = [];
      for (;;) {
        const t = this.peek();
        if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) ops.push(this.advance());
        else break;
      }
      const base = this.awaitPrimary();
      segments.push({ ops, base });
      if (!this.isOp('**')) break;
      this.advance();
    }
    let acc: PyNode | undefined;
    for (let i = segments.length - 1; i >= 0; i--) {
      const { ops, base } = segments[i]!;
      let node: PyNode = acc === undefined ? base : this.node({ kind: 'BinOp', op: '**', left: base, right: acc, start: base.start, end: acc.end, depth: depthOf(base, acc) });
      for (let k = ops.length - 1; k >= 0; k--) {
        node = this.node({ kind: 'UnaryOp', op: ops[k]!.text as PyUnaryOperator, operand: node, start: ops[k]!.start, end: node.end, depth: node.depth + 1 });
      }
      acc = node;
    }
    return acc!;
  }

  private awaitPrimary(): PyNode {
    if (this.isKeyword('await')) {
      const start = this.advance().start;
      const value = this.primary();
      return this.node({ kind: 'Await', value, start, end: value.end, depth: value.depth + 1 });
    }
    return this.primary();
  }

  private primary(): PyNode {
    let node = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.advance();
        const name = this.peek();
        if (name.kind !== 'name') this.fail('invalid syntax', name);
        this.advance();
        node = this.node({ kind: 'Attribute', value: node, attr: name.text, start: node.start, end: name.end, depth: node.depth + 1 });
      } else if (this.isOp('(')) {
        this.advance();
        node = this.callArguments(node);
      } else if (this.isOp('[')) {
        this.advance();
        const slice = this.slices();
        node = this.node({ kind: 'Subscript', value: node, slice, start: node.start, end: this.lastEnd, depth: depthOf(node, slice) });
      } else {
        return node;
      }
    }
  }

  private callArguments(func: PyNode): PyNode {
    const args: PyNode[] = [];
    const keywords: PyKeyword[] = [];
    let sawKeyword = false;
    let sawDoubleStar = false;
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t.kind === 'op' && t.text === '*') {
        if (sawDoubleStar) this.fail('iterable argument unpacking follows keyword argument unpacking');
        args.push(this.starred(() => this.expression()));
      } else if (t.kind === 'op' && t.text === '**') {
        this.advance();
        keywords.push({ arg: null, value: this.expression() });
        sawDoubleStar = true;
      } else if (t.kind === 'name' && this.isOp('=', 1)) {
        this.advance();
        this.advance();
        keywords.push({ arg: t.text, value: this.expression() });
        sawKeyword = true;
      } else {
        let e = this.namedExpression();
        if (this.isOp('=')) {
          this.fail(e.kind === 'Constant' && (e.value.t === 'bool' || e.value.t === 'none') ? `cannot assign to ${e.value.t === 'none' ? 'None' : e.value.t === 'bool' && e.value.v ? 'True' : 'False'}` : 'expression cannot contain assignment, perhaps you meant "=="?');
        }
        if (this.isKeyword('for') || this.isKeyword('async')) {
          if (args.length > 0 || keywords.length > 0) this.fail('Generator expression must be parenthesized');
          const generators = this.comprehensions();
          e = this.node({ kind: 'GeneratorExp', elt: e, generators, start: e.start, end: this.lastEnd, depth: 1 + Math.max(e.depth, comprehensionsDepth(generators)) });
          if (!this.isOp(')')) this.fail('Generator expression must be parenthesized');
          args.push(e);
          break;
        }
        if (sawDoubleStar) this.fail('positional argument follows keyword argument unpacking');
        if (sawKeyword) this.fail('positional argument follows keyword argument');
        args.push(e);
      }
      if (!this.isOp(',')) break;
      this.advance();
    }
    this.expectOp(')', "expected ')'");
    const depth = 1 + Math.max(func.depth, maxDepth(args), maxDepth(keywords.map((k) => k.value), 1));
    return this.node({ kind: 'Call', func, args, keywords, start: func.start, end: this.lastEnd, depth });
  }

  private slices(): PyNode {
    const start = this.lastEnd - 1;
    const items: PyNode[] = [];
    let sawComma = false;
    for (;;) {
      items.push(this.sliceItem());
      if (!this.isOp(',')) break;
      this.advance();
      sawComma = true;
      if (this.isOp(']')) break;
    }
    this.expectOp(']', "expected ']'");
    if (items.length === 1 && !sawComma && items[0]!.kind !== 'Starred') return items[0]!;
    return this.node({ kind: 'Tuple', elts: items, start, end: this.lastEnd, depth: 1 + maxDepth(items) });
  }

  private sliceItem(): PyNode {
    if (this.isOp('*')) return this.starred(() => this.expression());
    const start = this.peek().start;
    let lower: PyNode | null = null;
    if (!this.isOp(':')) {
      const walrus = this.startsWalrus();
      lower = this.namedExpression();
      if (!this.isOp(':')) return lower;
      if (walrus) this.fail('invalid syntax');
    }
    this.advance();
    const endsPart = (): boolean => this.isOp(':') || this.isOp(']') || this.isOp(',');
    const upper = endsPart() ? null : this.expression();
    let step: PyNode | null = null;
    if (this.isOp(':')) {
      this.advance();
      step = this.isOp(']') || this.isOp(',') ? null : this.expression();
    }
    return this.node({ kind: 'Slice', lower, upper, step, start, end: this.lastEnd, depth: depthOf(lower, upper, step) });
  }

  private atom(): PyNode {
    const t = this.peek();
    switch (t.kind) {
      case 'name':
        this.advance();
        return { kind: 'Name', id: t.text, start: t.start, end: t.end, depth: 1 };
      case 'number': {
        this.advance();
        const n = t.number!;
        const value: PyObj = n.type === 'int' ? { t: 'int', v: n.value } : n.type === 'float' ? { t: 'float', v: n.value } : { t: 'complex', re: 0, im: n.value };
        return { kind: 'Constant', value, u: false, start: t.start, end: t.end, depth: 1 };
      }
      case 'string':
        return this.strings();
      case 'keyword': {
        const value = t.text === 'True' ? PY_TRUE : t.text === 'False' ? PY_FALSE : t.text === 'None' ? PY_NONE : undefined;
        if (value === undefined) this.fail('invalid syntax', t);
        this.advance();
        return { kind: 'Constant', value, u: false, start: t.start, end: t.end, depth: 1 };
      }
      case 'op':
        if (t.text === '...') {
          this.advance();
          return { kind: 'Constant', value: PY_ELLIPSIS, u: false, start: t.start, end: t.end, depth: 1 };
        }
        if (t.text === '(') return this.parenthesized();
        if (t.text === '[') return this.listDisplay();
        if (t.text === '{') return this.braceDisplay();
        return this.fail('invalid syntax', t);
      default:
        return this.fail(t.kind === 'end' || t.kind === 'newline' ? 'unexpected end of input' : 'invalid syntax', t);
    }
  }

  private parenthesized(): PyNode {
    const open = this.advance();
    if (this.isOp(')')) {
      const close = this.advance();
      return { kind: 'Tuple', elts: [], start: open.start, end: close.end, depth: 1 };
    }
    if (this.isKeyword('yield')) {
      const y = this.yieldExpression();
      this.expectOp(')', "expected ')'");
      return y;
    }
    const first = this.starNamedExpression();
    if (this.isKeyword('for') || this.isKeyword('async')) {
      if (first.kind === 'Starred') this.fail('iterable unpacking cannot be used in comprehension');
      const generators = this.comprehensions();
      this.expectOp(')', "expected ')'");
      return this.node({ kind: 'GeneratorExp', elt: first, generators, start: open.start, end: this.lastEnd, depth: 1 + Math.max(first.depth, comprehensionsDepth(generators)) });
    }
    if (this.isOp(',')) {
      const elts = [first];
      while (this.isOp(',')) {
        this.advance();
        if (this.isOp(')')) break;
        elts.push(this.starNamedExpression());
      }
      this.expectOp(')', "expected ')'");
      return this.node({ kind: 'Tuple', elts, start: open.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
    }
    this.expectOp(')', "expected ')'");
    if (first.kind === 'Starred') throw new ParseFailure('cannot use starred expression here', first.start);
    return first;
  }

  private yieldExpression(): PyNode {
    const start = this.advance().start;
    if (this.isKeyword('from')) {
      this.advance();
      const value = this.expression();
      return this.node({ kind: 'YieldFrom', value, start, end: value.end, depth: value.depth + 1 });
    }
    const t = this.peek();
    if (!this.canStartExpression(t) && !(t.kind === 'op' && t.text === '*')) return { kind: 'Yield', value: null, start, end: this.lastEnd, depth: 1 };
    const value = this.starExpressions();
    return this.node({ kind: 'Yield', value, start, end: value.end, depth: value.depth + 1 });
  }

  private listDisplay(): PyNode {
    const open = this.advance();
    if (this.isOp(']')) {
      const close = this.advance();
      return { kind: 'List', elts: [], start: open.start, end: close.end, depth: 1 };
    }
    const first = this.starNamedExpression();
    if (this.isKeyword('for') || this.isKeyword('async')) {
      if (first.kind === 'Starred') this.fail('iterable unpacking cannot be used in comprehension');
      const generators = this.comprehensions();
      this.expectOp(']', "expected ']'");
      return this.node({ kind: 'ListComp', elt: first, generators, start: open.start, end: this.lastEnd, depth: 1 + Math.max(first.depth, comprehensionsDepth(generators)) });
    }
    const elts = [first];
    while (this.isOp(',')) {
      this.advance();
      if (this.isOp(']')) break;
      elts.push(this.starNamedExpression());
    }
    this.expectOp(']', "expected ']'");
    return this.node({ kind: 'List', elts, start: open.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
  }

  private braceDisplay(): PyNode {
    const open = this.advance();
    if (this.isOp('}')) {
      const close = this.advance();
      return { kind: 'Dict', keys: [], values: [], start: open.start, end: close.end, depth: 1 };
    }
    if (this.isOp('**')) return this.dictRest(open, [], []);
    const walrus = this.startsWalrus();
    const first = this.starNamedExpression();
    if (this.isOp(':') && first.kind !== 'Starred' && !walrus) {
      this.advance();
      const value = this.expression();
      if (this.isKeyword('for') || this.isKeyword('async')) {
        const generators = this.comprehensions();
        this.expectOp('}', "expected '}'");
        return this.node({ kind: 'DictComp', key: first, value, generators, start: open.start, end: this.lastEnd, depth: 1 + Math.max(first.depth, value.depth, comprehensionsDepth(generators)) });
      }
      return this.dictRest(open, [first], [value]);
    }
    if (this.isKeyword('for') || this.isKeyword('async')) {
      if (first.kind === 'Starred') this.fail('iterable unpacking cannot be used in comprehension');
      const generators = this.comprehensions();
      this.expectOp('}', "expected '}'");
      return this.node({ kind: 'SetComp', elt: first, generators, start: open.start, end: this.lastEnd, depth: 1 + Math.max(first.depth, comprehensionsDepth(generators)) });
    }
    const elts = [first];
    while (this.isOp(',')) {
      this.advance();
      if (this.isOp('}')) break;
      elts.push(this.starNamedExpression());
    }
    this.expectOp('}', "expected '}'");
    return this.node({ kind: 'Set', elts, start: open.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
  }

  /** The rest of a dict display; `keys`/`values` hold the entries read so far, positioned before a separator or `**`. */
  private dictRest(open: PyToken, keys: (PyNode | null)[], values: PyNode[]): PyNode {
    let first = keys.length === 0;
    for (;;) {
      if (!first) {
        if (!this.isOp(',')) break;
        this.advance();
        if (this.isOp('}')) break;
      }
      first = false;
      if (this.isOp('**')) {
        this.advance();
        keys.push(null);
        values.push(this.bitwiseOr());
      } else {
        keys.push(this.expression());
        this.expectOp(':', "expected ':'");
        values.push(this.expression());
      }
    }
    this.expectOp('}', "expected '}'");
    return this.node({ kind: 'Dict', keys, values, start: open.start, end: this.lastEnd, depth: 1 + Math.max(maxDepth(keys), maxDepth(values)) });
  }

  private comprehensions(): PyComprehension[] {
    const generators: PyComprehension[] = [];
    for (;;) {
      let isAsync = false;
      if (this.isKeyword('async') && this.isKeyword('for', 1)) {
        this.advance();
        isAsync = true;
      } else if (!this.isKeyword('for')) {
        break;
      }
      this.advance();
      const target = this.starTargets();
      if (!this.isKeyword('in')) this.fail("expected 'in'");
      this.advance();
      const iter = this.disjunction();
      const ifs: PyNode[] = [];
      while (this.isKeyword('if')) {
        this.advance();
        ifs.push(this.disjunction());
      }
      generators.push({ target, iter, ifs, isAsync });
    }
    return generators;
  }

  private starTargets(): PyNode {
    const item = (): PyNode => {
      const n = this.isOp('*') ? this.starred(() => this.bitwiseOr()) : this.bitwiseOr();
      checkTarget(n);
      return n;
    };
    const first = item();
    if (!this.isOp(',')) {
      if (first.kind === 'Starred') throw new ParseFailure('starred assignment target must be in a list or tuple', first.start);
      return first;
    }
    const elts = [first];
    while (this.isOp(',')) {
      this.advance();
      if (this.isKeyword('in')) break;
      elts.push(item());
    }
    return this.node({ kind: 'Tuple', elts, start: first.start, end: this.lastEnd, depth: 1 + maxDepth(elts) });
  }

  private lambdaParameters(): { args: PyArguments; depth: number } {
    const args: PyArguments = { posonly: [], args: [], vararg: null, kwonly: [], kwarg: null };
    let sawDefault = false;
    let sawSlash = false;
    let sawStar = false;
    let bareStar = false;
    let sawKwarg = false;
    const defaults: PyNode[] = [];
    while (!this.isOp(':')) {
      if (sawKwarg) this.fail('arguments cannot follow var-keyword argument');
      const t = this.peek();
      if (t.kind === 'op' && t.text === '/') {
        if (sawSlash || sawStar || args.args.length === 0) this.fail('invalid syntax');
        this.advance();
        args.posonly = args.args;
        args.args = [];
        sawSlash = true;
      } else if (t.kind === 'op' && t.text === '*') {
        if (sawStar) this.fail('* argument may appear only once');
        this.advance();
        sawStar = true;
        const name = this.peek();
        if (name.kind === 'name') {
          this.advance();
          args.vararg = name.text;
        } else {
          bareStar = true;
        }
      } else if (t.kind === 'op' && t.text === '**') {
        this.advance();
        const name = this.peek();
        if (name.kind !== 'name') this.fail('invalid syntax', name);
        this.advance();
        args.kwarg = name.text;
        sawKwarg = true;
      } else if (t.kind === 'name') {
        this.advance();
        let value: PyNode | null = null;
        if (this.isOp('=')) {
          this.advance();
          value = this.expression();
          defaults.push(value);
        }
        const arg: PyArg = { name: t.text, default: value };
        if (sawStar) {
          args.kwonly.push(arg);
        } else {
          if (value) sawDefault = true;
          else if (sawDefault) this.fail('non-default argument follows default argument', t);
          args.args.push(arg);
        }
      } else {
        this.fail('invalid syntax', t);
      }
      if (!this.isOp(',')) break;
      this.advance();
    }
    if (bareStar && args.kwonly.length === 0) this.fail('named arguments must follow bare *');
    // ast puts defaults under an `arguments` node: two levels below the lambda.
    return { args, depth: defaults.length > 0 ? maxDepth(defaults) + 1 : 1 };
  }

  // ---- strings ----

  private strings(): PyNode {
    const tokens: PyToken[] = [];
    while (this.peek().kind === 'string') tokens.push(this.advance());
    const first = tokens[0]!;
    const isBytes = first.string!.prefix.includes('b');
    // CPython's `kind='u'` looks at the first token's raw text: a lower-case u only.
    const u = first.text.startsWith('u');
    const parts: FStringPart[] = [];
    let fmode = false;
    for (const t of tokens) {
      const s = t.string!;
      if (s.prefix.includes('b') !== isBytes) throw new ParseFailure('cannot mix bytes and nonbytes literals', t.start);
      const raw = s.prefix.includes('r');
      if (s.prefix.includes('f')) {
        fmode = true;
        try {
          parts.push(...parseFStringBody(s.body, raw, (text, offset) => this.fieldExpression(text, s.bodyStart + offset), u));
        } catch (e) {
          if (e instanceof FStringError) throw new ParseFailure(e.message, s.bodyStart + e.offset);
          throw e;
        }
        continue;
      }
      const decoded = decodeStringBody(s.body, { raw, bytes: isBytes });
      if (!decoded.ok) throw new ParseFailure(decoded.message, s.bodyStart + decoded.offset);
      parts.push({ literal: decoded.value });
    }
    const start = first.start;
    const end = tokens[tokens.length - 1]!.end;
    if (fmode) return this.node(joinParts(parts, start, end, u));
    let text = '';
    for (const p of parts) if ('literal' in p) text += p.literal;
    const value: PyObj = isBytes ? { t: 'bytes', v: text } : { t: 'str', v: text };
    return { kind: 'Constant', value, u, start, end, depth: 1 };
  }

  /** An f-string field: CPython 3.11 parses it as `(text)` on its own. */
  private fieldExpression(text: string, offset: number): PyNode {
    const result = parsePythonExpression(`(${text})`);
    if (!result.ok) throw new ParseFailure(result.error.message, offset + Math.max(0, result.error.position - 1));
    return shift(result.node, offset - 1);
  }
}

function comprehensionsDepth(generators: PyComprehension[]): number {
  let max = 0;
  for (const g of generators) max = Math.max(max, g.target.depth, g.iter.depth, maxDepth(g.ifs));
  return max + 1;
}

function checkTarget(n: PyNode): void {
  switch (n.kind) {
    case 'Name':
    case 'Attribute':
    case 'Subscript':
      return;
    case 'Starred':
      checkTarget(n.value);
      return;
    case 'Tuple':
    case 'List':
      for (const e of n.elts) checkTarget(e);
      return;
    default:
      throw new ParseFailure(`cannot assign to ${describe(n)}`, n.start);
  }
}

function describe(n: PyNode): string {
  switch (n.kind) {
    case 'Constant':
      return n.value.t === 'none' ? 'None' : n.value.t === 'bool' ? (n.value.v ? 'True' : 'False') : 'literal';
    case 'Attribute':
      return 'attribute';
    case 'Subscript':
      return 'subscript';
    case 'Call':
      return 'function call';
    case 'Tuple':
      return 'tuple';
    case 'List':
      return 'list';
    case 'Lambda':
      return 'lambda';
    default:
      return 'expression';
  }
}

/** Moves a subtree's offsets by `delta` (f-string fields are parsed apart from their string). */
function shift(node: PyNode, delta: number): PyNode {
  if (delta === 0) return node;
  const stack: PyNode[] = [node];
  const seen = new Set<PyNode>();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    n.start += delta;
    n.end += delta;
    for (const child of childrenOf(n)) stack.push(child);
  }
  return node;
}

/** The direct child nodes of a node, in source order. */
export function childrenOf(n: PyNode): PyNode[] {
  switch (n.kind) {
    case 'Constant':
    case 'Name':
      return [];
    case 'Attribute':
    case 'Starred':
    case 'Await':
    case 'YieldFrom':
      return [n.value];
    case 'Yield':
      return n.value ? [n.value] : [];
    case 'Subscript':
      return [n.value, n.slice];
    case 'Slice':
      return [n.lower, n.upper, n.step].filter((x): x is PyNode => x !== null);
    case 'Call':
      return [n.func, ...n.args, ...n.keywords.map((k) => k.value)];
    case 'List':
    case 'Tuple':
    case 'Set':
      return n.elts;
    case 'Dict':
      return n.values.flatMap((v, i) => (n.keys[i] ? [n.keys[i]!, v] : [v]));
    case 'UnaryOp':
      return [n.operand];
    case 'BinOp':
      return [n.left, n.right];
    case 'BoolOp':
      return n.values;
    case 'Compare':
      return [n.left, ...n.comparators];
    case 'IfExp':
      return [n.body, n.test, n.orelse];
    case 'Lambda': {
      const defaults = [...n.args.posonly, ...n.args.args, ...n.args.kwonly].map((a) => a.default).filter((x): x is PyNode => x !== null);
      return [...defaults, n.body];
    }
    case 'NamedExpr':
      return [n.target, n.value];
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return [n.elt, ...n.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'DictComp':
      return [n.key, n.value, ...n.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'JoinedStr':
      return n.values;
    case 'FormattedValue':
      return n.formatSpec ? [n.value, n.formatSpec] : [n.value];
  }
}
