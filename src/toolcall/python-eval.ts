/**
 * Evaluating side-effect-free Python expressions with Python's semantics: exact integer
 * arithmetic, float rules (`//`, `%`, `**`, division by zero), sequence concatenation
 * and repetition, comparisons, conditionals, subscripts, and optionally a few pure
 * builtins. Names resolve only through the caller. Anything else — comprehensions,
 * f-strings, attribute access, `%`-formatting, sets in operators — is an error, as is a
 * result too large to build (CPython would try, and might run out of memory).
 */
import type { PyBinaryOperator, PyCompareOperator, PyNode } from './python-ast.ts';
import {
  PY_FALSE,
  PY_NONE,
  PY_TRUE,
  hashKey,
  makeDict,
  makeSet,
  pyBool,
  pyFloatObj,
  pyInt,
  pyStr,
  pyTypeName,
  reprObj,
  strObj,
  type PyObj,
} from './python-object.ts';
import { formatPercent } from './python-format.ts';
import { powPositive, roundFloat } from './python-math.ts';

export interface EvalOptions {
  /** Value of a free name, or undefined for a NameError. */
  resolveName?: (id: string) => PyObj | undefined;
  /** Allow calls to the pure builtins abs, bool, float, int, len, max, min, round, str, sum. */
  builtins?: boolean;
  /** Allow only `float('inf' | '-inf' | 'nan')` among calls (what `renderPythonToolCalls` writes for non-finite floats). */
  floatCalls?: boolean;
}

export type EvalResult = { ok: true; value: PyObj } | { ok: false; error: string; position: number };

class EvalError {
  constructor(
    readonly message: string,
    readonly position: number,
  ) {}
}

/** Largest sequence or string an operation may build, and the largest int in bits. */
const MAX_ITEMS = 10_000_000;
const MAX_INT_BITS = 1_000_000;

/** Evaluates an expression tree; never throws. */
export function evaluatePython(node: PyNode, options: EvalOptions = {}): EvalResult {
  try {
    return { ok: true, value: new Evaluator(options).eval(node) };
  } catch (e) {
    if (e instanceof EvalError) return { ok: false, error: e.message, position: e.position };
    if (e instanceof RangeError) return { ok: false, error: `too large or too deep to evaluate`, position: node.start };
    throw e;
  }
}

function isNumber(o: PyObj): o is Extract<PyObj, { t: 'bool' | 'int' | 'float' | 'complex' }> {
  return o.t === 'bool' || o.t === 'int' || o.t === 'float' || o.t === 'complex';
}

function asBigInt(o: PyObj): bigint | undefined {
  if (o.t === 'int') return o.v;
  if (o.t === 'bool') return o.v ? 1n : 0n;
  return undefined;
}

const MAX_FLOAT_INT = BigInt(Number.MAX_VALUE);

function intToFloat(v: bigint, at: number): number {
  if (v > MAX_FLOAT_INT || v < -MAX_FLOAT_INT) {
    // Python rounds first and only overflows past the largest double.
    const x = Number(v);
    if (!Number.isFinite(x)) throw new EvalError('int too large to convert to float', at);
    return x;
  }
  return Number(v);
}

function toFloat(o: PyObj, at: number): number {
  const i = asBigInt(o);
  if (i !== undefined) return intToFloat(i, at);
  if (o.t === 'float') return o.v;
  throw new EvalError(`must be real number, not ${pyTypeName(o)}`, at);
}

function toComplex(o: PyObj, at: number): { re: number; im: number } {
  if (o.t === 'complex') return { re: o.re, im: o.im };
  return { re: toFloat(o, at), im: 0 };
}

/** Python's truth value (`bool(o)`). */
export function truthy(o: PyObj): boolean {
  switch (o.t) {
    case 'none':
      return false;
    case 'ellipsis':
      return true;
    case 'bool':
      return o.v;
    case 'int':
      return o.v !== 0n;
    case 'float':
      return o.v !== 0;
    case 'complex':
      return o.re !== 0 || o.im !== 0;
    case 'str':
    case 'bytes':
      return o.v.length > 0;
    case 'list':
    case 'tuple':
    case 'set':
      return o.items.length > 0;
    case 'dict':
      return o.keys.length > 0;
  }
}

/** Python `==`. */
export function pyObjEquals(a: PyObj, b: PyObj): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (a.t === 'complex' || b.t === 'complex') {
      const x = a.t === 'complex' ? a : { re: numberValue(a), im: 0 };
      const y = b.t === 'complex' ? b : { re: numberValue(b), im: 0 };
      return x.re === y.re && x.im === y.im;
    }
    return compareReal(a, b) === 0;
  }
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'none':
    case 'ellipsis':
      return true;
    case 'str':
    case 'bytes':
      return a.v === (b as typeof a).v;
    case 'list':
    case 'tuple': {
      const items = (b as typeof a).items;
      return a.items.length === items.length && a.items.every((x, i) => pyObjEquals(x, items[i]!));
    }
    case 'set': {
      const other = b as typeof a;
      if (a.items.length !== other.items.length) return false;
      const keys = new Set(a.items.map((x) => hashKey(x)));
      return other.items.every((x) => keys.has(hashKey(x)));
    }
    case 'dict': {
      const other = b as typeof a;
      if (a.keys.length !== other.keys.length) return false;
      const index = new Map<string | undefined, number>(other.keys.map((k, i) => [hashKey(k), i]));
      return a.keys.every((k, i) => {
        const j = index.get(hashKey(k));
        return j !== undefined && pyObjEquals(a.values[i]!, other.values[j]!);
      });
    }
    default:
      return false;
  }
}

function numberValue(o: PyObj): number {
  if (o.t === 'bool') return o.v ? 1 : 0;
  if (o.t === 'int') return Number(o.v);
  if (o.t === 'float') return o.v;
  return NaN;
}

/** Exact comparison of two real numbers (Python compares ints and floats exactly); NaN compares as undefined. */
function compareReal(a: PyObj, b: PyObj): number | undefined {
  const ai = asBigInt(a);
  const bi = asBigInt(b);
  if (ai !== undefined && bi !== undefined) return ai < bi ? -1 : ai > bi ? 1 : 0;
  const af = a.t === 'float' ? a.v : undefined;
  const bf = b.t === 'float' ? b.v : undefined;
  if (af !== undefined && bf !== undefined) {
    if (Number.isNaN(af) || Number.isNaN(bf)) return undefined;
    return af < bf ? -1 : af > bf ? 1 : 0;
  }
  // One int, one float.
  const f = (af ?? bf)!;
  const i = (ai ?? bi)!;
  if (Number.isNaN(f)) return undefined;
  let c: number;
  if (f === Infinity) c = -1;
  else if (f === -Infinity) c = 1;
  else {
    const fi = BigInt(Math.trunc(f));
    if (i !== fi) c = i < fi ? -1 : 1;
    else {
      const frac = f - Math.trunc(f);
      c = frac > 0 ? -1 : frac < 0 ? 1 : 0;
    }
  }
  return ai !== undefined ? c : -c;
}

/** Code point order, as Python compares strings. */
function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Python's ordering (`<`), or an error message when the types do not order. */
function compareOrder(a: PyObj, b: PyObj, at: number): number | undefined {
  if (isNumber(a) && isNumber(b) && a.t !== 'complex' && b.t !== 'complex') return compareReal(a, b);
  if (a.t === 'str' && b.t === 'str') return compareStrings(a.v, b.v);
  if (a.t === 'bytes' && b.t === 'bytes') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      if (!pyObjEquals(a.items[i]!, b.items[i]!)) return compareOrder(a.items[i]!, b.items[i]!, at);
    }
    return a.items.length - b.items.length;
  }
  throw new EvalError(`'<' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`, at);
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function modBig(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

function copysign(x: number, y: number): number {
  const negative = y < 0 || Object.is(y, -0);
  return negative ? -Math.abs(x) : Math.abs(x);
}

/** CPython's float divmod. */
function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else {
    mod = copysign(0, wx);
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = copysign(0, vx / wx);
  }
  return [floordiv, mod];
}

const SAFE = 2n ** 53n;

/** int / int, correctly rounded when both fit a double exactly, else to within an ulp. */
function trueDivide(a: bigint, b: bigint, at: number): number {
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  let result: number;
  if (abs(a) <= SAFE && abs(b) <= SAFE) {
    result = Number(a) / Number(b);
  } else {
    const shift = Math.max(0, 64 - (bitLength(a) - bitLength(b)));
    const q = (a << BigInt(shift)) / b;
    result = Number(q);
    for (let k = shift; k > 0; k -= 1000) result /= 2 ** Math.min(k, 1000);
  }
  if (!Number.isFinite(result)) throw new EvalError('integer division result too large for a float', at);
  return result;
}

function bitLength(v: bigint): number {
  return (v < 0n ? -v : v).toString(2).length;
}

function floatPow(x: number, y: number, at: number): PyObj {
  if (y === 0) return pyFloatObj(1);
  if (x === 1) return pyFloatObj(1);
  if (Number.isNaN(x) || Number.isNaN(y)) return pyFloatObj(NaN);
  if (x === -1 && !Number.isFinite(y)) return pyFloatObj(1);
  if (x === 0 && y < 0) throw new EvalError('0.0 cannot be raised to a negative power', at);
  if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y)) {
    const c = complexPow({ re: x, im: 0 }, { re: y, im: 0 }, at);
    return { t: 'complex', re: c.re, im: c.im };
  }
  if (!Number.isFinite(x) || !Number.isFinite(y) || x === 0) return pyFloatObj(Math.pow(x, y));
  const negate = x < 0 && Number.isInteger(y) && Math.abs(y % 2) === 1;
  const r = powPositive(Math.abs(x), y);
  if (!Number.isFinite(r)) throw new EvalError("(34, 'Numerical result out of range')", at);
  return pyFloatObj(negate ? -r : r);
}

type Complex = { re: number; im: number };

function complexMul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

function complexDiv(a: Complex, b: Complex, at: number): Complex {
  const absBre = Math.abs(b.re);
  const absBim = Math.abs(b.im);
  if (absBre >= absBim) {
    if (absBre === 0) throw new EvalError('complex division by zero', at);
    const ratio = b.im / b.re;
    const denom = b.re + b.im * ratio;
    return { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom };
  }
  if (absBim >= absBre) {
    const ratio = b.re / b.im;
    const denom = b.re * ratio + b.im;
    return { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom };
  }
  return { re: NaN, im: NaN };
}

function complexPow(a: Complex, b: Complex, at: number): Complex {
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 100) {
    const n = b.re;
    let result: Complex = { re: 1, im: 0 };
    let base = a;
    let k = Math.abs(n);
    while (k > 0) {
      if (k & 1) result = complexMul(result, base);
      base = complexMul(base, base);
      k >>= 1;
    }
    return n < 0 ? complexDiv({ re: 1, im: 0 }, result, at) : result;
  }
  if (b.re === 0 && b.im === 0) return { re: 1, im: 0 };
  if (a.re === 0 && a.im === 0) {
    if (b.im !== 0 || b.re < 0) throw new EvalError('0.0 to a negative or complex power', at);
    return { re: 0, im: 0 };
  }
  const vabs = Math.hypot(a.re, a.im);
  let len = Math.pow(vabs, b.re);
  const angle = Math.atan2(a.im, a.re);
  let phase = angle * b.re;
  if (b.im !== 0) {
    len /= Math.exp(angle * b.im);
    phase += b.im * Math.log(vabs);
  }
  return { re: len * Math.cos(phase), im: len * Math.sin(phase) };
}

function sequenceItems(o: PyObj): PyObj[] | undefined {
  if (o.t === 'list' || o.t === 'tuple' || o.t === 'set') return o.items;
  if (o.t === 'dict') return o.keys;
  if (o.t === 'str') return Array.from(o.v, (ch) => pyStr(ch));
  if (o.t === 'bytes') return Array.from(o.v, (ch) => pyInt(BigInt(ch.charCodeAt(0))));
  return undefined;
}

class Evaluator {
  /** Names bound by `:=` during this evaluation. */
  private readonly locals = new Map<string, PyObj>();

  constructor(private readonly options: EvalOptions) {}

  eval(n: PyNode): PyObj {
    switch (n.kind) {
      case 'Constant':
        return n.value;
      case 'Name': {
        const v = this.locals.get(n.id) ?? this.options.resolveName?.(n.id);
        if (v === undefined) throw new EvalError(`name '${n.id}' is not defined`, n.start);
        return v;
      }
      case 'List':
        return { t: 'list', items: this.items(n.elts) };
      case 'Tuple':
        return { t: 'tuple', items: this.items(n.elts) };
      case 'Set': {
        const set = makeSet(this.items(n.elts));
        if (typeof set === 'string') throw new EvalError(set, n.start);
        return set;
      }
      case 'Dict': {
        const keys: PyObj[] = [];
        const values: PyObj[] = [];
        n.keys.forEach((k, i) => {
          if (k === null) {
            const spread = this.eval(n.values[i]!);
            if (spread.t !== 'dict') throw new EvalError(`'${pyTypeName(spread)}' object is not a mapping`, n.values[i]!.start);
            keys.push(...spread.keys);
            values.push(...spread.values);
          } else {
            keys.push(this.eval(k));
            values.push(this.eval(n.values[i]!));
          }
        });
        const dict = makeDict(keys, values);
        if (typeof dict === 'string') throw new EvalError(dict, n.start);
        return dict;
      }
      case 'UnaryOp':
        return this.unary(n.op, this.eval(n.operand), n.start);
      case 'BinOp':
        return this.binary(n.op, this.eval(n.left), this.eval(n.right), n.start);
      case 'BoolOp': {
        let value = PY_NONE;
        for (const v of n.values) {
          value = this.eval(v);
          if (truthy(value) === (n.op === 'or')) return value;
        }
        return value;
      }
      case 'Compare': {
        let left = this.eval(n.left);
        for (let i = 0; i < n.ops.length; i++) {
          const right = this.eval(n.comparators[i]!);
          if (!this.compare(n.ops[i]!, left, right, n.start)) return PY_FALSE;
          left = right;
        }
        return PY_TRUE;
      }
      case 'IfExp':
        return truthy(this.eval(n.test)) ? this.eval(n.body) : this.eval(n.orelse);
      case 'Subscript':
        return this.subscript(this.eval(n.value), n.slice);
      case 'Call':
        return this.call(n);
      case 'NamedExpr': {
        const value = this.eval(n.value);
        if (n.target.kind === 'Name') this.locals.set(n.target.id, value);
        return value;
      }
      default:
        throw new EvalError(`cannot evaluate ${n.kind}`, n.start);
    }
  }

  private items(nodes: readonly PyNode[]): PyObj[] {
    const out: PyObj[] = [];
    for (const e of nodes) {
      if (e.kind === 'Starred') {
        const items = sequenceItems(this.eval(e.value));
        if (items === undefined) throw new EvalError('value after * must be an iterable', e.start);
        out.push(...items);
        if (out.length > MAX_ITEMS) throw new EvalError('result too large', e.start);
      } else {
        out.push(this.eval(e));
      }
    }
    return out;
  }

  private unary(op: string, v: PyObj, at: number): PyObj {
    if (op === 'not') return pyBool(!truthy(v));
    const i = asBigInt(v);
    if (op === '~') {
      if (i === undefined) throw new EvalError(`bad operand type for unary ~: '${pyTypeName(v)}'`, at);
      return pyInt(-i - 1n);
    }
    if (i !== undefined) return pyInt(op === '-' ? -i : i);
    if (v.t === 'float') return pyFloatObj(op === '-' ? -v.v : v.v);
    if (v.t === 'complex') return op === '-' ? { t: 'complex', re: -v.re, im: -v.im } : v;
    throw new EvalError(`bad operand type for unary ${op}: '${pyTypeName(v)}'`, at);
  }

  binary(op: PyBinaryOperator, a: PyObj, b: PyObj, at: number): PyObj {
    const unsupported = (): never => {
      throw new EvalError(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`, at);
    };
    if (isNumber(a) && isNumber(b)) return this.numeric(op, a, b, at);
    switch (op) {
      case '+':
        if (a.t === 'str' && b.t === 'str') return this.sized(pyStr(a.v + b.v), at);
        if (a.t === 'bytes' && b.t === 'bytes') return this.sized({ t: 'bytes', v: a.v + b.v }, at);
        if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) return this.sized({ t: a.t, items: [...a.items, ...b.items] }, at);
        return unsupported();
      case '*': {
        const [seq, count] = asBigInt(b) !== undefined ? [a, asBigInt(b)!] : asBigInt(a) !== undefined ? [b, asBigInt(a)!] : [undefined, 0n];
        if (seq === undefined) return unsupported();
        if (count >= 2n ** 63n || count < -(2n ** 63n)) throw new EvalError("cannot fit 'int' into an index-sized integer", at);
        const n = count < 0n ? 0 : count;
        const length = seq.t === 'str' || seq.t === 'bytes' ? seq.v.length : seq.t === 'list' || seq.t === 'tuple' ? seq.items.length : -1;
        if (length < 0) return unsupported();
        if (BigInt(length) * BigInt(n) > BigInt(MAX_ITEMS)) throw new EvalError('result too large', at);
        const times = length === 0 ? 0 : Number(n);
        if (seq.t === 'str' || seq.t === 'bytes') return { t: seq.t, v: seq.v.repeat(times) };
        const items: PyObj[] = [];
        for (let k = 0; k < times; k++) items.push(...(seq as { items: PyObj[] }).items);
        return { t: seq.t as 'list' | 'tuple', items };
      }
      case '|':
        if (a.t === 'dict' && b.t === 'dict') {
          const merged = makeDict([...a.keys, ...b.keys], [...a.values, ...b.values]);
          if (typeof merged === 'string') throw new EvalError(merged, at);
          return merged;
        }
        return unsupported();
      case '%':
        if (a.t === 'str') {
          const formatted = formatPercent(a.v, b);
          if (!formatted.ok) throw new EvalError(formatted.error, at);
          return this.sized(pyStr(formatted.text), at);
        }
        return unsupported();
      default:
        return unsupported();
    }
  }

  private sized(o: PyObj, at: number): PyObj {
    const size = o.t === 'str' || o.t === 'bytes' ? o.v.length : o.t === 'list' || o.t === 'tuple' ? o.items.length : 0;
    if (size > MAX_ITEMS) throw new EvalError('result too large', at);
    return o;
  }

  private numeric(op: PyBinaryOperator, a: PyObj, b: PyObj, at: number): PyObj {
    const ai = asBigInt(a);
    const bi = asBigInt(b);
    if (op === '@') throw new EvalError(`unsupported operand type(s) for @: '${pyTypeName(a)}' and '${pyTypeName(b)}'`, at);
    if (op === '<<' || op === '>>' || op === '&' || op === '|' || op === '^') {
      if (ai === undefined || bi === undefined) throw new EvalError(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`, at);
      if (a.t === 'bool' && b.t === 'bool' && (op === '&' || op === '|' || op === '^')) {
        return pyBool(op === '&' ? a.v && b.v : op === '|' ? a.v || b.v : a.v !== b.v);
      }
      switch (op) {
        case '&':
          return pyInt(ai & bi);
        case '|':
          return pyInt(ai | bi);
        case '^':
          return pyInt(ai ^ bi);
        case '<<':
          if (bi < 0n) throw new EvalError('negative shift count', at);
          if (ai !== 0n && BigInt(bitLength(ai)) + bi > BigInt(MAX_INT_BITS)) throw new EvalError('result too large', at);
          return pyInt(ai === 0n ? 0n : ai << bi);
        case '>>':
          if (bi < 0n) throw new EvalError('negative shift count', at);
          return pyInt(bi > BigInt(MAX_INT_BITS) ? (ai < 0n ? -1n : 0n) : ai >> bi);
      }
    }
    if (a.t === 'complex' || b.t === 'complex') {
      const x = toComplex(a, at);
      const y = toComplex(b, at);
      let r: Complex;
      switch (op) {
        case '+':
          r = { re: x.re + y.re, im: x.im + y.im };
          break;
        case '-':
          r = { re: x.re - y.re, im: x.im - y.im };
          break;
        case '*':
          r = complexMul(x, y);
          break;
        case '/':
          r = complexDiv(x, y, at);
          break;
        case '**':
          r = complexPow(x, y, at);
          break;
        default:
          throw new EvalError(`unsupported operand type(s) for ${op}: 'complex' and '${pyTypeName(b)}'`, at);
      }
      return { t: 'complex', re: r.re, im: r.im };
    }
    if (ai !== undefined && bi !== undefined) {
      switch (op) {
        case '+':
          return this.bigResult(ai + bi, at);
        case '-':
          return this.bigResult(ai - bi, at);
        case '*':
          if (bitLength(ai) + bitLength(bi) > MAX_INT_BITS) throw new EvalError('result too large', at);
          return pyInt(ai * bi);
        case '/':
          if (bi === 0n) throw new EvalError('division by zero', at);
          return pyFloatObj(trueDivide(ai, bi, at));
        case '//':
          if (bi === 0n) throw new EvalError('integer division or modulo by zero', at);
          return pyInt(floorDivBig(ai, bi));
        case '%':
          if (bi === 0n) throw new EvalError('integer division or modulo by zero', at);
          return pyInt(modBig(ai, bi));
        case '**':
          if (bi < 0n) return floatPow(intToFloat(ai, at), intToFloat(bi, at), at);
          if (ai === 0n || ai === 1n || ai === -1n) return pyInt(bi === 0n ? 1n : ai === -1n && bi % 2n === 0n ? 1n : ai);
          if (BigInt(bitLength(ai)) * bi > BigInt(MAX_INT_BITS)) throw new EvalError('result too large', at);
          return pyInt(ai ** bi);
      }
    }
    const x = toFloat(a, at);
    const y = toFloat(b, at);
    switch (op) {
      case '+':
        return pyFloatObj(x + y);
      case '-':
        return pyFloatObj(x - y);
      case '*':
        return pyFloatObj(x * y);
      case '/':
        if (y === 0) throw new EvalError('float division by zero', at);
        return pyFloatObj(x / y);
      case '//':
        if (y === 0) throw new EvalError('float floor division by zero', at);
        return pyFloatObj(floatDivmod(x, y)[0]);
      case '%':
        if (y === 0) throw new EvalError('float modulo', at);
        return pyFloatObj(floatDivmod(x, y)[1]);
      case '**':
        return floatPow(x, y, at);
      default:
        throw new EvalError(`unsupported operand type(s) for ${op}`, at);
    }
  }

  private bigResult(v: bigint, at: number): PyObj {
    if (bitLength(v) > MAX_INT_BITS) throw new EvalError('result too large', at);
    return pyInt(v);
  }

  private compare(op: PyCompareOperator, a: PyObj, b: PyObj, at: number): boolean {
    switch (op) {
      case '==':
        return pyObjEquals(a, b);
      case '!=':
        return !pyObjEquals(a, b);
      case 'in':
      case 'not in': {
        let found: boolean;
        if (b.t === 'str' || b.t === 'bytes') {
          if (a.t !== b.t) throw new EvalError(`'in <${b.t}>' requires ${b.t} as left operand, not ${pyTypeName(a)}`, at);
          found = b.v.includes(a.v as string);
        } else {
          const items = sequenceItems(b);
          if (items === undefined) throw new EvalError(`argument of type '${pyTypeName(b)}' is not iterable`, at);
          found = items.some((x) => pyObjEquals(x, a));
        }
        return op === 'in' ? found : !found;
      }
      case 'is':
      case 'is not':
        throw new EvalError('identity comparison is not evaluated', at);
      default: {
        const c = compareOrder(a, b, at);
        if (c === undefined) return false;
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      }
    }
  }

  private subscript(container: PyObj, sliceNode: PyNode): PyObj {
    const at = sliceNode.start;
    if (container.t === 'dict') {
      const key = this.eval(sliceNode);
      const h = hashKey(key);
      if (h === undefined) throw new EvalError(`unhashable type: '${pyTypeName(key)}'`, at);
      const i = container.keys.findIndex((k) => hashKey(k) === h);
      if (i === -1) throw new EvalError(`KeyError: ${reprObj(key)}`, at);
      return container.values[i]!;
    }
    const units: PyObj[] | string[] | undefined =
      container.t === 'list' || container.t === 'tuple' ? container.items : container.t === 'str' ? Array.from(container.v) : container.t === 'bytes' ? container.v.split('') : undefined;
    if (units === undefined) throw new EvalError(`'${pyTypeName(container)}' object is not subscriptable`, at);
    const length = units.length;
    if (sliceNode.kind === 'Slice') {
      const bound = (n: PyNode | null): bigint | undefined => {
        if (n === null) return undefined;
        const v = this.eval(n);
        if (v.t === 'none') return undefined;
        const i = asBigInt(v);
        if (i === undefined) throw new EvalError('slice indices must be integers or None', n.start);
        return i;
      };
      const lower = bound(sliceNode.lower);
      const upper = bound(sliceNode.upper);
      const step = bound(sliceNode.step) ?? 1n;
      if (step === 0n) throw new EvalError('slice step cannot be zero', at);
      const picked = sliceIndices(length, lower, upper, step);
      if (container.t === 'str') return pyStr(picked.map((i) => units[i] as string).join(''));
      if (container.t === 'bytes') return { t: 'bytes', v: picked.map((i) => units[i] as string).join('') };
      return { t: container.t as 'list' | 'tuple', items: picked.map((i) => units[i] as PyObj) };
    }
    const index = asBigInt(this.eval(sliceNode));
    if (index === undefined) throw new EvalError('indices must be integers or slices', at);
    const i = index < 0n ? index + BigInt(length) : index;
    if (i < 0n || i >= BigInt(length)) throw new EvalError('index out of range', at);
    const item = units[Number(i)]!;
    if (container.t === 'str') return pyStr(item as string);
    if (container.t === 'bytes') return pyInt(BigInt((item as string).charCodeAt(0)));
    return item as PyObj;
  }

  private call(n: Extract<PyNode, { kind: 'Call' }>): PyObj {
    const name = n.func.kind === 'Name' ? n.func.id : undefined;
    if (name === 'float' && this.options.floatCalls && !this.options.builtins) {
      if (n.args.length === 1 && n.keywords.length === 0) {
        const arg = n.args[0]!;
        if (arg.kind === 'Constant' && arg.value.t === 'str' && /^\s*[+-]?(inf|nan)\s*$/i.test(arg.value.v)) return this.builtin('float', [arg.value], n.start);
      }
      throw new EvalError('only float("inf"), float("-inf") and float("nan") calls are read', n.start);
    }
    if (!this.options.builtins || name === undefined || !BUILTINS.has(name)) throw new EvalError(`call to ${name ?? 'an expression'} is not evaluated`, n.start);
    if (n.keywords.length > 0) throw new EvalError(`${name}() keyword arguments are not evaluated`, n.start);
    return this.builtin(name, this.items(n.args), n.start);
  }

  private builtin(name: string, args: PyObj[], at: number): PyObj {
    const arity = (min: number, max: number): void => {
      if (args.length < min || args.length > max) throw new EvalError(`${name}() takes ${min === max ? min : `${min} to ${max}`} arguments (${args.length} given)`, at);
    };
    switch (name) {
      case 'abs': {
        arity(1, 1);
        const v = args[0]!;
        const i = asBigInt(v);
        if (i !== undefined) return pyInt(i < 0n ? -i : i);
        if (v.t === 'float') return pyFloatObj(Math.abs(v.v));
        if (v.t === 'complex') return pyFloatObj(Math.hypot(v.re, v.im));
        throw new EvalError(`bad operand type for abs(): '${pyTypeName(v)}'`, at);
      }
      case 'bool':
        arity(0, 1);
        return pyBool(args.length === 1 && truthy(args[0]!));
      case 'len': {
        arity(1, 1);
        const v = args[0]!;
        if (v.t === 'str') return pyInt(BigInt(Array.from(v.v).length));
        const items = v.t === 'bytes' ? v.v : sequenceItems(v);
        if (items === undefined) throw new EvalError(`object of type '${pyTypeName(v)}' has no len()`, at);
        return pyInt(BigInt(items.length));
      }
      case 'str':
        arity(0, 1);
        return pyStr(args.length === 0 ? '' : strObj(args[0]!));
      case 'int': {
        arity(0, 1);
        if (args.length === 0) return pyInt(0n);
        const v = args[0]!;
        const i = asBigInt(v);
        if (i !== undefined) return pyInt(i);
        if (v.t === 'float') {
          if (!Number.isFinite(v.v)) throw new EvalError(`cannot convert float ${reprObj(v)} to integer`, at);
          return pyInt(BigInt(Math.trunc(v.v)));
        }
        if (v.t === 'str') {
          const m = /^\s*([+-]?)(\d(?:_?\d)*)\s*$/u.exec(v.v);
          if (!m || m[2]!.length > 4300) throw new EvalError(`invalid literal for int() with base 10: ${reprObj(v)}`, at);
          const digits = BigInt(m[2]!.replace(/_/g, ''));
          return pyInt(m[1] === '-' ? -digits : digits);
        }
        throw new EvalError(`int() argument must be a string or a number, not '${pyTypeName(v)}'`, at);
      }
      case 'float': {
        arity(0, 1);
        if (args.length === 0) return pyFloatObj(0);
        const v = args[0]!;
        if (v.t === 'str') {
          const text = v.v.trim();
          const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
          if (special) {
            const x = special[2]!.toLowerCase() === 'nan' ? NaN : Infinity;
            return pyFloatObj(special[1] === '-' ? -x : x);
          }
          if (!/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/.test(text)) {
            throw new EvalError(`could not convert string to float: ${reprObj(v)}`, at);
          }
          return pyFloatObj(Number(text.replace(/_/g, '')));
        }
        return pyFloatObj(toFloat(v, at));
      }
      case 'min':
      case 'max': {
        if (args.length === 0) throw new EvalError(`${name} expected at least 1 argument, got 0`, at);
        const items = args.length === 1 ? sequenceItems(args[0]!) : args;
        if (items === undefined) throw new EvalError(`'${pyTypeName(args[0]!)}' object is not iterable`, at);
        if (items.length === 0) throw new EvalError(`${name}() arg is an empty sequence`, at);
        let best = items[0]!;
        for (const item of items.slice(1)) {
          const c = compareOrder(item, best, at);
          if (c !== undefined && (name === 'min' ? c < 0 : c > 0)) best = item;
        }
        return best;
      }
      case 'sum': {
        arity(1, 2);
        const items = sequenceItems(args[0]!);
        if (items === undefined || args[0]!.t === 'str') throw new EvalError(`'${pyTypeName(args[0]!)}' object is not iterable`, at);
        let total: PyObj = args[1] ?? pyInt(0n);
        if (total.t === 'str') throw new EvalError("sum() can't sum strings [use ''.join(seq) instead]", at);
        for (const item of items) total = this.binary('+', total, item, at);
        return total;
      }
      case 'round': {
        arity(1, 2);
        const v = args[0]!;
        const digits = args.length === 2 && args[1]!.t !== 'none' ? asBigInt(args[1]!) : undefined;
        if (args.length === 2 && args[1]!.t !== 'none' && digits === undefined) throw new EvalError('integer argument expected', at);
        const i = asBigInt(v);
        if (i !== undefined) {
          if (digits === undefined || digits >= 0n) return pyInt(i);
          const unit = 10n ** -digits;
          const q = floorDivBig(i, unit);
          const r = i - q * unit;
          const twice = 2n * r;
          const rounded = twice > unit || (twice === unit && q % 2n !== 0n) ? q + 1n : q;
          return pyInt(rounded * unit);
        }
        if (v.t !== 'float') throw new EvalError(`type ${pyTypeName(v)} doesn't define __round__ method`, at);
        if (digits === undefined) {
          if (!Number.isFinite(v.v)) throw new EvalError(`cannot convert float ${reprObj(v)} to integer`, at);
          return pyInt(BigInt(roundHalfEven(v.v)));
        }
        return pyFloatObj(roundFloat(v.v, Number(digits)));
      }
      default:
        throw new EvalError(`call to ${name} is not evaluated`, at);
    }
  }
}

const BUILTINS: ReadonlySet<string> = new Set(['abs', 'bool', 'float', 'int', 'len', 'max', 'min', 'round', 'str', 'sum']);

function sliceIndices(length: number, lower: bigint | undefined, upper: bigint | undefined, step: bigint): number[] {
  const len = BigInt(length);
  const clamp = (v: bigint | undefined, dflt: bigint, lo: bigint, hi: bigint): bigint => {
    if (v === undefined) return dflt;
    let x = v < 0n ? v + len : v;
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    return x;
  };
  const out: number[] = [];
  if (step > 0n) {
    const start = clamp(lower, 0n, 0n, len);
    const stop = clamp(upper, len, 0n, len);
    for (let i = start; i < stop; i += step) out.push(Number(i));
  } else {
    const start = clamp(lower, len - 1n, -1n, len - 1n);
    const stop = clamp(upper, -1n, -1n, len - 1n);
    for (let i = start; i > stop; i += step) out.push(Number(i));
  }
  return out;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
