/**
 * Python source from a syntax tree, written the way Python 3.11's `ast.unparse` writes
 * it: normalised spacing, parentheses only where precedence needs them, constants by
 * their `repr` (so `0x10` becomes `16` and `"a"` becomes `'a'`). BFCL's decoder turns
 * some argument values into text this way, so the spelling matters.
 */
import type { PyArguments, PyComprehension, PyNode } from './python-ast.ts';
import { reprObj, type PyObj } from './python-object.ts';

enum Prec {
  NAMED_EXPR = 1,
  TUPLE,
  YIELD,
  TEST,
  OR,
  AND,
  NOT,
  CMP,
  EXPR,
  BXOR,
  BAND,
  SHIFT,
  ARITH,
  TERM,
  FACTOR,
  POWER,
  AWAIT,
  ATOM,
}

function next(p: Prec): Prec {
  return p === Prec.ATOM ? p : ((p + 1) as Prec);
}

const BINOP_PREC: Record<string, Prec> = {
  '+': Prec.ARITH,
  '-': Prec.ARITH,
  '*': Prec.TERM,
  '@': Prec.TERM,
  '/': Prec.TERM,
  '%': Prec.TERM,
  '//': Prec.TERM,
  '<<': Prec.SHIFT,
  '>>': Prec.SHIFT,
  '|': Prec.EXPR,
  '^': Prec.BXOR,
  '&': Prec.BAND,
  '**': Prec.POWER,
};

const INFSTR = '1e309';
const SINGLE_QUOTES = ["'", '"'];
const MULTI_QUOTES = ['"""', "'''"];
const ALL_QUOTES = [...SINGLE_QUOTES, ...MULTI_QUOTES];
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

class UnparseError {
  constructor(readonly message: string) {}
}

export type UnparseResult = { ok: true; text: string } | { ok: false; error: string };

/** `ast.unparse(node)`; fails where Python's raises (a backslash that cannot be kept out of an f-string field). */
export function unparsePython(node: PyNode): UnparseResult {
  try {
    return { ok: true, text: new Unparser(false).run(node, Prec.TEST) };
  } catch (e) {
    if (e instanceof UnparseError) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: 'expression too deep to unparse' };
    throw e;
  }
}

function isPrintable(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x7f) return cp >= 0x20;
  return !NOT_PRINTABLE.test(ch);
}

/** `ch.encode('unicode_escape')` for one character. */
function unicodeEscape(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (ch === '\\') return '\\\\';
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (cp < 0x20 || (cp >= 0x7f && cp < 0x100)) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x100) return ch;
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** ast's `_str_literal_helper`: the body to write and the quotes that can delimit it, minimising escapes. */
function strLiteralHelper(text: string, quoteTypes: string[], escapeSpecialWhitespace: boolean): [string, string[]] {
  let escaped = '';
  for (const ch of text) {
    if (!escapeSpecialWhitespace && (ch === '\n' || ch === '\t')) escaped += ch;
    else if (ch === '\\' || !isPrintable(ch)) escaped += unicodeEscape(ch);
    else escaped += ch;
  }
  let possible = quoteTypes;
  if (escaped.includes('\n')) possible = possible.filter((q) => MULTI_QUOTES.includes(q));
  possible = possible.filter((q) => !escaped.includes(q));
  if (possible.length === 0) {
    const repr = reprObj({ t: 'str', v: text });
    const quote = quoteTypes.find((q) => q.includes(repr[0]!)) ?? repr[0]!;
    return [repr.slice(1, -1), [quote]];
  }
  if (escaped !== '') {
    const last = escaped[escaped.length - 1]!;
    possible = [...possible.filter((q) => q[0] !== last), ...possible.filter((q) => q[0] === last)];
    if (possible[0]![0] === last) escaped = escaped.slice(0, -1) + '\\' + last;
  }
  return [escaped, possible];
}

class Unparser {
  private out: string[] = [];

  constructor(private readonly avoidBackslashes: boolean) {}

  run(node: PyNode, prec: Prec): string {
    this.visit(node, prec);
    return this.out.join('');
  }

  private write(...parts: string[]): void {
    for (const p of parts) this.out.push(p);
  }

  /** Runs `body` into a separate buffer and returns what it wrote. */
  private buffered(body: () => void): string {
    const saved = this.out;
    this.out = [];
    body();
    const text = this.out.join('');
    this.out = saved;
    return text;
  }

  private delimitIf(open: string, close: string, condition: boolean, body: () => void): void {
    if (condition) this.write(open);
    body();
    if (condition) this.write(close);
  }

  private interleave(separator: string, nodes: readonly PyNode[], prec: Prec = Prec.TEST): void {
    nodes.forEach((n, i) => {
      if (i > 0) this.write(separator);
      this.visit(n, prec);
    });
  }

  private itemsView(nodes: readonly PyNode[]): void {
    if (nodes.length === 1) {
      this.visit(nodes[0]!, Prec.TEST);
      this.write(',');
    } else {
      this.interleave(', ', nodes);
    }
  }

  private writeConstant(value: PyObj): void {
    if (value.t === 'float' || value.t === 'complex') {
      this.write(reprObj(value).replace(/inf/g, INFSTR).replace(/nan/g, `(${INFSTR}-${INFSTR})`));
    } else if (this.avoidBackslashes && value.t === 'str') {
      this.writeStrAvoidingBackslashes(value.v);
    } else {
      this.write(reprObj(value));
    }
  }

  private writeStrAvoidingBackslashes(text: string, quoteTypes: string[] = ALL_QUOTES): void {
    const [body, quotes] = strLiteralHelper(text, quoteTypes, false);
    const quote = quotes[0]!;
    this.write(quote, body, quote);
  }

  private visit(n: PyNode, p: Prec): void {
    switch (n.kind) {
      case 'Constant':
        if (n.value.t === 'ellipsis') {
          this.write('...');
        } else {
          if (n.u) this.write('u');
          this.writeConstant(n.value);
        }
        return;
      case 'Name':
        this.write(n.id);
        return;
      case 'Attribute':
        this.visit(n.value, Prec.ATOM);
        if (n.value.kind === 'Constant' && (n.value.value.t === 'int' || n.value.value.t === 'bool')) this.write(' ');
        this.write('.', n.attr);
        return;
      case 'Subscript':
        this.visit(n.value, Prec.ATOM);
        this.write('[');
        if (n.slice.kind === 'Tuple' && n.slice.elts.length > 0) this.itemsView(n.slice.elts);
        else this.visit(n.slice, Prec.TEST);
        this.write(']');
        return;
      case 'Slice':
        if (n.lower) this.visit(n.lower, Prec.TEST);
        this.write(':');
        if (n.upper) this.visit(n.upper, Prec.TEST);
        if (n.step) {
          this.write(':');
          this.visit(n.step, Prec.TEST);
        }
        return;
      case 'Call': {
        this.visit(n.func, Prec.ATOM);
        this.write('(');
        let comma = false;
        for (const a of n.args) {
          if (comma) this.write(', ');
          comma = true;
          this.visit(a, Prec.TEST);
        }
        for (const k of n.keywords) {
          if (comma) this.write(', ');
          comma = true;
          this.write(k.arg === null ? '**' : `${k.arg}=`);
          this.visit(k.value, Prec.TEST);
        }
        this.write(')');
        return;
      }
      case 'Starred':
        this.write('*');
        this.visit(n.value, Prec.EXPR);
        return;
      case 'List':
        this.write('[');
        this.interleave(', ', n.elts);
        this.write(']');
        return;
      case 'Tuple':
        this.delimitIf('(', ')', n.elts.length === 0 || p > Prec.TUPLE, () => this.itemsView(n.elts));
        return;
      case 'Set':
        if (n.elts.length === 0) {
          this.write('{*()}');
          return;
        }
        this.write('{');
        this.interleave(', ', n.elts);
        this.write('}');
        return;
      case 'Dict':
        this.write('{');
        n.values.forEach((v, i) => {
          if (i > 0) this.write(', ');
          const k = n.keys[i];
          if (!k) {
            this.write('**');
            this.visit(v, Prec.EXPR);
          } else {
            this.visit(k, Prec.TEST);
            this.write(': ');
            this.visit(v, Prec.TEST);
          }
        });
        this.write('}');
        return;
      case 'UnaryOp': {
        const opPrec = n.op === 'not' ? Prec.NOT : Prec.FACTOR;
        this.delimitIf('(', ')', p > opPrec, () => {
          this.write(n.op);
          if (opPrec !== Prec.FACTOR) this.write(' ');
          this.visit(n.operand, opPrec);
        });
        return;
      }
      case 'BinOp': {
        const opPrec = BINOP_PREC[n.op]!;
        const rightAssoc = n.op === '**';
        this.delimitIf('(', ')', p > opPrec, () => {
          this.visit(n.left, rightAssoc ? next(opPrec) : opPrec);
          this.write(` ${n.op} `);
          this.visit(n.right, rightAssoc ? opPrec : next(opPrec));
        });
        return;
      }
      case 'BoolOp': {
        const opPrec = n.op === 'and' ? Prec.AND : Prec.OR;
        this.delimitIf('(', ')', p > opPrec, () => {
          let level = opPrec;
          n.values.forEach((v, i) => {
            if (i > 0) this.write(` ${n.op} `);
            level = next(level);
            this.visit(v, level);
          });
        });
        return;
      }
      case 'Compare':
        this.delimitIf('(', ')', p > Prec.CMP, () => {
          this.visit(n.left, next(Prec.CMP));
          n.ops.forEach((op, i) => {
            this.write(` ${op} `);
            this.visit(n.comparators[i]!, next(Prec.CMP));
          });
        });
        return;
      case 'IfExp':
        this.delimitIf('(', ')', p > Prec.TEST, () => {
          this.visit(n.body, next(Prec.TEST));
          this.write(' if ');
          this.visit(n.test, next(Prec.TEST));
          this.write(' else ');
          this.visit(n.orelse, Prec.TEST);
        });
        return;
      case 'Lambda':
        this.delimitIf('(', ')', p > Prec.TEST, () => {
          this.write('lambda');
          const args = this.buffered(() => this.writeArguments(n.args));
          if (args !== '') this.write(' ', args);
          this.write(': ');
          this.visit(n.body, Prec.TEST);
        });
        return;
      case 'NamedExpr':
        this.delimitIf('(', ')', p > Prec.NAMED_EXPR, () => {
          this.visit(n.target, Prec.ATOM);
          this.write(' := ');
          this.visit(n.value, Prec.ATOM);
        });
        return;
      case 'Await':
        this.delimitIf('(', ')', p > Prec.AWAIT, () => {
          this.write('await');
          this.write(' ');
          this.visit(n.value, Prec.ATOM);
        });
        return;
      case 'Yield':
        this.delimitIf('(', ')', p > Prec.YIELD, () => {
          this.write('yield');
          if (n.value) {
            this.write(' ');
            this.visit(n.value, Prec.ATOM);
          }
        });
        return;
      case 'YieldFrom':
        this.delimitIf('(', ')', p > Prec.YIELD, () => {
          this.write('yield from ');
          this.visit(n.value, Prec.ATOM);
        });
        return;
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp': {
        const [open, close] = n.kind === 'ListComp' ? ['[', ']'] : n.kind === 'SetComp' ? ['{', '}'] : ['(', ')'];
        this.write(open);
        this.visit(n.elt, Prec.TEST);
        this.writeGenerators(n.generators);
        this.write(close);
        return;
      }
      case 'DictComp':
        this.write('{');
        this.visit(n.key, Prec.TEST);
        this.write(': ');
        this.visit(n.value, Prec.TEST);
        this.writeGenerators(n.generators);
        this.write('}');
        return;
      case 'JoinedStr':
        this.writeJoinedStr(n);
        return;
      case 'FormattedValue':
        this.writeFormattedValue(n);
        return;
    }
  }

  private writeGenerators(generators: readonly PyComprehension[]): void {
    for (const g of generators) {
      this.write(g.isAsync ? ' async for ' : ' for ');
      this.visit(g.target, Prec.TUPLE);
      this.write(' in ');
      this.visit(g.iter, next(Prec.TEST));
      for (const cond of g.ifs) {
        this.write(' if ');
        this.visit(cond, next(Prec.TEST));
      }
    }
  }

  private writeArguments(a: PyArguments): void {
    let first = true;
    const sep = (): void => {
      if (first) first = false;
      else this.write(', ');
    };
    const positional = [...a.posonly, ...a.args];
    positional.forEach((arg, index) => {
      sep();
      this.write(arg.name);
      if (arg.default) {
        this.write('=');
        this.visit(arg.default, Prec.TEST);
      }
      if (index + 1 === a.posonly.length) this.write(', /');
    });
    if (a.vararg !== null || a.kwonly.length > 0) {
      sep();
      this.write('*');
      if (a.vararg !== null) this.write(a.vararg);
    }
    for (const arg of a.kwonly) {
      this.write(', ', arg.name);
      if (arg.default) {
        this.write('=');
        this.visit(arg.default, Prec.TEST);
      }
    }
    if (a.kwarg !== null) {
      sep();
      this.write('**', a.kwarg);
    }
  }

  private writeFStringInner(node: PyNode): void {
    if (node.kind === 'JoinedStr') {
      for (const v of node.values) this.writeFStringInner(v);
    } else if (node.kind === 'Constant' && node.value.t === 'str') {
      this.write(node.value.v.replace(/\{/g, '{{').replace(/\}/g, '}}'));
    } else if (node.kind === 'FormattedValue') {
      this.writeFormattedValue(node);
    } else {
      throw new UnparseError('Unexpected node inside JoinedStr');
    }
  }

  private writeFormattedValue(node: Extract<PyNode, { kind: 'FormattedValue' }>): void {
    this.write('{');
    const expr = new Unparser(true).run(node.value, next(Prec.TEST));
    if (expr.includes('\\')) throw new UnparseError('Unable to avoid backslash in f-string expression part');
    if (expr.startsWith('{')) this.write(' ');
    this.write(expr);
    if (node.conversion !== -1) this.write('!', String.fromCharCode(node.conversion));
    if (node.formatSpec) {
      this.write(':');
      this.writeFStringInner(node.formatSpec);
    }
    this.write('}');
  }

  private writeJoinedStr(node: Extract<PyNode, { kind: 'JoinedStr' }>): void {
    this.write('f');
    if (this.avoidBackslashes) {
      const inner = this.buffered(() => this.writeFStringInner(node));
      this.writeStrAvoidingBackslashes(inner);
      return;
    }
    const parts = node.values.map((v) => ({ text: this.buffered(() => this.writeFStringInner(v)), constant: v.kind === 'Constant' }));
    let quoteTypes = ALL_QUOTES;
    let body = '';
    for (const part of parts) {
      const [escaped, quotes] = strLiteralHelper(part.text, quoteTypes, part.constant);
      body += escaped;
      quoteTypes = quotes;
    }
    const quote = quoteTypes[0]!;
    this.write(quote, body, quote);
  }
}
