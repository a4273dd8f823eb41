/**
 * One decoded call against one expected call: BFCL's `simple_function_checker`. The
 * name must equal the doc's name (with dots turned to underscores for models that
 * cannot use dots), every required parameter must be there, every given parameter must
 * be in the doc and in the expected call, of the right type and an acceptable value,
 * and every expected parameter without a `""` alternative must be given.
 */
import { pyRepr } from '../../toolcall/pyrepr.ts';
import { PyTuple, pyFloat, pyTypeOf, type Value } from '../../core/value.ts';
import {
  JAVA_TYPES,
  JS_TYPES,
  NESTED_CONVERSION_TYPES,
  PYTHON_NESTED_TYPES,
  PYTHON_TYPES,
  ownValue,
  type BfclCall,
  type BfclExpectedCall,
  type BfclFunctionDoc,
  type BfclLanguage,
  type BfclParamDoc,
  type CheckedType,
} from './docs.ts';
import { convertJavaValue } from './java-convert.ts';
import { convertJsValue } from './js-convert.ts';
import { pyIn } from './python-ops.ts';
import { invalid, OfficialCheckerException, VALID, type BfclCheckResult } from './result.ts';
import { checkType } from './type-check.ts';
import { checkDict, checkList, checkListOfDicts, checkString } from './value-check.ts';

export interface BfclCheckOptions {
  language: BfclLanguage;
  /** The model could not use dots in names, so expected `a.b` is compared as `a_b`. */
  underscoreToDot: boolean;
}

/** The name a model is expected to call a function by. */
export function expectedFunctionName(docName: string, underscoreToDot: boolean): string {
  return underscoreToDot && docName.includes('.') ? docName.replaceAll('.', '_') : docName;
}

function typeTable(language: BfclLanguage): Readonly<Record<string, CheckedType>> {
  return language === 'java' ? JAVA_TYPES : language === 'javascript' ? JS_TYPES : PYTHON_TYPES;
}

function mappedType(table: Readonly<Record<string, CheckedType>>, typeName: string): CheckedType {
  const mapped = ownValue(table, typeName);
  if (mapped === undefined) throw new OfficialCheckerException(`KeyError: '${typeName}'`);
  return mapped;
}

function itemsType(param: string, doc: BfclParamDoc): string {
  const type = doc.items?.type;
  if (type === undefined) throw new OfficialCheckerException(`KeyError: 'items' (parameter ${param} has no item type)`);
  return type;
}

interface PreparedValue {
  value: Value;
  expected: CheckedType;
  nested: CheckedType | null;
}

/** Converts a Java/JavaScript source string by its declared type, or returns the type error. */
function prepareValue(param: string, raw: Value, doc: BfclParamDoc, language: BfclLanguage): PreparedValue | BfclCheckResult {
  const table = typeTable(language);
  const typeName = doc.type;
  const expected = mappedType(table, typeName);
  if (language === 'python') {
    const nested = PYTHON_NESTED_TYPES.has(typeName) ? mappedType(table, itemsType(param, doc)) : null;
    let value = raw;
    // The data's tuples went through JSON and became lists, so a tuple counts as a list.
    if (typeName === 'tuple' && value instanceof PyTuple) value = Array.from(value);
    // Python would accept an int where a float is declared.
    if (typeName === 'float' && pyTypeOf(value) === 'int') value = pyFloat(value as number);
    return { value, expected, nested };
  }
  if (typeof raw !== 'string') {
    return invalid(language === 'java' ? 'type_error:java' : 'type_error:js', `${param}: a ${language === 'java' ? 'Java' : 'JavaScript'} value must be given as source text, got ${pyTypeOf(raw)} ${pyRepr(raw)}`);
  }
  const convert = language === 'java' ? convertJavaValue : convertJsValue;
  if (NESTED_CONVERSION_TYPES.has(typeName)) {
    const nestedName = itemsType(param, doc);
    const nested = mappedType(table, nestedName);
    return { value: convert(raw, typeName, nestedName), expected, nested };
  }
  return { value: convert(raw, typeName), expected, nested: null };
}

/** The official `simple_function_checker`. May throw `OfficialCheckerException`. */
export function checkFunctionCall(doc: BfclFunctionDoc, call: BfclCall, answer: BfclExpectedCall, options: BfclCheckOptions): BfclCheckResult {
  const name = expectedFunctionName(doc.name, options.underscoreToDot);
  if (call.nameNotString || call.name !== name) {
    return invalid('simple_function_checker:wrong_func_name', `function ${pyRepr(name)} expected, ${pyRepr(call.name)} called`);
  }
  const given = call.arguments;
  const properties = doc.parameters.properties;
  const expectedParams = answer.params;
  for (const param of doc.parameters.required) {
    if (!Object.prototype.hasOwnProperty.call(given, param)) {
      return invalid('simple_function_checker:missing_required', `required parameter ${pyRepr(param)} missing`);
    }
  }
  for (const [param, raw] of Object.entries(given)) {
    const paramDoc = ownValue(properties, param);
    const alternatives = ownValue(expectedParams, param);
    if (paramDoc === undefined || alternatives === undefined) {
      return invalid('simple_function_checker:unexpected_param', `parameter ${pyRepr(param)} not expected`);
    }
    const prepared = prepareValue(param, raw, paramDoc, options.language);
    if ('valid' in prepared) return prepared;
    const { value, expected, nested } = prepared;
    const typed = checkType(param, value, alternatives, expected, nested);
    if (!typed.valid) return { valid: false, errorType: typed.errorType, errors: typed.errors };
    if (!typed.isVariable) {
      if (expected === 'dict') {
        const r = checkDict(param, value, alternatives);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'list' && nested === 'dict') {
        const r = checkListOfDicts(param, value as Value[], alternatives);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'str') {
        const r = checkString(param, value as string, alternatives);
        if (!r.valid) return r;
        continue;
      }
      if (expected === 'list') {
        const r = checkList(param, value as Value[], alternatives);
        if (!r.valid) return r;
        continue;
      }
    }
    if (!pyIn(value, alternatives)) {
      return invalid('value_error:others', `${param}: ${pyRepr(value)} is none of ${pyRepr(alternatives)}`);
    }
  }
  for (const [param, alternatives] of Object.entries(expectedParams)) {
    if (!Object.prototype.hasOwnProperty.call(given, param) && !pyIn('', alternatives)) {
      return invalid('simple_function_checker:missing_optional', `parameter ${pyRepr(param)} is expected but was not given`);
    }
  }
  return VALID;
}
