/**
 * Replies to score against world labels, covering what a policy writes during GRPO:
 * the exact label, reordered calls and keys, changed values, wrong functions, missing and
 * extra calls, broken tags and JSON, text replies, `<think>` and chat-transcript wrapping.
 */
import { renderLabelForReward } from '../../../src/check/reward.ts';
import { renderLoopToolCalls } from '../../../src/core/convert/looptool.ts';
import { Rng } from '../../../src/core/random.ts';
import type { Sample, ToolCall } from '../../../src/core/types.ts';
import type { Value, ValueObject } from '../../../src/core/value.ts';

export interface RewardCase {
  /** What the reply was made from, to name a failing case. */
  name: string;
  response: string;
  ground_truth: string;
}

function changedValue(v: Value, rng: Rng): Value {
  if (typeof v === 'string') return v === '' ? 'x' : v.slice(0, -1) + (v.endsWith('x') ? 'y' : 'x');
  if (typeof v === 'number') return v + rng.int(1, 5);
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length > 0 ? v.slice(1) : ['extra'];
  if (v === null) return 0;
  return { ...(v as ValueObject), extra_key: 1 };
}

function withChangedArgument(call: ToolCall, rng: Rng): ToolCall {
  const keys = Object.keys(call.arguments);
  if (keys.length === 0) return { name: call.name, arguments: { unexpected: 'value' } };
  const key = rng.pick(keys);
  return { name: call.name, arguments: { ...call.arguments, [key]: changedValue(call.arguments[key]!, rng) } };
}

function withoutArgument(call: ToolCall, rng: Rng): ToolCall {
  const keys = Object.keys(call.arguments);
  if (keys.length === 0) return { name: call.name, arguments: { unexpected: 'value' } };
  const drop = rng.pick(keys);
  return { name: call.name, arguments: Object.fromEntries(Object.entries(call.arguments).filter(([k]) => k !== drop)) };
}

/**
 * Arguments the two reward variants judge differently: a list in another order and a
 * boolean written as a number match under `official` (Python sets, `True == 1`) but not
 * under `strict`. Undefined when the call has no such argument.
 */
function withLooseEquivalent(call: ToolCall): ToolCall | undefined {
  for (const [key, v] of Object.entries(call.arguments)) {
    let loose: Value | undefined;
    if (typeof v === 'boolean') loose = v ? 1 : 0;
    else if (Array.isArray(v) && v.length > 1 && JSON.stringify(v) !== JSON.stringify([...v].reverse())) loose = [...v].reverse();
    if (loose !== undefined) return { name: call.name, arguments: { ...call.arguments, [key]: loose } };
  }
  return undefined;
}

function reversedKeys(call: ToolCall): ToolCall {
  return { name: call.name, arguments: Object.fromEntries(Object.entries(call.arguments).reverse()) };
}

function callReplies(calls: readonly ToolCall[], others: readonly Sample[], rng: Rng): [string, string][] {
  const i = rng.int(0, calls.length - 1);
  const replace = (c: ToolCall) => calls.map((x, j) => (j === i ? c : x));
  const exact = renderLoopToolCalls(calls);
  const other = rng.pick(others).tools.find((t) => t.name !== calls[i]!.name)?.name ?? `${calls[i]!.name}_v2`;
  const looseIndex = calls.findIndex((c) => withLooseEquivalent(c) !== undefined);
  const loose: [string, string][] = looseIndex === -1 ? [] : [['loosely equal argument', renderLoopToolCalls(calls.map((c, j) => (j === looseIndex ? withLooseEquivalent(c)! : c)))]];
  return [
    ...loose,
    ['exact', exact],
    ['reversed call order', renderLoopToolCalls([...calls].reverse())],
    ['reversed argument keys', renderLoopToolCalls(calls.map(reversedKeys))],
    ['compact JSON', calls.map((c) => `<tool_call>\n${JSON.stringify({ name: c.name, arguments: c.arguments })}\n</tool_call>`).join('\n')],
    ['changed value', renderLoopToolCalls(replace(withChangedArgument(calls[i]!, rng)))],
    ['missing argument', renderLoopToolCalls(replace(withoutArgument(calls[i]!, rng)))],
    ['wrong function', renderLoopToolCalls(replace({ name: other, arguments: calls[i]!.arguments }))],
    ['extra call', renderLoopToolCalls([...calls, calls[i]!])],
    ['missing call', calls.length > 1 ? renderLoopToolCalls(calls.filter((_, j) => j !== i)) : ''],
    ['no tags', calls.map((c) => JSON.stringify({ name: c.name, arguments: c.arguments })).join('\n')],
    ['open tag only', exact.replaceAll('</tool_call>', '')],
    ['tags without newlines', exact.replaceAll('<tool_call>\n', '<tool_call>').replaceAll('\n</tool_call>', '</tool_call>')],
    ['truncated JSON', exact.replace(/\}\n<\/tool_call>$/, '\n</tool_call>')],
    ['single quotes', exact.replaceAll('"', "'")],
    ['think then exact', `<think>\nThe user wants ${calls[0]!.name}.\n</think>\n\n${exact}`],
    // official reads blocks inside <think> too (a count mismatch); strict drops the reasoning
    ['drafted call in think', `<think>\n${renderLoopToolCalls([calls[i]!])}\n</think>\n${exact}`],
    ['chat transcript', `<|im_start|>user\nplease<|im_end|>\n<|im_start|>assistant\n${exact}<|im_end|>\n<|endoftext|>`],
    ['text reply', 'I need a bit more information before I can do that.'],
  ];
}

function textReplies(text: string, calls: readonly ToolCall[]): [string, string][] {
  return [
    ['exact text', text],
    ['other text', 'Sure, done.'],
    ['empty', ''],
    ['a call instead', renderLoopToolCalls(calls)],
    ['stray closing tag', `${text} </tool_call>`],
  ];
}

/** Several replies per sample; a text label borrows another sample's calls for its wrong replies. */
export function rewardCases(samples: readonly Sample[], seed: number): RewardCase[] {
  const rng = new Rng(seed);
  const someCalls = samples.flatMap((s) => (s.label.kind === 'calls' ? [s.label.calls] : []));
  const cases: RewardCase[] = [];
  for (const sample of samples) {
    const groundTruth = renderLabelForReward(sample.label);
    const replies = sample.label.kind === 'calls' ? callReplies(sample.label.calls, samples, rng.fork(sample.id)) : textReplies(sample.label.text, rng.pick(someCalls));
    for (const [what, response] of replies) cases.push({ name: `${sample.id} ${what}`, response, ground_truth: groundTruth });
  }
  return cases;
}
