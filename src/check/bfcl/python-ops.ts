/**
 * Python's `in`, `len`, indexing and `.items()` over looptool values, raising where
 * Python raises. The official checker applies these to values whose shape it never
 * checked (an alternative that is a string where a dict was expected), and what Python
 * does there — a substring test, a character, an exception — decides the verdict.
 */
import { isPlainObject, pyEquals, pyTypeOf, type Value, type ValueObject } from '../../core/value.ts';
import { OfficialCheckerException } from './result.ts';

function typeError(message: string): never {
  throw new OfficialCheckerException(`TypeError: ${message}`);
}

/** `item in container`. */
export function pyIn(item: Value, container: Value): boolean {
  if (Array.isArray(container)) {
    for (const x of container) if (pyEquals(x as Value, item)) return true;
    return false;
  }
  if (typeof container === 'string') {
    if (typeof item !== 'string') typeError(`'in <string>' requires string as left operand, not ${pyTypeOf(item)}`);
    return container.includes(item);
  }
  if (isPlainObject(container)) {
    if (Array.isArray(item) || isPlainObject(item)) typeError(`unhashable type: '${pyTypeOf(item)}'`);
    // Keys of data dicts are strings, and a string key only equals a string.
    return typeof item === 'string' && Object.prototype.hasOwnProperty.call(container, item);
  }
  return typeError(`argument of type '${pyTypeOf(container)}' is not iterable`);
}

/** `len(x)`. */
export function pyLen(x: Value): number {
  if (Array.isArray(x)) return x.length;
  if (typeof x === 'string') return codePoints(x).length;
  if (isPlainObject(x)) return Object.keys(x).length;
  return typeError(`object of type '${pyTypeOf(x)}' has no len()`);
}

/** `x[i]` for an int index `0 <= i < len(x)`. */
export function pyIndex(x: Value, i: number): Value {
  if (Array.isArray(x)) return x[i] as Value;
  if (typeof x === 'string') return codePoints(x)[i]!;
  if (isPlainObject(x)) throw new OfficialCheckerException(`KeyError: ${i}`);
  return typeError(`'${pyTypeOf(x)}' object is not subscriptable`);
}

/** `x[key]` for a str key that `key in x` already found. */
export function pyGetByKey(x: Value, key: string): Value {
  if (isPlainObject(x)) return x[key] as Value;
  if (typeof x === 'string' || Array.isArray(x)) typeError(`${pyTypeOf(x)} indices must be integers or slices, not str`);
  return typeError(`'${pyTypeOf(x)}' object is not subscriptable`);
}

/** `x.items()` of a dict. */
export function pyItems(x: Value): [string, Value][] {
  if (isPlainObject(x)) return Object.entries(x);
  throw new OfficialCheckerException(`AttributeError: '${pyTypeOf(x)}' object has no attribute 'items'`);
}

/** `x.items()` for a value the checker expects to be a dict of the model's arguments. */
export function asDict(x: Value): ValueObject {
  if (isPlainObject(x)) return x;
  throw new OfficialCheckerException(`AttributeError: '${pyTypeOf(x)}' object has no attribute 'items'`);
}

/** The items of `list(x)` (a tuple's items as a list). */
export function listOf(x: Value): Value[] {
  return Array.isArray(x) ? Array.from(x as Value[]) : [];
}

/** `s[1:-1]` on code points, as Python slices a str. */
export function pyStripEnds(s: string): string {
  const cps = codePoints(s);
  return cps.slice(1, Math.max(1, cps.length - 1)).join('');
}

/** `s[:-1]` on code points. */
export function pyDropLast(s: string): string {
  const cps = codePoints(s);
  return cps.slice(0, Math.max(0, cps.length - 1)).join('');
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

/** True for a value whose Python type is exactly `list` (a tuple is not). */
export function isPyList(x: Value): x is Value[] {
  return pyTypeOf(x) === 'list';
}

/** Python's `x == ""` test used to spot the "may be left out" marker. */
export function isEmptyMarker(x: Value): boolean {
  return x === '';
}
