/**
 * One dialogue, role by role, as the release's crawler runs it
 * (dialog_generation/data_crawl.py): the planner plans the needs; for each need the user
 * speaks, the assistant answers (self-consistently) and every answer is verified before
 * it joins the dialogue; calls go to the tool, whose results the assistant answers again,
 * until it replies in words. A `clarify` need takes a second user turn, the answer to the
 * assistant's question. Nothing after a rejected step could be kept under either policy
 * (cut or drop), so the dialogue ends there.
 */
import { dumpJson } from '../core/json.ts';
import { hashString } from '../core/random.ts';
import type { Label, Message, Tool } from '../core/types.ts';
import type { Judge } from '../loop/judge.ts';
import type { StreamRecord } from '../store/jsonl-stream.ts';
import type { AssistantReply, Persona, Plan, PlanStep, Roles, RoleResult } from './roles.ts';
import { sampleConsistently } from './self-consistency.ts';
import { verifyStep, type JudgeNote, type RejectionReason, type StepProblem } from './verify-step.ts';

export interface DialogueSpec {
  id: string;
  index: number;
  tools: Tool[];
  /** Needs to plan. */
  length: number;
  persona: Persona;
  date: string;
  /** Seeds every model call of the dialogue, so a rerun asks the same questions (and hits the cache). */
  seed: number;
}

export interface StepRecord {
  /** Where the step stands (or would have stood) in `messages`. */
  at: number;
  need: number;
  reply: AssistantReply;
  samples: number;
  consistent: boolean;
  accepted: boolean;
  reason?: RejectionReason;
  problems: StepProblem[];
  judge?: JudgeNote;
}

export type DialogueStatus = 'complete' | 'rejected' | 'stopped';

export interface DialogueRecord extends StreamRecord {
  index: number;
  status: DialogueStatus;
  /** Why a `stopped` dialogue ended early (a role gave nothing usable, too many steps). */
  stop?: string;
  tools: Tool[];
  plan: Plan;
  persona: Persona;
  date: string;
  /** The verified dialogue: every assistant turn in it was accepted. */
  messages: Message[];
  steps: StepRecord[];
}

export interface DialogueDeps {
  roles: Roles;
  judge: Judge;
  /** Tries per role call after the first when a role gives nothing usable. */
  retries: number;
  /** Assistant steps one user turn may take (calls, results, calls …) before the dialogue stops. */
  maxStepsPerTurn: number;
  /** A plan to use when the planner gives nothing usable. */
  fallbackPlan(spec: DialogueSpec): Plan;
  signal?: AbortSignal;
}

function seedOf(spec: DialogueSpec, label: string): number {
  return hashString(label, spec.seed);
}

async function withRetries<T>(deps: DialogueDeps, call: (attempt: number) => Promise<RoleResult<T>>): Promise<RoleResult<T>> {
  let last: RoleResult<T> = { ok: false, error: 'not tried' };
  for (let attempt = 0; attempt <= deps.retries; attempt++) {
    deps.signal?.throwIfAborted();
    last = await call(attempt);
    if (last.ok) return last;
  }
  return last;
}

function assistantMessage(reply: AssistantReply): Message {
  return reply.kind === 'calls' ? { role: 'assistant', toolCalls: reply.calls } : { role: 'assistant', content: reply.text };
}

export async function runDialogue(spec: DialogueSpec, deps: DialogueDeps): Promise<DialogueRecord> {
  const { roles } = deps;
  const signal = deps.signal ? { signal: deps.signal } : {};
  const planned = await withRetries(deps, (attempt) => roles.planner.plan({ tools: spec.tools, length: spec.length, date: spec.date, seed: seedOf(spec, `planner#${attempt}`), ...signal }));
  const plan = planned.ok ? planned.value : deps.fallbackPlan(spec);
  const messages: Message[] = [];
  const steps: StepRecord[] = [];
  const record = (status: DialogueStatus, stop?: string): DialogueRecord => ({
    id: spec.id,
    index: spec.index,
    status,
    ...(stop !== undefined ? { stop } : {}),
    tools: spec.tools,
    plan,
    persona: spec.persona,
    date: spec.date,
    messages,
    steps,
  });
  const year = Number(spec.date.slice(0, 4)) || new Date().getUTCFullYear();
  let turn = 0;
  for (let need = 0; need < plan.steps.length; need++) {
    const step: PlanStep = plan.steps[need]!;
    for (let answering = false; ; answering = true) {
      const said = await withRetries(deps, (attempt) =>
        roles.user.turn({ tools: spec.tools, plan, step: need, answering, messages, persona: spec.persona, date: spec.date, seed: seedOf(spec, `user:${turn}#${attempt}`), ...signal }),
      );
      if (!said.ok) return record('stopped', `user: ${said.error}`);
      messages.push({ role: 'user', content: said.value });
      turn++;
      let reference: Label | undefined = answering ? step.script?.expectedAfterAnswer : step.script?.expected;
      let first: AssistantReply | undefined;
      for (let n = 0; ; n++) {
        if (n === deps.maxStepsPerTurn) return record('stopped', `assistant: still calling after ${n} steps`);
        const at = messages.length;
        const outcome = await sampleConsistently((i) => roles.assistant.reply({ tools: spec.tools, messages, seed: seedOf(spec, `assistant:${at}:${i}`), ...signal }));
        const verdict = await verifyStep({ id: `${spec.id}-m${at}`, outcome, tools: spec.tools, messages, year, judge: deps.judge, ...(reference ? { reference } : {}) });
        reference = undefined;
        steps.push({
          at,
          need,
          reply: outcome.chosen,
          samples: outcome.candidates.length,
          consistent: outcome.consistent,
          accepted: verdict.accepted,
          ...(verdict.reason ? { reason: verdict.reason } : {}),
          problems: verdict.problems,
          ...(verdict.judge ? { judge: verdict.judge } : {}),
        });
        if (!verdict.accepted) return record('rejected');
        const reply = outcome.chosen;
        first ??= reply;
        messages.push(assistantMessage(reply));
        if (reply.kind !== 'calls') break;
        const calls = reply.calls;
        const ran = await withRetries(deps, (attempt) => roles.tool.run({ tools: spec.tools, calls, messages, seed: seedOf(spec, `tool:${at}#${attempt}`), ...signal }));
        if (!ran.ok) return record('stopped', `tool: ${ran.error}`);
        for (const o of ran.value) messages.push({ role: 'tool', name: o.name, content: dumpJson(o.result) });
      }
      // a clarify need answered at once in words is the assistant's question: the user answers it
      if (step.kind !== 'clarify' || answering || first?.kind !== 'text') break;
    }
  }
  return record('complete');
}
