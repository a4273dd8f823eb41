/**
 * The shapes the BFCL checker reads: function docs (BFCL type names, not JSON Schema
 * names), expected calls with their lists of acceptable values, decoded model calls,
 * and the per-language tables that say which Python type each BFCL type must have.
 */
import type { PyTypeName, Value, ValueObject } from '../../core/value.ts';

export type BfclLanguage = 'python' | 'java' | 'javascript';

export interface BfclParamDoc {
  type: string;
  items?: { type: string };
}

export interface BfclFunctionDoc {
  name: string;
  parameters: {
    properties: Record<string, BfclParamDoc>;
    required: string[];
  };
}

/**
 * One expected call: `{func_name: {param: [acceptable, ...]}}` in the data file. An
 * acceptable value `""` means the parameter may be left out.
 */
export interface BfclExpectedCall {
  name: string;
  params: Record<string, Value[]>;
}

/** A decoded model call, as the official decoders produce it (`{name: {param: value}}`). */
export interface BfclCall {
  name: string;
  arguments: ValueObject;
  /**
   * Set when the model gave a name that is not a string (a JSON number, `true`,
   * `null`): Python keeps it as a non-string key, which never equals a doc name.
   */
  nameNotString?: boolean;
}

/** A Python type as the checker compares them; `set` only for Java's Set, which no decoded value has. */
export type CheckedType = PyTypeName | 'set';

/** BFCL Python type names → the Python type a value must have (`tuple` is checked as list, `any` as str). */
export const PYTHON_TYPES: Readonly<Record<string, CheckedType>> = {
  string: 'str',
  integer: 'int',
  float: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  any: 'str',
};

/** BFCL Java type names → the Python type the converted value has. */
export const JAVA_TYPES: Readonly<Record<string, CheckedType>> = {
  byte: 'int',
  short: 'int',
  integer: 'int',
  float: 'float',
  double: 'float',
  long: 'int',
  boolean: 'bool',
  char: 'str',
  Array: 'list',
  ArrayList: 'list',
  Set: 'set',
  HashMap: 'dict',
  Hashtable: 'dict',
  Queue: 'list',
  Stack: 'list',
  String: 'str',
  any: 'str',
};

/** BFCL JavaScript type names → the Python type the converted value has. */
export const JS_TYPES: Readonly<Record<string, CheckedType>> = {
  String: 'str',
  integer: 'int',
  float: 'float',
  Bigint: 'int',
  Boolean: 'bool',
  dict: 'dict',
  array: 'list',
  any: 'str',
};

/** Python types whose items are type-checked one level deep. */
export const PYTHON_NESTED_TYPES: ReadonlySet<string> = new Set(['array', 'tuple']);

/** Java/JavaScript collection types converted with their item type. */
export const NESTED_CONVERSION_TYPES: ReadonlySet<string> = new Set(['Array', 'ArrayList', 'array']);

/** The language a category is checked in, by the official rule on its name. */
export function languageOfCategory(category: string): BfclLanguage {
  if (category.includes('javascript')) return 'javascript';
  if (category.includes('java')) return 'java';
  return 'python';
}

/** Own-property lookup, so names like `constructor` or `__proto__` are never inherited. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
