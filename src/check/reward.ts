/**
 * The LoopTool tool-call reward: does a model reply make the same calls as the label?
 *
 * `official` reproduces the reward of the LoopTool code release
 * (grpotool/verl/utils/reward_score/toolace.py) as configured for the paper's runs,
 * quirks included:
 * - the reply is cut out of the whole transcript first (after the last
 *   `<|im_start|>assistant`, before the next `<|im_end|>`, stripped);
 * - a label without `<tool_call>` wants a text reply: one with neither `<tool_call>`
 *   nor `</tool_call>` in it;
 * - a call label wants both tags somewhere in the reply, then the blocks are read with
 *   the exact regex `<tool_call>\n(.*?)\n</tool_call>` (newlines required, inside
 *   `<think>` too); a block that is not JSON is kept as its raw text;
 * - the two block lists must have the same length, and then the same SET of blocks
 *   after each is made hashable: objects become sets of (key, value) pairs, lists become
 *   sets (order and duplicates ignored, so `[1, 2, 2]` equals `[2, 1]`), numbers compare
 *   by Python equality (`1 == 1.0 == True`); duplicate whole calls collapse too, so
 *   `[A, A, B]` matches `[A, B, B]`.
 *
 * `strict` fixes those quirks: every block must be a JSON object with a `name` and an
 * `arguments` object; calls compare as a multiset (duplicates counted, order free);
 * argument lists compare in order; booleans never equal numbers (numbers still compare
 * by value, so `5` equals `5.0`); `<think>` reasoning is ignored; no transcript cutting.
 */
import type { Label } from '../core/types.ts';
import { renderLoopToolOutput } from '../core/convert/looptool.ts';
import { PyFloat, isPlainObject, pyEquals, type Value } from '../core/value.ts';
import { extractHermesBlocks } from '../toolcall/hermes.ts';
import { stripThink } from '../toolcall/think.ts';

export type RewardVariant = 'official' | 'strict';

export interface RewardOptions {
  variant?: RewardVariant;
  /** Score for a correct reply (official runs: 1 with CORRECTMAX1, else 3). */
  maxScore?: number;
  /** Score for a wrong reply (official runs: 0 with ERRORMAX=0, -1 with CORRECTMAX1, else -3). */
  minScore?: number;
  /**
   * The official code's alternative reward (TOOL_REWARD_VERSION=2, official variant
   * only): starting from minScore, 1/len(label) per leading call that equals the label's
   * call at the same position, stopping at the first difference.
   */
  partialCredit?: boolean;
}

export type RewardReason =
  /** Text label, text reply. */
  | 'text_match'
  /** Text label, but the reply has a tool-call tag. */
  | 'text_expected_got_call'
  /** Call label, but the reply lacks `<tool_call>` or `</tool_call>`. */
  | 'missing_tags'
  /** A different number of call blocks. */
  | 'count_mismatch'
  /** Same number of blocks, different calls. */
  | 'calls_differ'
  /** A block that is not a JSON call object (strict only). */
  | 'unparseable_block'
  /** The calls match. */
  | 'match'
  /** Partial credit: this many leading calls matched. */
  | 'partial';

export interface RewardResult {
  score: number;
  reason: RewardReason;
}

/** The reply part of a rendered transcript, as the official scorer cuts it (Qwen chat markers). */
export function officialReplyText(solution: string): string {
  const afterStart = solution.split('<|im_start|>assistant').at(-1)!;
  return afterStart.split('<|im_end|>')[0]!.trim();
}

/** The label as the official data writes it: one `<tool_call>\n{json.dumps(call)}\n</tool_call>` per call, or the text. */
export const renderLabelForReward: (label: Label) => string = renderLoopToolOutput;

/** Scores one reply against one ground truth (both as text). Never throws. */
export function scoreToolCallReward(response: string, groundTruth: string, options: RewardOptions = {}): RewardResult {
  const variant = options.variant ?? 'official';
  const max = options.maxScore ?? 1;
  const min = options.minScore ?? 0;
  const reply = variant === 'official' ? officialReplyText(response) : stripThink(response);
  if (!groundTruth.includes('<tool_call>')) {
    return !reply.includes('<tool_call>') && !reply.includes('</tool_call>') ? { score: max, reason: 'text_match' } : { score: min, reason: 'text_expected_got_call' };
  }
  if (!reply.includes('<tool_call>') || !reply.includes('</tool_call>')) return { score: min, reason: 'missing_tags' };
  const expected = extractHermesBlocks(groundTruth, 'official').map(blockValue);
  const predicted = extractHermesBlocks(reply, 'official').map(blockValue);

  if (variant === 'official' && options.partialCredit) return partialCredit(expected, predicted, min);
  if (expected.length !== predicted.length) return { score: min, reason: 'count_mismatch' };
  if (variant === 'official') {
    const a = new Set(expected.map(hashableKey));
    const b = new Set(predicted.map(hashableKey));
    const same = a.size === b.size && [...a].every((k) => b.has(k));
    return same ? { score: max, reason: 'match' } : { score: min, reason: 'calls_differ' };
  }
  if (![...expected, ...predicted].every(isCallObject)) return { score: min, reason: 'unparseable_block' };
  return sameMultiset(expected, predicted, strictEquals) ? { score: max, reason: 'match' } : { score: min, reason: 'calls_differ' };
}

/** Scores a reply against a `Label` (rendered the official way first). */
export function scoreAgainstLabel(response: string, label: Label, options: RewardOptions = {}): RewardResult {
  return scoreToolCallReward(response, renderLabelForReward(label), options);
}

/** A block as the official code keeps it: its JSON, or its raw text when it is not JSON. */
function blockValue(block: { raw: string; json: Value | undefined }): Value {
  return block.json === undefined ? block.raw : block.json;
}

function isCallObject(v: Value): boolean {
  return isPlainObject(v) && typeof v['name'] === 'string' && isPlainObject(v['arguments']);
}

/**
 * A string that is equal for two values exactly when Python finds their hashable forms
 * equal: objects → sets of (key, value) pairs, lists → sets, numbers and booleans by
 * numeric value.
 */
export function hashableKey(v: Value): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return 's' + JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'number' || v instanceof PyFloat) {
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'number' ? v : v.value;
    // Python's json module reads every NaN as one shared float object, and containers compare by identity first, so NaN matches NaN here.
    return 'n' + String(x === 0 ? 0 : x);
  }
  // An empty object and an empty list both become the empty frozenset, so they are equal.
  const members = Array.isArray(v) ? v.map((x) => hashableKey(x as Value)) : Object.entries(v).map(([k, x]) => `(${JSON.stringify(k)},${hashableKey(x)})`);
  return `{${[...new Set(members)].sort().join(',')}}`;
}

/** Equality without the official quirks: ordered lists, bool ≠ number, int/float by value. */
function strictEquals(a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => strictEquals(x as Value, b[i] as Value));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && strictEquals(a[k]!, b[k]!));
  }
  return pyEquals(a, b);
}

function sameMultiset(a: readonly Value[], b: readonly Value[], eq: (x: Value, y: Value) => boolean): boolean {
  const used = new Array<boolean>(b.length).fill(false);
  return a.every((x) => {
    const j = b.findIndex((y, i) => !used[i] && eq(x, y));
    if (j === -1) return false;
    used[j] = true;
    return true;
  });
}

/** Leading calls equal by Python `==` on the decoded JSON (key order free, lists in order, 1 == 1.0 == True). */
function partialCredit(expected: readonly Value[], predicted: readonly Value[], min: number): RewardResult {
  // As the official v2 reward: a label with no parsed call would divide by zero there; here it scores min.
  if (expected.length === 0) return { score: min, reason: 'count_mismatch' };
  const step = 1 / expected.length;
  let score = min;
  const n = Math.min(expected.length, predicted.length);
  for (let i = 0; i < n; i++) {
    if (!pyEquals(expected[i]!, predicted[i]!)) return { score, reason: 'partial' };
    score += step;
  }
  return { score, reason: n === expected.length && n === predicted.length ? 'match' : 'partial' };
}
