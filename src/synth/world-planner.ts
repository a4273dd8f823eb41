/**
 * The embedded Planner, built from the world's scenario pieces: for each need it picks a
 * kind the offered world tools can serve, fills one of the tools' request templates
 * (the words and the calls they ask for come out together), and keeps both as the need's
 * script — what the templated user says and the answer verification weighs the
 * assistant's against. Offered tools that are not the world's are offered but never
 * planned for.
 */
import { Rng } from '../core/random.ts';
import type { Label, Tool, ToolCall } from '../core/types.ts';
import { isPlainObject, type Value, type ValueObject } from '../core/value.ts';
import { WORLD_CHAINS, WORLD_TOOLS, executeCall, worldTool } from '../world/catalog.ts';
import { IRRELEVANT_REPLIES, joinRequests } from '../world/phrasing.ts';
import { fillTemplate, parseTemplate, slotIsRequired, templateSlots, type FillOptions } from '../world/template.ts';
import type { WorldChain, WorldTool } from '../world/types.ts';
import type { NeedKind, Plan, Planner, PlannerInput, PlanStep, RoleResult } from './roles.ts';

/** How often each kind is planned when the tools allow it. */
export const WORLD_NEED_WEIGHTS: Readonly<Record<NeedKind, number>> = { single: 0.3, multi_step: 0.2, parallel: 0.15, clarify: 0.15, no_tool: 0.2 };

const SPLIT = 'seed';

/** Templates the seed split may use (the world keeps each tool's last one for its held-out test split). */
function templates(tool: WorldTool): string[] {
  return tool.templates.length < 4 ? [...tool.templates] : tool.templates.slice(0, -1);
}

function bareSlots(template: string): string[] {
  return templateSlots(parseTemplate(template)).required;
}

/** Required slots inside an optional segment of their own: leaving one out loses nothing else the call needs. */
function askableSlots(tool: WorldTool, template: string): string[] {
  return parseTemplate(template).flatMap((part) => {
    if (part.kind !== 'optional') return [];
    const slots = templateSlots(part.parts).required;
    return slots.length === 1 && slotIsRequired(tool, slots[0]!) ? slots : [];
  });
}

function parallelTemplates(tool: WorldTool): string[] {
  return tool.parallelSlot === undefined ? [] : templates(tool).filter((t) => bareSlots(t).includes(tool.parallelSlot!));
}

function calls(tool: WorldTool, args: readonly ValueObject[]): ToolCall[] {
  return args.map((a) => ({ name: tool.name, arguments: a }));
}

function runs(call: ToolCall): boolean {
  return executeCall(call).ok;
}

interface Drafted {
  need: string;
  request: string;
  expected: Label;
  answer?: string;
  expectedAfterAnswer?: Label;
}

function fill(tool: WorldTool, template: string, rng: Rng, options: FillOptions = {}): { text: string; calls: ToolCall[] } {
  const f = fillTemplate(tool, template, { rng, split: SPLIT }, options);
  return { text: f.text, calls: calls(tool, f.calls) };
}

function draftSingle(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  const tool = rng.pick(tools);
  const r = fill(tool, rng.pick(templates(tool)), rng);
  return r.calls.every(runs) ? { need: `one ${tool.name} call`, request: r.text, expected: { kind: 'calls', calls: r.calls } } : undefined;
}

function draftParallel(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  const able = tools.filter((t) => parallelTemplates(t).length > 0);
  if (able.length === 0) return undefined;
  const tool = rng.pick(able);
  const r = fill(tool, rng.pick(parallelTemplates(tool)), rng, { parallelCount: rng.int(2, 3) });
  if (r.calls.length < 2 || !r.calls.every(runs)) return undefined;
  return { need: `${r.calls.length} ${tool.name} calls at once`, request: r.text, expected: { kind: 'calls', calls: r.calls } };
}

/** A request whose second call needs the first one's result; the first call is what the assistant must make first. */
function draftChain(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  const names = new Set(tools.map((t) => t.name));
  const chains = WORLD_CHAINS.filter((c: WorldChain) => names.has(c.first) && names.has(c.then));
  if (chains.length === 0) return undefined;
  const chain = rng.pick(chains);
  const first = worldTool(chain.first)!;
  const r = fill(first, rng.pick(templates(first)), rng, { optionalRate: 0.3 });
  const run = executeCall(r.calls[0]!);
  if (!run.ok || chain.bind(run.result, r.calls[0]!.arguments) === undefined) return undefined;
  const then = worldTool(chain.then)!;
  const follow = fillTemplate(then, rng.pick(chain.templates), { rng, split: SPLIT }, { optionalRate: 0.3 });
  return { need: `${chain.first}, then ${chain.then} on its result`, request: `${r.text.replace(/[.?!]$/, '')} ${follow.text}`, expected: { kind: 'calls', calls: r.calls.slice(0, 1) } };
}

/** Two requests to two different tools in one turn. */
function draftTwoTools(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  if (tools.length < 2) return undefined;
  const [a, b] = rng.sample(tools, 2) as [WorldTool, WorldTool];
  const ra = fill(a, rng.pick(templates(a)), rng);
  const rb = fill(b, rng.pick(templates(b)), rng);
  const all = [...ra.calls, ...rb.calls];
  if (!all.every(runs)) return undefined;
  return { need: `${a.name} and ${b.name} in one request`, request: joinRequests(ra.text, rb.text, rng, SPLIT), expected: { kind: 'calls', calls: all } };
}

/**
 * A request that leaves out a required value, and the user's answer when asked. The
 * template is filled twice with the same values: once whole (the calls), once without
 * the asked-for slot (the request).
 */
function draftClarify(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  const able = tools.flatMap((t) => templates(t).flatMap((tp) => askableSlots(t, tp).map((slot) => ({ t, tp, slot }))));
  if (able.length === 0) return undefined;
  const { t: tool, tp, slot } = rng.pick(able);
  const whole = fillTemplate(tool, tp, { rng, split: SPLIT });
  const surfaces = whole.surfaces;
  if (surfaces[slot] === undefined) return undefined;
  const fixed: Record<string, { value: Value; text: string }> = {};
  for (const [s, text] of Object.entries(surfaces)) {
    const arg = tool.slots[s]!.arg;
    const value = arg.split('.').reduce<Value | undefined>((v, k) => (isPlainObject(v) ? v[k] : undefined), whole.calls[0]);
    if (value === undefined) return undefined;
    fixed[s] = { value, text };
  }
  const partial = fillTemplate(tool, tp, { rng, split: SPLIT }, { fixed, omit: new Set([slot]), optionalRate: 0 });
  const full = calls(tool, whole.calls);
  if (!full.every(runs)) return undefined;
  const answer = rng.pick([`${surfaces[slot]}.`, `It's ${surfaces[slot]}.`, `Oh, ${surfaces[slot]}, sorry.`, `Use ${surfaces[slot]}.`]);
  return {
    need: `${tool.name} without its ${tool.slots[slot]!.arg}, given when asked`,
    request: partial.text,
    expected: { kind: 'text', text: `Could you tell me the ${tool.slots[slot]!.arg}?` },
    answer,
    expectedAfterAnswer: { kind: 'calls', calls: full },
  };
}

/** A request for a world tool that is not offered (nor a look-alike of one that is). */
function draftNoTool(tools: readonly WorldTool[], rng: Rng): Drafted | undefined {
  const near = new Set(tools.flatMap((t) => [t.name, ...(t.lookAlike ? [t.lookAlike] : [])]));
  const others = WORLD_TOOLS.filter((t) => !near.has(t.name) && !(t.lookAlike && near.has(t.lookAlike)));
  if (others.length === 0) return undefined;
  const tool = rng.pick(others);
  const r = fill(tool, rng.pick(templates(tool)), rng);
  return { need: `something only ${tool.name} could do, which is not offered`, request: r.text, expected: { kind: 'text', text: rng.pick(IRRELEVANT_REPLIES) } };
}

const DRAFTERS: Record<NeedKind, (tools: readonly WorldTool[], rng: Rng) => Drafted | undefined> = {
  single: draftSingle,
  parallel: draftParallel,
  multi_step: (tools, rng) => (rng.chance(0.6) ? (draftChain(tools, rng) ?? draftTwoTools(tools, rng)) : (draftTwoTools(tools, rng) ?? draftChain(tools, rng))),
  clarify: draftClarify,
  no_tool: draftNoTool,
};

export class WorldPlanner implements Planner {
  readonly name = 'world';
  constructor(private readonly weights: Readonly<Record<NeedKind, number>> = WORLD_NEED_WEIGHTS) {}

  async plan(input: PlannerInput): Promise<RoleResult<Plan>> {
    const tools = input.tools.map((t: Tool) => worldTool(t.name)).filter((t): t is WorldTool => t !== undefined);
    if (tools.length === 0) return { ok: false, error: "none of the offered tools is one of the built-in world's, so the world cannot plan for them" };
    const rng = new Rng(input.seed);
    const steps: PlanStep[] = [];
    for (let i = 0; i < input.length; i++) {
      let drafted: Drafted | undefined;
      let kind: NeedKind = 'single';
      for (let tries = 0; drafted === undefined && tries < 12; tries++) {
        kind = rng.weighted(Object.entries(this.weights) as [NeedKind, number][]);
        drafted = DRAFTERS[kind](tools, rng);
      }
      if (drafted === undefined) return { ok: false, error: `no need could be drafted for ${tools.map((t) => t.name).join(', ')}` };
      const { need, request, expected, answer, expectedAfterAnswer } = drafted;
      steps.push({ kind, need, script: { request, expected, ...(answer !== undefined ? { answer } : {}), ...(expectedAfterAnswer ? { expectedAfterAnswer } : {}) } });
    }
    return { ok: true, value: { steps, source: this.name } };
  }
}
