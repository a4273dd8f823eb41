/**
 * Two-tier verification of one assistant step. Rules first, cheap and certain: the reply
 * parsed and its samples agreed, every call names an offered tool, has its required
 * arguments with the right types and allowed values, takes every value from the dialogue
 * (or the parameter's default), and is neither made twice in the step nor a repeat of a
 * call already answered. Then the judge (rule, LLM or an ensemble under a consensus)
 * weighs the step, as Response 1, against the best other answer there is: the planner's
 * expected answer when it knows one, else a disagreeing sample, else the step itself.
 * A step is kept when the judge holds Response 1 right; every rejection has one reason
 * (the first problem found) and the list of all problems.
 */
import { groundingIndex, isGrounded } from '../check/grounding.ts';
import { validateToolCall, type ViolationKind } from '../check/schema.ts';
import { dumpJson } from '../core/json.ts';
import type { Label, Message, Sample, Tool, ToolCall } from '../core/types.ts';
import { seedProvenance } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';
import type { Judge, Verdict } from '../loop/judge.ts';
import type { AssistantReply } from './roles.ts';
import type { ConsistencyOutcome } from './self-consistency.ts';

export const REJECTION_REASONS = [
  'unparseable',
  'inconsistent',
  'empty_reply',
  'unknown_function',
  'missing_required',
  'unknown_parameter',
  'wrong_type',
  'not_in_enum',
  'item_count',
  'ungrounded',
  'duplicate_call',
  'repeated_call',
  'judge_rejected',
  'judge_undecided',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface StepProblem {
  reason: RejectionReason;
  message: string;
}

export interface JudgeNote {
  judge: string;
  verdict: Verdict;
  errorAnalysis: string;
}

export interface StepVerdict {
  accepted: boolean;
  /** The first problem's reason, when rejected. */
  reason?: RejectionReason;
  problems: StepProblem[];
  judge?: JudgeNote;
}

const SCHEMA_REASON: Record<ViolationKind, RejectionReason> = {
  unknown_function: 'unknown_function',
  missing_required: 'missing_required',
  unknown_parameter: 'unknown_parameter',
  wrong_type: 'wrong_type',
  not_in_enum: 'not_in_enum',
  too_few_items: 'item_count',
  too_many_items: 'item_count',
};

function callKey(call: ToolCall): string {
  return dumpJson({ name: call.name, arguments: call.arguments }, { sortKeys: true });
}

function paramDefault(tool: Tool | undefined, name: string): Value | undefined {
  const props = tool?.parameters['properties'];
  const p = isPlainObject(props) ? props[name] : undefined;
  return isPlainObject(p) ? p['default'] : undefined;
}

/** The rule tier's problems with a reply's calls, given the dialogue before it. */
export function callProblems(calls: readonly ToolCall[], tools: readonly Tool[], messages: readonly Message[], year: number): StepProblem[] {
  const out: StepProblem[] = [];
  const violations = calls.map((c) => validateToolCall(c, tools));
  violations.forEach((vs, i) => {
    for (const v of vs) out.push({ reason: SCHEMA_REASON[v.kind], message: `${calls[i]!.name}: ${v.path}: ${v.message}` });
  });
  const index = groundingIndex(messages, year);
  calls.forEach((call, i) => {
    const tool = tools.find((t) => t.name === call.name);
    if (!tool || violations[i]!.some((v) => v.kind === 'unknown_function')) return;
    for (const [name, value] of Object.entries(call.arguments)) {
      if (!isGrounded(value, index, { name, default: paramDefault(tool, name) })) out.push({ reason: 'ungrounded', message: `${call.name}.${name} = ${dumpJson(value)} appears nowhere in the dialogue` });
    }
  });
  const seen = new Set<string>();
  const answered = new Set(messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map(callKey) : [])));
  for (const call of calls) {
    const key = callKey(call);
    if (seen.has(key)) out.push({ reason: 'duplicate_call', message: `${call.name} is called twice with the same arguments` });
    else if (answered.has(key)) out.push({ reason: 'repeated_call', message: `${call.name} repeats a call the dialogue already made` });
    seen.add(key);
  }
  return out;
}

/** The rule tier for a whole step: parse, agreement, then the calls' problems. */
export function ruleProblems(outcome: ConsistencyOutcome, tools: readonly Tool[], messages: readonly Message[], year: number): StepProblem[] {
  const reply = outcome.chosen;
  if (reply.kind === 'unparsed') return [{ reason: 'unparseable', message: `the tool calls do not parse: ${reply.error}` }];
  if (!outcome.consistent) return [{ reason: 'inconsistent', message: `no two of ${outcome.candidates.length} samples agree: ${outcome.candidates.map(describe).join(' | ')}` }];
  if (reply.kind === 'text') return reply.text.trim() === '' ? [{ reason: 'empty_reply', message: 'the reply is empty' }] : [];
  return callProblems(reply.calls, tools, messages, year);
}

export function labelOf(reply: AssistantReply): Label {
  return reply.kind === 'calls' ? { kind: 'calls', calls: reply.calls } : { kind: 'text', text: reply.text };
}

function describe(reply: AssistantReply): string {
  if (reply.kind === 'calls') return reply.calls.map((c) => `${c.name}(${dumpJson(c.arguments)})`).join('; ');
  if (reply.kind === 'text') return `text "${reply.text.slice(0, 80)}"`;
  return `unparsed (${reply.error})`;
}

export interface VerifyInput {
  id: string;
  outcome: ConsistencyOutcome;
  tools: readonly Tool[];
  messages: readonly Message[];
  year: number;
  judge: Judge;
  /** The planner's expected answer for this step, when it knows one. */
  reference?: Label;
}

/** Verdicts under which the judge holds Response 1 (the step) right. */
const KEEPS: ReadonlySet<Verdict> = new Set(['both_correct', 'model_incorrect']);

export async function verifyStep(input: VerifyInput): Promise<StepVerdict> {
  const problems = ruleProblems(input.outcome, input.tools, input.messages, input.year);
  if (problems.length > 0) return { accepted: false, reason: problems[0]!.reason, problems };
  const label = labelOf(input.outcome.chosen);
  const other = input.reference ?? (input.outcome.runnerUp && input.outcome.runnerUp.kind !== 'unparsed' ? labelOf(input.outcome.runnerUp) : label);
  const sample: Sample = { id: input.id, tools: [...input.tools], messages: input.messages.length > 0 ? [...input.messages] : [{ role: 'user', content: '' }], label, provenance: seedProvenance() };
  const v = await input.judge.compare(sample, label, other);
  const judge: JudgeNote = { judge: v.judge, verdict: v.verdict, errorAnalysis: v.errorAnalysis };
  if (KEEPS.has(v.verdict)) return { accepted: true, problems: [], judge };
  const reason: RejectionReason = v.verdict === 'undecided' ? 'judge_undecided' : 'judge_rejected';
  return { accepted: false, reason, problems: [{ reason, message: `${v.judge}: ${v.verdict}${v.errorAnalysis ? ` — ${v.errorAnalysis}` : ''}` }], judge };
}
