/**
 * BFCL's AST check of a decoded answer against the possible answers of one entry,
 * dispatched on the category name as the official checker does: a name containing
 * "parallel" gets the order-free matcher, else one containing "multiple" the
 * one-of-several-functions check, else the single-call check (java and javascript
 * included). The order-free matcher is the official greedy one: each expected call, in
 * order, takes the first still-unmatched model call that passes, and never gives it
 * back, so the verdict can depend on the order of the model's calls.
 */
import { pyRepr } from '../../toolcall/pyrepr.ts';
import type { BfclCall, BfclExpectedCall, BfclFunctionDoc } from './docs.ts';
import { checkFunctionCall, type BfclCheckOptions } from './function-check.ts';
import { invalid, OfficialCheckerException, VALID, type BfclCheckResult } from './result.ts';

function findDoc(docs: readonly BfclFunctionDoc[], name: string): BfclFunctionDoc {
  const doc = docs.find((d) => d.name === name);
  // The official lookup returns None here and the checker then fails on it.
  if (doc === undefined) throw new OfficialCheckerException(`TypeError: no function doc named ${pyRepr(name)} for an expected call`);
  return doc;
}

function wrongCount(errorType: Parameters<typeof invalid>[0], got: number, wanted: number): BfclCheckResult {
  return invalid(errorType, `${got} call${got === 1 ? '' : 's'} made, ${wanted} expected`);
}

function checkParallel(docs: readonly BfclFunctionDoc[], calls: readonly BfclCall[], answers: readonly BfclExpectedCall[], options: BfclCheckOptions): BfclCheckResult {
  if (calls.length !== answers.length) return wrongCount('parallel_function_checker_no_order:wrong_count', calls.length, answers.length);
  const matched = new Set<number>();
  for (let i = 0; i < answers.length; i++) {
    const answer = answers[i]!;
    const doc = findDoc(docs, answer.name);
    const tried: string[] = [];
    let found = false;
    for (let index = 0; index < calls.length; index++) {
      if (matched.has(index)) continue;
      const result = checkFunctionCall(doc, calls[index]!, answer, options);
      if (result.valid) {
        matched.add(index);
        found = true;
        break;
      }
      tried.push(`model call ${index}: ${result.errorType}: ${result.errors.join('; ')}`);
    }
    if (!found) {
      const open = calls.map((_, index) => index).filter((index) => !matched.has(index));
      return invalid(
        'parallel_function_checker_no_order:cannot_find_match',
        `no model call among indices [${open.join(', ')}] matches expected call ${i} (${answer.name})`,
        ...tried,
      );
    }
  }
  return VALID;
}

function checkMultiple(docs: readonly BfclFunctionDoc[], calls: readonly BfclCall[], answers: readonly BfclExpectedCall[], options: BfclCheckOptions): BfclCheckResult {
  if (calls.length !== answers.length) return wrongCount('multiple_function_checker:wrong_count', calls.length, answers.length);
  const answer = answers[0];
  if (answer === undefined) throw new OfficialCheckerException('IndexError: list index out of range');
  return checkFunctionCall(findDoc(docs, answer.name), calls[0]!, answer, options);
}

function checkSimple(docs: readonly BfclFunctionDoc[], calls: readonly BfclCall[], answers: readonly BfclExpectedCall[], options: BfclCheckOptions): BfclCheckResult {
  if (calls.length !== 1) return wrongCount('simple_function_checker:wrong_count', calls.length, 1);
  const doc = docs[0];
  const answer = answers[0];
  if (doc === undefined || answer === undefined) throw new OfficialCheckerException('IndexError: list index out of range');
  // The single-call check takes the name from the doc, never from the answer.
  return checkFunctionCall(doc, calls[0]!, answer, options);
}

/**
 * The official `ast_checker` for one entry of an AST category. Where the official code
 * would raise, the result is invalid with error type `checker_exception`.
 */
export function checkBfclAst(
  category: string,
  docs: readonly BfclFunctionDoc[],
  calls: readonly BfclCall[],
  answers: readonly BfclExpectedCall[],
  options: BfclCheckOptions,
): BfclCheckResult {
  try {
    if (category.includes('parallel')) return checkParallel(docs, calls, answers, options);
    if (category.includes('multiple')) return checkMultiple(docs, calls, answers, options);
    return checkSimple(docs, calls, answers, options);
  } catch (e) {
    if (e instanceof OfficialCheckerException) return invalid('checker_exception', `the official checker raises here: ${e.message}`);
    throw e;
  }
}
