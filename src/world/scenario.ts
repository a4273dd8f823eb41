/**
 * One sample of the world from a scenario: a kind (single, parallel, …), the tools the
 * answer calls, the tools offered beside them, the user's words and the clean label. The
 * seed generator draws scenarios at random; the template expander asks for scenarios
 * shaped like a failure.
 */
import { dumpJson } from '../core/json.ts';
import { Rng, hashString } from '../core/random.ts';
import type { Label, Message, Sample, Tool, ToolCall } from '../core/types.ts';
import type { Value, ValueObject } from '../core/value.ts';
import { WORLD_CHAINS, WORLD_TOOLS, executeCall, lookAlikeFamily, toolSpec, worldTool } from './catalog.ts';
import { IRRELEVANT_REPLIES, SUMMARY_REPLIES, applyWrapper, asOwnRequest, askBackReply, joinRequests, wrappersFor } from './phrasing.ts';
import { fillTemplate, parseTemplate, slotIsRequired, templateSlots, type FillOptions } from './template.ts';
import type { FillContext, SampleKind, Split, ValueDraw, WorldChain, WorldTool } from './types.ts';
import { WORLD_YEAR } from './values.ts';

export interface ScenarioRequest {
  kind: SampleKind;
  /** Tools the answer calls (the first two for `multiple`); drawn at random when absent. */
  tools?: readonly string[];
  /** Tools to offer besides the ones the answer needs (the error pattern's look-alike, say). */
  distractors?: readonly string[];
}

export interface WorldSample {
  sample: Sample;
  /** Phrasing instances used: core template plus wrapper, one per request in the sample. */
  phrasings: string[];
  /** Every argument value of the sample, canonically ordered: with `phrasings`, what makes two samples the same. */
  valueKey: string;
}

interface Utterance {
  text: string;
  phrasing: string;
  opensWithValue: boolean;
}

/** Templates a split may use: the last one of each tool is kept for the test split's unseen phrasings. */
function templatesFor(tool: WorldTool, split: Split): number[] {
  const all = tool.templates.map((_, i) => i);
  return split === 'test' || all.length < 4 ? all : all.slice(0, -1);
}

function pickTemplate(tool: WorldTool, split: Split, rng: Rng, accept: (template: string) => boolean = () => true): number | undefined {
  const ok = templatesFor(tool, split).filter((i) => accept(tool.templates[i]!));
  return ok.length === 0 ? undefined : rng.pick(ok);
}

class Builder {
  readonly phrasings: string[] = [];
  readonly values: Value[] = [];
  constructor(
    readonly rng: Rng,
    readonly split: Split,
    /** See `FillContext.invent` and `FillContext.allValues`. */
    readonly draw: ValueDraw = {},
  ) {}

  fillContext(): FillContext {
    const ctx: FillContext = { rng: this.rng, split: this.split };
    if (this.draw.invent) ctx.invent = this.draw.invent;
    if (this.draw.allValues) ctx.allValues = true;
    return ctx;
  }

  /** Fills one tool request; `null` when no template of the tool fits the constraint. */
  request(tool: WorldTool, options: FillOptions & { accept?: (t: string) => boolean } = {}): { utterance: Utterance; calls: ToolCall[] } | null {
    const ti = pickTemplate(tool, this.split, this.rng, options.accept);
    if (ti === undefined) return null;
    const template = tool.templates[ti]!;
    const filled = fillTemplate(tool, template, this.fillContext(), options);
    const calls = filled.calls.map((args) => ({ name: tool.name, arguments: args }));
    for (const c of calls) this.values.push(c.arguments);
    return { utterance: { text: filled.text, phrasing: `${tool.name}#${ti}`, opensWithValue: /^\[?\{/.test(template) }, calls };
  }

  /** Dresses a request with a greeting or closing of this split and records the phrasing instance. */
  dress(u: Utterance): string {
    const wrappers = wrappersFor(this.split);
    const wi = this.rng.int(0, wrappers.length - 1);
    const w = wrappers[wi]!;
    this.phrasings.push(`${u.phrasing}|${this.split}:${wi}`);
    return applyWrapper(u.text, w, u.opensWithValue);
  }
}

function hasBareSlot(template: string, slot: string): boolean {
  return templateSlots(parseTemplate(template)).required.includes(slot);
}

/** A required slot written inside an optional segment: leaving it out makes an ask-back request. */
function askableSlots(tool: WorldTool, template: string): string[] {
  return templateSlots(parseTemplate(template)).optional.filter((s) => slotIsRequired(tool, s));
}

function run(call: ToolCall): Value | undefined {
  const r = executeCall(call);
  return r.ok ? r.result : undefined;
}

function toolsWithout(excluded: ReadonlySet<string>): WorldTool[] {
  return WORLD_TOOLS.filter((t) => !excluded.has(t.name));
}

/** How many tools a sample offers (the needed ones count; they are never left out). */
export interface ToolCount {
  min: number;
  max: number;
}

export const DEFAULT_TOOL_COUNT: ToolCount = { min: 2, max: 8 };

/** Tools to offer: the needed ones, their look-alikes most of the time, and others up to `count` in all. */
function offerTools(needed: readonly WorldTool[], extra: readonly string[], rng: Rng, exclude: ReadonlySet<string>, count: ToolCount): Tool[] {
  const names = new Set(needed.map((t) => t.name));
  for (const e of extra) if (worldTool(e) && !exclude.has(e) && names.size < count.max) names.add(e);
  for (const t of needed) if (t.lookAlike && !exclude.has(t.lookAlike) && rng.chance(0.7) && names.size < count.max) names.add(t.lookAlike);
  const target = Math.max(names.size, rng.int(Math.max(count.min, names.size), Math.max(count.max, names.size)));
  const domain = needed[0]?.domain;
  const pool = toolsWithout(new Set([...names, ...exclude]));
  const sameDomain = pool.filter((t) => t.domain === domain);
  for (const t of rng.shuffle(rng.chance(0.5) ? [...sameDomain, ...pool] : pool)) {
    if (names.size >= target) break;
    names.add(t.name);
  }
  return rng.shuffle([...names]).map((n) => toolSpec(worldTool(n)!));
}

function randomTool(rng: Rng, accept: (t: WorldTool) => boolean = () => true): WorldTool | undefined {
  const ok = WORLD_TOOLS.filter(accept);
  return ok.length === 0 ? undefined : rng.pick(ok);
}

function requested(request: ScenarioRequest, i: number, rng: Rng, accept: (t: WorldTool) => boolean = () => true): WorldTool | undefined {
  const name = request.tools?.[i];
  if (name !== undefined) {
    const t = worldTool(name);
    return t && accept(t) ? t : undefined;
  }
  return randomTool(rng, accept);
}

const canParallel = (t: WorldTool): boolean => t.parallelSlot !== undefined && t.templates.some((tp) => hasBareSlot(tp, t.parallelSlot!));

interface Draft {
  messages: Message[];
  label: Label;
  needed: WorldTool[];
  exclude?: Set<string>;
}

function draftSingle(b: Builder, request: ScenarioRequest): Draft | null {
  const tool = requested(request, 0, b.rng);
  const r = tool && b.request(tool);
  if (!tool || !r) return null;
  return { messages: [{ role: 'user', content: b.dress(r.utterance) }], label: { kind: 'calls', calls: r.calls }, needed: [tool] };
}

function draftParallel(b: Builder, request: ScenarioRequest): Draft | null {
  const tool = requested(request, 0, b.rng, canParallel);
  if (!tool) return null;
  const r = b.request(tool, { parallelCount: b.rng.int(2, 3), accept: (t) => hasBareSlot(t, tool.parallelSlot!) });
  if (!r || r.calls.length < 2) return null;
  return { messages: [{ role: 'user', content: b.dress(r.utterance) }], label: { kind: 'calls', calls: r.calls }, needed: [tool] };
}

function draftMultiple(b: Builder, request: ScenarioRequest, parallelFirst: boolean): Draft | null {
  const first = requested(request, 0, b.rng, parallelFirst ? canParallel : () => true);
  if (!first) return null;
  const family = lookAlikeFamily(first.name);
  const second = requested(request, 1, b.rng, (t) => !family.has(t.name) && (b.rng.chance(0.5) || t.domain === first.domain));
  if (!second) return null;
  const r1 = parallelFirst ? b.request(first, { parallelCount: 2, accept: (t) => hasBareSlot(t, first.parallelSlot!) }) : b.request(first);
  const r2 = b.request(second);
  if (!r1 || !r2 || (parallelFirst && r1.calls.length < 2)) return null;
  const joined = joinRequests(r1.utterance.text, r2.utterance.text, b.rng, b.split, r2.utterance.opensWithValue);
  const text = b.dress({ text: joined, phrasing: `${r1.utterance.phrasing}+${r2.utterance.phrasing}`, opensWithValue: r1.utterance.opensWithValue });
  return { messages: [{ role: 'user', content: text }], label: { kind: 'calls', calls: [...r1.calls, ...r2.calls] }, needed: [first, second] };
}

function draftIrrelevance(b: Builder, request: ScenarioRequest): Draft | null {
  const tool = requested(request, 0, b.rng);
  const r = tool && b.request(tool);
  if (!tool || !r) return null;
  const exclude = lookAlikeFamily(tool.name);
  return { messages: [{ role: 'user', content: b.dress(r.utterance) }], label: { kind: 'text', text: b.rng.pick(IRRELEVANT_REPLIES) }, needed: [], exclude };
}

function draftAskBack(b: Builder, request: ScenarioRequest): Draft | null {
  const tool = requested(request, 0, b.rng, (t) => t.templates.some((tp) => askableSlots(t, tp).length > 0));
  if (!tool) return null;
  const ti = pickTemplate(tool, b.split, b.rng, (tp) => askableSlots(tool, tp).length > 0);
  if (ti === undefined) return null;
  const missing = b.rng.pick(askableSlots(tool, tool.templates[ti]!));
  const r = b.request(tool, { omit: new Set([missing]), accept: (tp) => tp === tool.templates[ti] });
  if (!r) return null;
  const param = tool.params[tool.slots[missing]!.arg.split('.')[0]!]!;
  return { messages: [{ role: 'user', content: b.dress(r.utterance) }], label: { kind: 'text', text: askBackReply(param.description, b.rng) }, needed: [tool] };
}

function chainFor(b: Builder, request: ScenarioRequest): WorldChain | undefined {
  const wanted = request.tools;
  const ok = WORLD_CHAINS.filter((c) => wanted === undefined || wanted.length === 0 || c.then === wanted[0] || c.first === wanted[0]);
  return ok.length === 0 ? undefined : b.rng.pick(ok);
}

/** The follow-up call of a chain, bound from the first call's real result. */
function followUp(b: Builder, chain: WorldChain, firstCall: ToolCall, result: Value): { text: string; call: ToolCall } | null {
  const bound = chain.bind(result, firstCall.arguments);
  if (bound === undefined) return null;
  const then = worldTool(chain.then)!;
  const ti = b.rng.int(0, chain.templates.length - 1);
  const filled = fillTemplate(then, chain.templates[ti]!, b.fillContext(), { optionalRate: 0.3 });
  const args: ValueObject = { ...filled.calls[0]!, ...bound };
  const call = { name: then.name, arguments: args };
  if (run(call) === undefined) return null;
  b.values.push(args);
  b.phrasings.push(`chain:${chain.first}>${chain.then}#${ti}`);
  return { text: filled.text, call };
}

function draftMultiTurn(b: Builder, request: ScenarioRequest): Draft | null {
  const chain = b.rng.chance(0.7) ? chainFor(b, request) : undefined;
  if (chain) {
    const first = worldTool(chain.first)!;
    const r = b.request(first, { optionalRate: 0.3 });
    if (!r) return null;
    const result = run(r.calls[0]!);
    if (result === undefined) return null;
    const next = followUp(b, chain, r.calls[0]!, result);
    if (!next) return null;
    const messages: Message[] = [];
    if (b.rng.chance(0.5)) {
      // one turn: "find … and book the cheapest one" → call, result, dependent call
      const head = b.dress(r.utterance).replace(/[.?!]$/, '');
      messages.push({ role: 'user', content: `${head} ${next.text}` }, { role: 'assistant', toolCalls: r.calls }, { role: 'tool', name: first.name, content: dumpJson(result) });
    } else {
      messages.push(
        { role: 'user', content: b.dress(r.utterance) },
        { role: 'assistant', toolCalls: r.calls },
        { role: 'tool', name: first.name, content: dumpJson(result) },
        { role: 'assistant', content: b.rng.pick(SUMMARY_REPLIES) },
        { role: 'user', content: b.dress({ text: asOwnRequest(next.text), phrasing: `chain:${chain.first}>${chain.then}`, opensWithValue: false }) },
      );
    }
    return { messages, label: { kind: 'calls', calls: [next.call] }, needed: [first, worldTool(chain.then)!] };
  }
  // an earlier, finished exchange, then an unrelated request
  const earlier = randomTool(b.rng);
  const now = requested(request, 0, b.rng);
  if (!earlier || !now) return null;
  const r1 = b.request(earlier);
  if (!r1) return null;
  const results = r1.calls.map(run);
  if (results.some((x) => x === undefined)) return null;
  const r2 = b.request(now);
  if (!r2) return null;
  const messages: Message[] = [
    { role: 'user', content: b.dress(r1.utterance) },
    { role: 'assistant', toolCalls: r1.calls },
    ...results.map((x): Message => ({ role: 'tool', name: earlier.name, content: dumpJson(x!) })),
    { role: 'assistant', content: b.rng.pick(SUMMARY_REPLIES) },
    { role: 'user', content: b.dress(r2.utterance) },
  ];
  return { messages, label: { kind: 'calls', calls: r2.calls }, needed: [now, earlier] };
}

function draft(b: Builder, request: ScenarioRequest): Draft | null {
  switch (request.kind) {
    case 'single':
      return draftSingle(b, request);
    case 'parallel':
      return draftParallel(b, request);
    case 'multiple':
      return draftMultiple(b, request, false);
    case 'parallel_multiple':
      return draftMultiple(b, request, true);
    case 'irrelevance':
      return draftIrrelevance(b, request);
    case 'ask_back':
      return draftAskBack(b, request);
    case 'multi_turn':
      return draftMultiTurn(b, request);
  }
}

function canonicalValues(values: readonly Value[]): string {
  return values.map((v) => dumpJson(v, { sortKeys: true })).sort().join('\u0001');
}

/**
 * Builds one sample for a scenario, or undefined when the scenario cannot be met (a tool
 * with no parallel phrasing asked to be parallel, say). Draws only from `rng`.
 */
export function composeScenario(id: string, request: ScenarioRequest, rng: Rng, split: Split, toolCount: ToolCount = DEFAULT_TOOL_COUNT, draw: ValueDraw = {}): WorldSample | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const b = new Builder(attempt === 0 ? rng : rng.fork(attempt), split, draw);
    const d = draft(b, request);
    if (!d) continue;
    // invented values name no entity of the world, so their calls may not execute: pretraining data
    // only needs them copied right
    if (!b.draw.invent && d.label.kind === 'calls' && d.label.calls.some((c) => run(c) === undefined)) continue;
    const tools = offerTools(d.needed, request.distractors ?? [], b.rng, d.exclude ?? new Set(), toolCount);
    const month = b.rng.int(1, 12);
    const date = `${WORLD_YEAR}-${String(month).padStart(2, '0')}-${String(b.rng.int(1, 28)).padStart(2, '0')}`;
    const domains = [...new Set(d.needed.map((t) => t.domain))];
    const sample: Sample = {
      id,
      tools,
      messages: d.messages,
      label: d.label,
      provenance: { source: 'seed', round: 0, labelHistory: [] },
      meta: { kind: request.kind, split, date, domains, phrasings: b.phrasings },
    };
    return { sample, phrasings: b.phrasings, valueKey: canonicalValues(b.values) };
  }
  return undefined;
}

/** A per-sample generator: the same (seed, split, index) always gives the same sample, whatever else is generated. */
export function sampleRng(seed: number, split: Split, index: number): Rng {
  return new Rng(hashString(`${split}:${index}`, seed >>> 0));
}
