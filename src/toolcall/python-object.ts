/**
 * Python runtime values as the expression evaluator needs them: exact ints (bigint),
 * floats, complex numbers, bytes, sets and dicts with any hashable keys. `toValue`
 * turns one into a looptool `Value`, where some of these have no form of their own.
 */
import { formatPyFloat } from '../core/json.ts';
import { PyTuple, pyFloat, type Value, type ValueObject } from '../core/value.ts';
import { pyBytesRepr, pyComplexRepr, pyStrRepr } from './pyrepr.ts';

export type PyObj =
  | { t: 'none' }
  | { t: 'ellipsis' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'complex'; re: number; im: number }
  | { t: 'str'; v: string }
  /** Byte values as char codes 0–255. */
  | { t: 'bytes'; v: string }
  | { t: 'list'; items: PyObj[] }
  | { t: 'tuple'; items: PyObj[] }
  | { t: 'set'; items: PyObj[] }
  | { t: 'dict'; keys: PyObj[]; values: PyObj[] };

/** The singletons `None`, `True`, `False`, `Ellipsis`. */
export const PY_NONE: PyObj = { t: 'none' };
export const PY_TRUE: PyObj = { t: 'bool', v: true };
export const PY_FALSE: PyObj = { t: 'bool', v: false };
export const PY_ELLIPSIS: PyObj = { t: 'ellipsis' };

/** An int object. */
export function pyInt(v: bigint): PyObj {
  return { t: 'int', v };
}
/** A float object. */
export function pyFloatObj(v: number): PyObj {
  return { t: 'float', v };
}
/** A str object. */
export function pyStr(v: string): PyObj {
  return { t: 'str', v };
}
/** `True` or `False`. */
export function pyBool(v: boolean): PyObj {
  return v ? PY_TRUE : PY_FALSE;
}

/** Python's type name, as error messages show it. */
export function pyTypeName(o: PyObj): string {
  switch (o.t) {
    case 'none':
      return 'NoneType';
    case 'ellipsis':
      return 'ellipsis';
    default:
      return o.t;
  }
}

let nanKeys = 0;

/**
 * A string equal for keys Python treats as the same dict key (`1`, `1.0`, `True`),
 * or undefined when the object is unhashable (list, dict, set, or a tuple holding one).
 */
export function hashKey(o: PyObj): string | undefined {
  switch (o.t) {
    case 'none':
      return 'N';
    case 'ellipsis':
      return 'E';
    case 'bool':
      return o.v ? 'i1' : 'i0';
    case 'int':
      return 'i' + o.v.toString();
    case 'float':
      return floatKey(o.v);
    case 'complex':
      return o.im === 0 ? floatKey(o.re) : `c${o.re},${o.im}`;
    case 'str':
      return 's' + o.v;
    case 'bytes':
      return 'b' + o.v;
    case 'tuple': {
      const keys: string[] = [];
      for (const item of o.items) {
        const k = hashKey(item);
        if (k === undefined) return undefined;
        keys.push(k);
      }
      return 't' + JSON.stringify(keys);
    }
    default:
      return undefined;
  }
}

function floatKey(x: number): string {
  if (Number.isNaN(x)) return `nan${nanKeys++}`;
  if (Number.isInteger(x)) return 'i' + BigInt(x).toString();
  return 'f' + String(x);
}

/** A dict built Python's way: a repeated key keeps its first position and first key object, the last value wins. */
export function makeDict(keys: PyObj[], values: PyObj[]): PyObj | string {
  const index = new Map<string, number>();
  const outKeys: PyObj[] = [];
  const outValues: PyObj[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const h = hashKey(key);
    if (h === undefined) return `unhashable type: '${pyTypeName(key)}'`;
    const at = index.get(h);
    if (at === undefined) {
      index.set(h, outKeys.length);
      outKeys.push(key);
      outValues.push(values[i]!);
    } else {
      outValues[at] = values[i]!;
    }
  }
  return { t: 'dict', keys: outKeys, values: outValues };
}

/** A set built Python's way (first of equal items kept). */
export function makeSet(items: PyObj[]): PyObj | string {
  const seen = new Set<string>();
  const out: PyObj[] = [];
  for (const item of items) {
    const h = hashKey(item);
    if (h === undefined) return `unhashable type: '${pyTypeName(item)}'`;
    if (!seen.has(h)) {
      seen.add(h);
      out.push(item);
    }
  }
  return { t: 'set', items: out };
}

/** Python's `repr` of a runtime value. */
export function reprObj(o: PyObj): string {
  switch (o.t) {
    case 'none':
      return 'None';
    case 'ellipsis':
      return 'Ellipsis';
    case 'bool':
      return o.v ? 'True' : 'False';
    case 'int':
      return o.v.toString();
    case 'float':
      return formatPyFloat(o.v);
    case 'complex':
      return pyComplexRepr(o.re, o.im);
    case 'str':
      return pyStrRepr(o.v);
    case 'bytes':
      return pyBytesRepr(o.v);
    case 'list':
      return `[${o.items.map(reprObj).join(', ')}]`;
    case 'tuple':
      return o.items.length === 1 ? `(${reprObj(o.items[0]!)},)` : `(${o.items.map(reprObj).join(', ')})`;
    case 'set':
      return o.items.length === 0 ? 'set()' : `{${o.items.map(reprObj).join(', ')}}`;
    case 'dict':
      return `{${o.keys.map((k, i) => `${reprObj(k)}: ${reprObj(o.values[i]!)}`).join(', ')}}`;
  }
}

/** Python's `str()` of a runtime value (the text itself for a str, else its repr). */
export function strObj(o: PyObj): string {
  return o.t === 'str' ? o.v : reprObj(o);
}

export type ToValueMode =
  /** Anything a `Value` cannot hold (complex, bytes, set, Ellipsis, a non-str dict key) is an error. */
  | 'strict'
  /** Those become the string of their Python repr (dict keys too), so nothing fails. */
  | 'repr';

export type ToValueResult = { ok: true; value: Value } | { ok: false; error: string };

export interface ToValueOptions {
  /** In `repr` mode, the key a dict's `None` key becomes (default `'None'`). */
  noneKey?: string;
}

/**
 * Converts to a `Value`: ints to integral numbers (exact up to 2^53; beyond the float
 * range they are unrepresentable), floats keep their float-ness, tuples stay tuples.
 */
export function toValue(o: PyObj, mode: ToValueMode, options: ToValueOptions = {}): ToValueResult {
  let error: string | undefined;
  const convert = (x: PyObj): Value => {
    switch (x.t) {
      case 'none':
        return null;
      case 'bool':
        return x.v;
      case 'int': {
        const n = Number(x.v);
        if (Number.isFinite(n)) return n;
        if (mode === 'strict') error ??= 'int too large for a number';
        return x.v.toString();
      }
      case 'float':
        return pyFloat(x.v);
      case 'str':
        return x.v;
      case 'list':
        return x.items.map(convert);
      case 'tuple':
        return PyTuple.fromItems(x.items.map(convert));
      case 'dict': {
        const out: ValueObject = {};
        for (let i = 0; i < x.keys.length; i++) {
          const key = x.keys[i]!;
          if (key.t !== 'str') {
            if (mode === 'strict') error ??= `dict key ${reprObj(key)} is not a string`;
          }
          const name = key.t === 'str' ? key.v : key.t === 'none' && options.noneKey !== undefined ? options.noneKey : reprObj(key);
          setOwn(out, name, convert(x.values[i]!));
        }
        return out;
      }
      default:
        if (mode === 'strict') error ??= `${pyTypeName(x)} value ${reprObj(x)} has no JSON form`;
        return reprObj(x);
    }
  };
  const value = convert(o);
  return error === undefined ? { ok: true, value } : { ok: false, error };
}

/** Sets an own enumerable property, also for keys like `__proto__` that plain assignment would not store. */
export function setOwn(target: ValueObject, key: string, value: Value): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
