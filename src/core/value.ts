/**
 * Argument values of tool calls.
 *
 * Tool-call data comes from JSON and from Python literals, and the scoring rules of
 * BFCL (and Python's own `==`) tell apart things a JS number cannot: the int `5` and
 * the float `5.0`, a tuple and a list. Values are plain JSON-like data, with two
 * markers for exactly those cases:
 *
 * - a JS `number` is a Python int when it is integral, a float otherwise;
 * - `PyFloat` boxes a float whose value is integral (`5.0`), or not finite;
 * - `PyTuple` is an array that was written as a tuple.
 *
 * Both markers serialise through `JSON.stringify` as their plain JSON counterparts.
 */

export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
  valueOf(): number {
    return this.value;
  }
}

export class PyTuple<T = Value> extends Array<T> {
  // map/filter/slice on a tuple give plain arrays, as they would in Python.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  static fromItems<T>(items: readonly T[]): PyTuple<T> {
    const tuple = new PyTuple<T>();
    for (const item of items) tuple.push(item);
    return tuple;
  }
}

export type Value = null | boolean | number | string | PyFloat | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}

export type PyTypeName = 'NoneType' | 'bool' | 'int' | 'float' | 'str' | 'list' | 'tuple' | 'dict';

/** Makes a float value: integral or non-finite floats are boxed so they stay floats. */
export function pyFloat(x: number): number | PyFloat {
  return Number.isInteger(x) || !Number.isFinite(x) ? new PyFloat(x) : x;
}

export function isPlainObject(v: unknown): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

export function pyTypeOf(v: Value): PyTypeName {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'string':
      return 'str';
  }
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** The numeric value of a bool, int or float (Python's numeric tower), else undefined. */
export function numericValue(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/**
 * Python's `==`: `1 == 1.0 == True`, lists equal element-wise, a tuple never equals a
 * list, dicts equal by keys and values regardless of order. NaN is unequal to itself.
 */
export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const na = numericValue(a);
  if (na !== undefined) {
    const nb = numericValue(b);
    return nb !== undefined && na === nb;
  }
  if (typeof a === 'string' || typeof b === 'string' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a instanceof PyTuple !== b instanceof PyTuple || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !pyEquals(a[k] as Value, b[k] as Value)) return false;
  }
  return true;
}

/** Deep copy that keeps the int/float and tuple/list markers. */
export function cloneValue<T extends Value>(v: T): T {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return v;
  if (v instanceof PyTuple) return PyTuple.fromItems(v.map((x) => cloneValue(x as Value))) as unknown as T;
  if (Array.isArray(v)) return v.map((x) => cloneValue(x as Value)) as T;
  const out: ValueObject = {};
  for (const [k, x] of Object.entries(v)) {
    // Assigning "__proto__" would set the prototype instead of copying the key.
    if (k === '__proto__') Object.defineProperty(out, k, { value: cloneValue(x), enumerable: true, writable: true, configurable: true });
    else out[k] = cloneValue(x);
  }
  return out as T;
}

/** True when `v` is made only of the types a `Value` allows (plain objects, arrays, the two markers, primitives). */
export function isValue(v: unknown): v is Value {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || v instanceof PyFloat) return true;
  if (typeof v === 'number') return true;
  if (Array.isArray(v)) return v.every(isValue);
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(v as object).every(isValue);
  }
  return false;
}
