/**
 * The official Java type converter: a Java parameter value arrives as Java source text
 * (`"5"`, `"50L"`, `"new int[]{1, 2}"`, `new HashMap<String, Object>() {{ put("k", 1); }}`)
 * and becomes a Python value by the declared type. Text that does not look like the
 * type stays a string, which then fails the type check, unless the acceptable values
 * are strings too. Array items of type String keep their quotes, as officially.
 */
import type { Value, ValueObject } from '../../core/value.ts';
import { JAVA_TYPES } from './docs.ts';
import { D, DOT, END, S, ANY, W, pyRegex } from './python-regex.ts';
import { pyDropLast, pyStripEnds } from './python-ops.ts';
import { OfficialCheckerException } from './result.ts';
import { pyFloatFromString, pyIntFromString, pyStrip } from './python-text.ts';

const INTEGER = pyRegex(`^-?${D}+${END}`);
const FLOAT = pyRegex(`^-?${D}+(?:\\.${D}+)?(?:[eE][+-]?${D}+)?[fF]${END}`);
const FLOAT_SUFFIX = pyRegex(`[fF]${END}`);
const DOUBLE = pyRegex(`^-?${D}+(?:\\.${D}+)?(?:[eE][+-]?${D}+)?${END}`);
const LONG = pyRegex(`^-?${D}+[lL]${END}`);
const LONG_SUFFIX = pyRegex(`[lL]${END}`);
const ARRAYLIST_AS_LIST = pyRegex(`new${S}+ArrayList<${W}*>\\(Arrays\\.asList\\((${DOT}+?)\\)\\)`);
const ARRAYLIST_ADDS = pyRegex(`new${S}+ArrayList<${W}*>\\(\\)${S}*\\{\\{${S}*(${ANY}+?)${S}*\\}\\}`);
const ADD_CALL = pyRegex(`add\\((${DOT}+?)\\)`, 'g');
const ARRAYLIST_EMPTY = pyRegex(`new${S}+ArrayList<${W}*>\\(\\)`);
const ARRAY = pyRegex(`new${S}+${W}+\\[\\]${S}*\\{(${DOT}*?)\\}`);
const HASHMAP = pyRegex(`new${S}+HashMap<${ANY}*?>${S}*\\(\\)${S}*\\{${S}*\\{?${S}*(${ANY}*?)${S}*\\}?${S}*\\}`);
const PUT_CALL = pyRegex(`put\\("(${DOT}*?)",${S}*(${DOT}*?)\\)`, 'g');
const HASHMAP_EMPTY = pyRegex(`new${S}+HashMap<${DOT}*?>${S}*\\(\\)`);

function intOrRaise(text: string): number {
  const n = pyIntFromString(text);
  if (n === undefined) throw new OfficialCheckerException(`ValueError: invalid literal for int() with base 10: '${text}'`);
  return n;
}

function floatOrRaise(text: string): Value {
  const x = pyFloatFromString(text);
  if (x === undefined) throw new OfficialCheckerException(`ValueError: could not convert string to float: '${text}'`);
  return x;
}

/** `java_type_converter(value, expected_type, nested_type)`. */
export function convertJavaValue(value: string, expectedType: string, nestedType?: string): Value {
  if (!Object.prototype.hasOwnProperty.call(JAVA_TYPES, expectedType)) {
    throw new OfficialCheckerException(`ValueError: Unsupported type: ${expectedType}`);
  }
  switch (expectedType) {
    case 'byte':
    case 'short':
    case 'integer':
      return INTEGER.test(value) ? intOrRaise(value) : value;
    case 'float':
      return FLOAT.test(value) ? floatOrRaise(value.replace(FLOAT_SUFFIX, '')) : value;
    case 'double':
      return DOUBLE.test(value) ? floatOrRaise(value) : value;
    case 'long':
      return LONG.test(value) ? intOrRaise(value.replace(LONG_SUFFIX, '')) : value;
    case 'boolean':
      return value === 'true' || value === 'false' ? value === 'true' : value;
    case 'char':
      // The official char pattern cannot match any text, so a char stays the text given.
      return value;
    case 'Array':
      return parseArray(value, nestedType);
    case 'ArrayList':
      return parseArrayList(value, nestedType);
    case 'HashMap':
      return parseHashMap(value);
    case 'String':
    case 'any':
      return value;
    default:
      throw new OfficialCheckerException(`NotImplementedError: ${expectedType} conversion is not implemented`);
  }
}

function convertItem(text: string, nestedType: string | undefined): Value {
  if (nestedType === 'char' || nestedType === 'String') return pyStripEnds(text);
  return nestedType ? convertJavaValue(text, nestedType) : parseJavaValue(text);
}

function parseArrayList(input: string, nestedType: string | undefined): Value {
  const asList = ARRAYLIST_AS_LIST.exec(input);
  if (asList) return asList[1]!.split(',').map((part) => convertItem(pyStrip(part), nestedType));
  const adds = ARRAYLIST_ADDS.exec(input);
  if (adds) return Array.from(adds[1]!.matchAll(ADD_CALL), (m) => convertItem(pyStrip(m[1]!), nestedType));
  if (ARRAYLIST_EMPTY.test(input)) return [];
  return input;
}

function parseArray(input: string, nestedType: string | undefined): Value {
  const match = ARRAY.exec(input);
  if (!match) return input;
  const parts = match[1]!.split(',').filter((part) => pyStrip(part) !== '');
  return parts.map((part) => (nestedType ? convertJavaValue(pyStrip(part), nestedType) : parseJavaValue(pyStrip(part))));
}

function parseHashMap(input: string): Value {
  const match = HASHMAP.exec(input);
  if (match) {
    const out: ValueObject = {};
    const body = match[1]!;
    if (pyStrip(body) !== '') {
      for (const put of body.matchAll(PUT_CALL)) {
        Object.defineProperty(out, put[1]!, { value: parseJavaValue(pyStrip(put[2]!)), enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  }
  if (HASHMAP_EMPTY.test(input)) return {};
  return input;
}

/** `parse_java_value`: a Java literal read without knowing its type. */
export function parseJavaValue(text: string): Value {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith('"') && text.endsWith('"')) return pyStripEnds(text);
  if (LONG.test(text)) return intOrRaise(pyDropLast(text));
  if (FLOAT.test(text)) return floatOrRaise(text.replace(FLOAT_SUFFIX, ''));
  const asInt = pyIntFromString(text);
  if (asInt !== undefined) return asInt;
  const asFloat = pyFloatFromString(text);
  return asFloat ?? text;
}
