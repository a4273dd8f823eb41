/**
 * What a BFCL check returns, with the error-type names the official leaderboard writes
 * into its score files, so a looptool details file reads like an official one.
 */

/** Error types of the official single-turn evaluation (checker, decoder and relevance runner). */
export type BfclErrorType =
  | 'simple_function_checker:wrong_count'
  | 'simple_function_checker:wrong_func_name'
  | 'simple_function_checker:missing_required'
  | 'simple_function_checker:unexpected_param'
  | 'simple_function_checker:missing_optional'
  | 'type_error:simple'
  | 'type_error:nested'
  | 'type_error:java'
  | 'type_error:js'
  | 'value_error:string'
  | 'value_error:list/tuple'
  | 'value_error:dict_key'
  | 'value_error:dict_value'
  | 'value_error:list_dict_count'
  | 'value_error:others'
  | 'dict_checker:unclear'
  | 'list_dict_checker:unclear'
  | 'parallel_function_checker_no_order:wrong_count'
  | 'parallel_function_checker_no_order:cannot_find_match'
  | 'multiple_function_checker:wrong_count'
  | 'ast_decoder:decoder_failed'
  | 'ast_decoder:decoder_wrong_output_format'
  | 'irrelevance_error:decoder_success'
  | 'relevance_error:decoder_failed'
  /**
   * Not an official name: the official checker raises an exception on this input (and
   * the official run stops there). looptool scores the item as wrong and says why.
   */
  | 'checker_exception';

export interface BfclCheckResult {
  valid: boolean;
  /** The first failure, as the official checker names it; null when valid. */
  errorType: BfclErrorType | null;
  /** Human-readable reasons, most specific first. */
  errors: string[];
}

/** The result of a check that passed. */
export const VALID: BfclCheckResult = Object.freeze({ valid: true, errorType: null, errors: [] }) as BfclCheckResult;

/** A failed check with its official error type and the reasons. */
export function invalid(errorType: BfclErrorType, ...errors: string[]): BfclCheckResult {
  return { valid: false, errorType, errors };
}

/**
 * Thrown inside the checker where the official Python code raises (a KeyError on a
 * doc without `items`, a TypeError on a value of an unexpected shape). The top-level
 * check turns it into a `checker_exception` result.
 */
export class OfficialCheckerException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfficialCheckerException';
  }
}
