/**
 * The four roles of dialogue synthesis (after the LoopTool release's
 * dialog_generation/data_crawl.py): a Planner writes the user's numbered needs for a tool
 * subset, a User speaks them turn by turn, an Assistant calls tools or replies, and a
 * Tool answers the calls. Each role is an interface so an LLM, the built-in world or a
 * user's own executor can play it; what a role gets back from a model is hostile input,
 * so every role returns a typed failure instead of throwing on it.
 */
import type { Label, Message, Tool, ToolCall } from '../core/types.ts';
import type { Value } from '../core/value.ts';

/** What a user need asks of the assistant. */
export const NEED_KINDS = ['single', 'multi_step', 'parallel', 'clarify', 'no_tool'] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

/** Words a scripted user says for a need, and what a right answer looks like (when the planner knows). */
export interface NeedScript {
  request: string;
  /** For `clarify`: the user's reply once the assistant asks for what the request left out. */
  answer?: string;
  /** The right first answer to `request`, and for `clarify` the right answer after `answer`. */
  expected?: Label;
  expectedAfterAnswer?: Label;
}

export interface PlanStep {
  kind: NeedKind;
  /** The need in words, as the planner wrote it. */
  need: string;
  script?: NeedScript;
}

export interface Plan {
  steps: PlanStep[];
  /** Which planner made it (`fallback` when the planner gave nothing usable). */
  source: string;
}

export type RoleResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Per-call context every role gets: a seed for sampling (the same seed asks a model the same question) and the stop signal. */
export interface RoleCall {
  seed: number;
  signal?: AbortSignal;
}

export interface Persona {
  who: string;
  style: string;
}

export interface PlannerInput extends RoleCall {
  tools: readonly Tool[];
  /** Needs to plan. */
  length: number;
  date: string;
}

export interface Planner {
  readonly name: string;
  plan(input: PlannerInput): Promise<RoleResult<Plan>>;
}

export interface UserInput extends RoleCall {
  tools: readonly Tool[];
  plan: Plan;
  /** The need this turn serves (index into plan.steps). */
  step: number;
  /** True when the turn answers the assistant's question about the current need. */
  answering: boolean;
  messages: readonly Message[];
  persona: Persona;
  date: string;
}

export interface User {
  readonly name: string;
  turn(input: UserInput): Promise<RoleResult<string>>;
}

export interface AssistantInput extends RoleCall {
  tools: readonly Tool[];
  messages: readonly Message[];
}

/** One sampled assistant turn: calls, a text reply, or text that tried to call and did not parse. */
export type AssistantReply =
  | { kind: 'calls'; calls: ToolCall[]; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'unparsed'; text: string; error: string };

export interface Assistant {
  readonly name: string;
  reply(input: AssistantInput): Promise<AssistantReply>;
}

export interface ToolInput extends RoleCall {
  tools: readonly Tool[];
  calls: readonly ToolCall[];
  messages: readonly Message[];
}

/** One call's outcome, in call order: a result or an error the tool reported. */
export interface ToolOutcome {
  name: string;
  result: Value;
}

export interface ToolRole {
  readonly name: string;
  run(input: ToolInput): Promise<RoleResult<ToolOutcome[]>>;
}

export interface Roles {
  planner: Planner;
  user: User;
  assistant: Assistant;
  tool: ToolRole;
}

/** Sampling of a role played by a `ChatModel`; each role has its own defaults. */
export interface LlmRoleOptions {
  /** Sampling temperature: the assistant's self-consistency needs samples that can differ. */
  temperature?: number;
  maxTokens?: number;
}
