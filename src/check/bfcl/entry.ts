/**
 * The verdict for one single-turn BFCL entry from its decoded model output, with the
 * official runner's rules around the checker: an output the decoder rejects is
 * `ast_decoder:decoder_failed`; one that decodes to something other than a list of
 * `{name: {args}}` is `decoder_wrong_output_format`; and in the relevance categories
 * only one thing counts: whether at least one call was decoded (irrelevance wants none,
 * relevance wants some; an empty list or a failed decode is "none").
 */
import { checkBfclAst } from './ast-check.ts';
import { languageOfCategory, type BfclCall, type BfclExpectedCall, type BfclFunctionDoc } from './docs.ts';
import { invalid, VALID, type BfclCheckResult } from './result.ts';

/** A model output after decoding, in the three ways the official runner tells apart. */
export type BfclDecoded =
  /** Decoded to a list of calls (possibly empty). */
  | { kind: 'calls'; calls: BfclCall[] }
  /** Decoded, but not to a list of `{name: {args}}`. */
  | { kind: 'wrong_format'; detail: string }
  /** The decoder raised. */
  | { kind: 'failed'; error: string };

/** True for categories scored by whether a call was made at all (`irrelevance`, `live_irrelevance`, `live_relevance`). */
export function isRelevanceCategory(category: string): boolean {
  return category.includes('relevance');
}

/** True for the multi-turn categories, which need execution and are not scored here. */
export function isMultiTurnCategory(category: string): boolean {
  return category.includes('multi_turn');
}

/** True when the decoded output holds at least one call (the official `not is_empty_output`). */
export function hasCalls(decoded: BfclDecoded): boolean {
  return decoded.kind === 'calls' && decoded.calls.length > 0;
}

/** The relevance rule: irrelevance categories want no call decoded, relevance categories at least one. */
export function checkRelevance(category: string, decoded: BfclDecoded): BfclCheckResult {
  const called = hasCalls(decoded);
  if (category.includes('irrelevance')) {
    return called ? invalid('irrelevance_error:decoder_success', `a call was decoded (${describeCalls(decoded)}) where no call fits`) : VALID;
  }
  if (called) return VALID;
  const why = decoded.kind === 'failed' ? decoded.error : decoded.kind === 'wrong_format' ? decoded.detail : 'an empty list of calls';
  return invalid('relevance_error:decoder_failed', `no call was decoded where one is wanted: ${why}`);
}

function describeCalls(decoded: BfclDecoded): string {
  return decoded.kind === 'calls' ? decoded.calls.map((c) => c.name).join(', ') : '';
}

export interface BfclEntryInput {
  category: string;
  docs: readonly BfclFunctionDoc[];
  /** Expected calls; absent for the relevance categories. */
  answers?: readonly BfclExpectedCall[];
  decoded: BfclDecoded;
  underscoreToDot: boolean;
}

/** The official verdict for one single-turn entry (AST or relevance category). */
export function checkBfclEntry(input: BfclEntryInput): BfclCheckResult {
  const { category, decoded } = input;
  if (isRelevanceCategory(category)) return checkRelevance(category, decoded);
  if (decoded.kind === 'failed') return invalid('ast_decoder:decoder_failed', `the output did not decode: ${decoded.error}`);
  if (decoded.kind === 'wrong_format') return invalid('ast_decoder:decoder_wrong_output_format', decoded.detail);
  return checkBfclAst(category, input.docs, decoded.calls, input.answers ?? [], {
    language: languageOfCategory(category),
    underscoreToDot: input.underscoreToDot,
  });
}
