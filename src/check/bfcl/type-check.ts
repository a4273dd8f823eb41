/**
 * BFCL's type rule for one parameter value, with its "variable" escape: when the
 * acceptable values are of another type than the doc declares (the data writes a
 * variable name as a string where the doc says integer), a value of the acceptable
 * values' type passes and is then compared exactly. Lists are checked one level deep,
 * item by item, against any acceptable list; an acceptable value that is not a list
 * (such as `""`) lets any items through.
 */
import { pyRepr } from '../../toolcall/pyrepr.ts';
import { pyTypeOf, type Value } from '../../core/value.ts';
import type { CheckedType } from './docs.ts';
import { isEmptyMarker, isPyList } from './python-ops.ts';
import type { BfclErrorType } from './result.ts';

export interface TypeCheckResult {
  valid: boolean;
  /** The value is taken as a variable reference: compared exactly, not as a string/list/dict. */
  isVariable: boolean;
  errorType: BfclErrorType | null;
  errors: string[];
}

/** The Python type of the first acceptable value that is not the "may be left out" marker. */
export function acceptableType(alternatives: readonly Value[]): CheckedType | undefined {
  for (const a of alternatives) if (!isEmptyMarker(a)) return pyTypeOf(a);
  return undefined;
}

/** The official `type_checker`: is `value` of the declared type (or of the acceptable values' type)? */
export function checkType(param: string, value: Value, alternatives: readonly Value[], expected: CheckedType, nested: CheckedType | null): TypeCheckResult {
  const alternativesType = acceptableType(alternatives);
  const isVariable = alternativesType !== undefined && alternativesType !== expected;
  const valueType = pyTypeOf(value);
  let nestedFailed = false;
  if (valueType === expected) {
    if (nested === null) return { valid: true, isVariable, errorType: null, errors: [] };
    for (const alternative of alternatives) {
      let itemsOk = true;
      if (isPyList(alternative)) {
        for (const item of value as Value[]) {
          if (!checkType(param, item, alternative, nested, null).valid) {
            itemsOk = false;
            break;
          }
        }
      }
      if (itemsOk) return { valid: true, isVariable, errorType: null, errors: [] };
    }
    nestedFailed = true;
  }
  const nestedError = `${param}: expected ${expected} of ${nested ?? '?'}, got ${pyRepr(value)}`;
  if (alternativesType !== undefined && valueType === alternativesType) {
    // A nested failure stays a failure here: the official code returns its pending (invalid) result.
    return nestedFailed
      ? { valid: false, isVariable: true, errorType: 'type_error:nested', errors: [nestedError] }
      : { valid: true, isVariable: true, errorType: null, errors: [] };
  }
  const errors = nestedFailed ? [nestedError] : [];
  errors.push(`${param}: expected type ${expected}, got ${valueType} ${pyRepr(value)}`);
  return { valid: false, isVariable, errorType: 'type_error:simple', errors };
}
