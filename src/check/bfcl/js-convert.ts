/**
 * The official JavaScript type converter: a JavaScript parameter value arrives as
 * source text (`"'abc'"`, `"42"`, `"[1, 2]"`, `"{key: 'v'}"`) and becomes a Python value
 * by the declared type, through the same pattern matching and comma splitting the
 * official code does (so `[1, [2]]` gives the string item `"[2"`, as officially). Text
 * that does not fit the type stays a string.
 */
import type { Value, ValueObject } from '../../core/value.ts';
import { JS_TYPES } from './docs.ts';
import { D, DOT, END, S, pyRegex } from './python-regex.ts';
import { pyDropLast, pyStripEnds } from './python-ops.ts';
import { OfficialCheckerException } from './result.ts';
import { pyFloatFromString, pyIntFromString, pyStrip, pyStripChars } from './python-text.ts';

const INTEGER = pyRegex(`^-?${D}+${END}`);
const FLOAT = pyRegex(`^-?${D}+(?:\\.${D}+)?${END}`);
const BIGINT = pyRegex(`^-?${D}+n${END}`);
const ARRAY_2D = pyRegex(`^(?:\\[${S}*\\[${DOT}*?\\]${S}*(?:,${S}*\\[${DOT}*?\\]${S}*)*\\]|new${S}+Array\\(${S}*\\[${DOT}*?\\]${S}*(?:,${S}*\\[${DOT}*?\\]${S}*)*\\))`);
const ARRAY_1D = pyRegex(`^(?:\\[(${DOT}*?)\\]|new${S}+Array\\((${DOT}*?)\\))`);
const INNER_ARRAY = pyRegex(`\\[(${DOT}*?)\\]`, 'g');
const DICT = pyRegex(`^\\{(${DOT}*?)\\}`);
const DICT_PAIR = pyRegex(`([^:]+):${S}*(${DOT}*?)(?:,${S}*(?=[^,]+:)|${END})`, 'g');

function isQuoted(text: string): boolean {
  return (text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"));
}

function convertOrRaise(n: Value | undefined, text: string, what: string): Value {
  if (n === undefined) throw new OfficialCheckerException(`ValueError: invalid literal for ${what}: '${text}'`);
  return n;
}

/** `js_type_converter(value, expected_type, nested_type)`. */
export function convertJsValue(value: string, expectedType: string, nestedType?: string): Value {
  if (!Object.prototype.hasOwnProperty.call(JS_TYPES, expectedType)) {
    throw new OfficialCheckerException(`ValueError: Unsupported type: ${expectedType}`);
  }
  switch (expectedType) {
    case 'String':
      return isQuoted(value) ? pyStripEnds(value) : value;
    case 'integer':
      return INTEGER.test(value) ? convertOrRaise(pyIntFromString(value), value, 'int()') : value;
    case 'float':
      return FLOAT.test(value) ? convertOrRaise(pyFloatFromString(value), value, 'float()') : value;
    case 'Bigint':
      return BIGINT.test(value) ? convertOrRaise(pyIntFromString(pyDropLast(value)), value, 'int()') : value;
    case 'Boolean':
      return value === 'true' || value === 'false' ? value === 'true' : value;
    case 'dict':
      return parseJsCollection(value, 'dict', nestedType);
    case 'array':
      return parseJsCollection(value, 'array', nestedType);
    default:
      return value; // 'any'
  }
}

function parseJsCollection(source: string, kind: 'array' | 'dict', nestedType?: string): Value {
  const code = pyStrip(source);
  // The official code returns the text unchanged when anything inside goes wrong.
  try {
    return kind === 'array' ? parseJsArray(code, nestedType) : parseJsDict(code);
  } catch (e) {
    if (e instanceof OfficialCheckerException) return code;
    throw e;
  }
}

function parseJsArray(code: string, nestedType: string | undefined): Value {
  const twoD = ARRAY_2D.exec(code);
  if (twoD) {
    const rows: Value[] = [];
    let index = 0;
    for (const m of twoD[0].matchAll(INNER_ARRAY)) {
      let inner = pyStrip(m[1]!);
      if (index === 0 && inner.startsWith('[')) inner = inner.slice(1);
      rows.push(inner.split(',').map((e) => parseJsValue(pyStrip(e))));
      index++;
    }
    return rows;
  }
  const oneD = ARRAY_1D.exec(code);
  if (!oneD) return code;
  const body = pyStrip(oneD[1] ?? oneD[2] ?? '');
  const elements = body === '' ? [] : body.split(',');
  if (!nestedType) return elements.map((e) => parseJsValue(pyStrip(e)));
  return elements.map((e) => {
    const text = pyStrip(e);
    return convertJsValue(text, nestedType, text.startsWith("'") || text.startsWith('"') ? 'String' : undefined);
  });
}

function parseJsDict(code: string): Value {
  if (code === '{}') return {};
  const match = DICT.exec(code);
  if (!match) return code;
  const out: ValueObject = {};
  for (const pair of match[1]!.matchAll(DICT_PAIR)) {
    const key = pyStripChars(pyStrip(pair[1]!), `'"`);
    const text = pyStrip(pair[2]!);
    let item: Value;
    if (text.startsWith('[') && text.endsWith(']')) item = parseJsCollection(text, 'array');
    else if (text.startsWith('{') && text.endsWith('}')) item = parseJsCollection(text, 'dict');
    else item = parseJsValue(pyStripChars(text, `'"`));
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `parse_js_value`: a JavaScript literal read without knowing its type. */
export function parseJsValue(source: string): Value {
  const text = pyStrip(source);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (isQuoted(text)) return pyStripEnds(text);
  const asInt = pyIntFromString(text);
  if (asInt !== undefined) return asInt;
  return pyFloatFromString(text) ?? text;
}
