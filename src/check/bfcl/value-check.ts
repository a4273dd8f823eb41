/**
 * Value comparison for one parameter, per the BFCL rules: strings after normalisation,
 * lists element-wise (strings inside normalised), dicts key by key against each
 * acceptable dict (with their own "" = may-be-left-out markers), lists of dicts dict by
 * dict in order. Faithful to the official code also where it is odd: an acceptable `""`
 * counts as an empty list for lists and lists of dicts, and a string alternative is
 * iterated character by character.
 */
import { pyRepr } from '../../toolcall/pyrepr.ts';
import type { Value } from '../../core/value.ts';
import { isEmptyMarker, pyGetByKey, pyIn, pyIndex, pyItems, pyLen, listOf, asDict } from './python-ops.ts';
import { invalid, VALID, type BfclCheckResult } from './result.ts';
import { standardizeString } from './standardize.ts';

function standardized(x: Value): Value {
  return typeof x === 'string' ? standardizeString(x) : x;
}

/** The items of an alternative as the official loops index them (`for j in range(len(a))`). */
function indexedItems(alternative: Value): Value[] {
  const out: Value[] = [];
  const n = pyLen(alternative);
  for (let j = 0; j < n; j++) out.push(pyIndex(alternative, j));
  return out;
}

function shown(x: Value): string {
  return pyRepr(x);
}

/** A string value against the string alternatives, both normalised. */
export function checkString(param: string, value: string, alternatives: Value[]): BfclCheckResult {
  const wanted: Value[] = [];
  for (const a of alternatives) if (typeof a === 'string') wanted.push(standardizeString(a));
  if (pyIn(standardizeString(value), wanted)) return VALID;
  return invalid('value_error:string', `${param}: ${shown(value)} is none of ${shown(alternatives)} (compared without case, spaces and ,./-_*^)`);
}

/** A list value against list alternatives, element-wise, strings normalised. */
export function checkList(param: string, value: Value[], alternatives: Value[]): BfclCheckResult {
  const got = listOf(value).map(standardized);
  const wanted: Value[] = alternatives.map((a) => indexedItems(a).map(standardized));
  if (pyIn(got, wanted)) return VALID;
  return invalid('value_error:list/tuple', `${param}: ${shown(value)} is none of ${shown(alternatives)}`);
}

/** A dict value against dict alternatives: every given key known and acceptable, every needed key given. */
export function checkDict(param: string, value: Value, alternatives: Value[]): BfclCheckResult {
  let result = invalid('dict_checker:unclear', `${param}: no acceptable dict to compare with`);
  for (const alternative of alternatives) {
    if (isEmptyMarker(alternative)) continue;
    const errors: string[] = [];
    let errorType: 'dict_checker:unclear' | 'value_error:dict_key' | 'value_error:dict_value' = 'dict_checker:unclear';
    let ok = true;
    for (const [key, item] of pyItems(value)) {
      if (!pyIn(key, alternative)) {
        errors.push(`${param}: unexpected key ${shown(key)}`);
        errorType = 'value_error:dict_key';
        ok = false;
        break;
      }
      const wanted = indexedItems(pyGetByKey(alternative, key)).map(standardized);
      if (!pyIn(standardized(item), wanted)) {
        errors.push(`${param}[${shown(key)}]: ${shown(item)} is none of ${shown(wanted)}`);
        errorType = 'value_error:dict_value';
        ok = false;
        break;
      }
    }
    const given = asDict(value);
    for (const [key, acceptable] of pyItems(alternative)) {
      if (!Object.prototype.hasOwnProperty.call(given, key) && !pyIn('', acceptable)) {
        errors.push(`${param}: missing key ${shown(key)}`);
        errorType = 'value_error:dict_key';
        ok = false;
        break;
      }
    }
    if (ok) return VALID;
    result = { valid: false, errorType, errors };
  }
  return result;
}

/** A list of dicts against alternatives that are lists of dicts, compared in order. */
export function checkListOfDicts(param: string, value: Value[], alternatives: Value[]): BfclCheckResult {
  let result = invalid('list_dict_checker:unclear', `${param}: no acceptable list of dicts to compare with`);
  for (const alternative of alternatives) {
    if (value.length !== pyLen(alternative)) {
      result = invalid('value_error:list_dict_count', `${param}: ${value.length} dicts given, ${pyLen(alternative)} expected`);
      continue;
    }
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      result = checkDict(`${param}[${i}]`, value[i] as Value, [pyIndex(alternative, i)]);
      if (!result.valid) {
        ok = false;
        break;
      }
    }
    if (ok) return VALID;
  }
  return result;
}
