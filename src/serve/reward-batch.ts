/**
 * The `POST /reward` contract, which the verl and TRL shims call: a JSON array of
 * `{response, ground_truth, extra_info?}` in, a JSON array of
 * `{score, format_ok, calls_ok, reason}` out, in the same order. Scoring is
 * `scoreToolCallReward`, the same function `looptool reward` runs.
 */
import { scoreToolCallReward, type RewardOptions, type RewardReason, type RewardResult } from '../check/reward.ts';
import { pyFloat, type Value } from '../core/value.ts';
import { expectString, FieldError, isJsonObject, kindOf } from './request-fields.ts';

export interface RewardItem {
  response: string;
  groundTruth: string;
}

export interface RewardVerdict extends RewardResult {
  /** The reply has a form the comparison could read: a text reply, or call blocks that parsed. */
  formatOk: boolean;
  /** The reply is right: the same calls as the label, or a text reply to a text label. */
  callsOk: boolean;
}

/**
 * What each reason says about the reply's form and its calls. The official variant keeps a
 * block that is not JSON as raw text and compares it like a call, so there such a block
 * shows up as `calls_differ` (form readable, calls wrong); the strict variant names it
 * `unparseable_block`.
 */
const FORMAT_OK: Readonly<Record<RewardReason, boolean>> = {
  match: true,
  text_match: true,
  calls_differ: true,
  count_mismatch: true,
  partial: true,
  // a well-formed call where a text reply was wanted: a wrong decision, not a broken format
  text_expected_got_call: true,
  missing_tags: false,
  unparseable_block: false,
};

export function verdictOf(result: RewardResult): RewardVerdict {
  return { ...result, formatOk: FORMAT_OK[result.reason], callsOk: result.reason === 'match' || result.reason === 'text_match' };
}

export function scoreItems(items: readonly RewardItem[], options: RewardOptions): RewardVerdict[] {
  return items.map((item) => verdictOf(scoreToolCallReward(item.response, item.groundTruth, options)));
}

/** Validates a `/reward` body; throws `FieldError` naming the first bad item and field. */
export function parseRewardBatch(body: unknown): RewardItem[] {
  if (!Array.isArray(body)) throw new FieldError('body', `expected a JSON array of {response, ground_truth, extra_info?}, got ${kindOf(body)}`);
  const items: RewardItem[] = new Array(body.length);
  for (let i = 0; i < body.length; i++) {
    const entry: unknown = body[i];
    if (!isJsonObject(entry)) throw new FieldError(`body[${i}]`, `expected an object {response, ground_truth, extra_info?}, got ${kindOf(entry)}`);
    const response = expectString(entry['response'], `body[${i}].response`);
    const groundTruth = expectString(entry['ground_truth'], `body[${i}].ground_truth`);
    const extra = entry['extra_info'];
    // extra_info rides along for the shims' own bookkeeping; the reward does not read it.
    if (extra !== undefined && extra !== null && !isJsonObject(extra)) throw new FieldError(`body[${i}].extra_info`, `expected an object, got ${kindOf(extra)}`);
    items[i] = { response, groundTruth };
  }
  return items;
}

/**
 * The answer body. Scores are written as floats (`1.0`, not `1`) because Python readers
 * build tensors from them, and an integer tensor cannot be averaged.
 */
export function rewardBatchAnswer(verdicts: readonly RewardVerdict[]): Value {
  return verdicts.map((v) => ({ score: pyFloat(v.score), format_ok: v.formatOk, calls_ok: v.callsOk, reason: v.reason }));
}
