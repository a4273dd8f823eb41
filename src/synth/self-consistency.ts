/**
 * The Assistant's self-consistency, as the release's check_assistant_answers
 * (dialog_generation/data_structure.py) decides it: sample the turn twice; two text
 * replies agree, and two call lists agree when they are the same calls; otherwise sample
 * a third time, and a majority of text replies, or two identical call lists among the
 * three, settles it. Where the release keeps an unsettled turn with its loss masked, a
 * per-turn sample has nothing to mask, so here the turn is marked inconsistent and
 * verification rejects it. A reply whose calls do not parse agrees with nothing.
 */
import { dumpJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import type { AssistantReply } from './roles.ts';

export interface ConsistencyOutcome {
  chosen: AssistantReply;
  consistent: boolean;
  candidates: AssistantReply[];
  /** A candidate that differs from the chosen one, for the judge to weigh it against. */
  runnerUp?: AssistantReply;
}

function callsKey(calls: readonly ToolCall[]): string {
  return calls
    .map((c) => dumpJson({ name: c.name, arguments: c.arguments }, { sortKeys: true }))
    .sort()
    .join('\n');
}

export function sameReply(a: AssistantReply, b: AssistantReply): boolean {
  if (a.kind === 'text' && b.kind === 'text') return true;
  return a.kind === 'calls' && b.kind === 'calls' && callsKey(a.calls) === callsKey(b.calls);
}

function outcome(chosen: AssistantReply, consistent: boolean, candidates: AssistantReply[]): ConsistencyOutcome {
  const runnerUp = candidates.find((c) => !sameReply(c, chosen) && c !== chosen);
  return runnerUp ? { chosen, consistent, candidates, runnerUp } : { chosen, consistent, candidates };
}

/** Decides from two or three candidates; undefined means a third sample is needed. */
export function decideConsistency(candidates: AssistantReply[]): ConsistencyOutcome | undefined {
  const [a, b] = candidates;
  if (!a || !b) throw new RangeError('self-consistency needs at least two samples');
  if (candidates.length === 2) return sameReply(a, b) ? outcome(a, true, candidates) : undefined;
  const texts = candidates.filter((c) => c.kind === 'text');
  if (texts.length >= 2) return outcome(texts[0]!, true, candidates);
  const calls = candidates.filter((c) => c.kind === 'calls');
  for (let i = 0; i < calls.length; i++) for (let j = i + 1; j < calls.length; j++) if (sameReply(calls[i]!, calls[j]!)) return outcome(calls[i]!, true, candidates);
  return outcome(calls[0] ?? a, false, candidates);
}

/** Samples the turn (sample i with its own seed) until the rule above settles it. */
export async function sampleConsistently(sample: (i: number) => Promise<AssistantReply>): Promise<ConsistencyOutcome> {
  const candidates = await Promise.all([sample(0), sample(1)]);
  const two = decideConsistency(candidates);
  if (two) return two;
  candidates.push(await sample(2));
  return decideConsistency(candidates)!;
}
