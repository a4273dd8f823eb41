/**
 * Label noise of known kinds, the mistakes a data-generating model makes: a hallucinated
 * value, a value put in the wrong slot, the look-alike function, a missing or extra
 * argument, a number written as a string, a dropped call of a parallel set, a call where a
 * text reply was right. The truth is written aside (noise.jsonl) and never read by the loop.
 */
import type { Rng } from '../core/random.ts';
import type { Label, Sample, ToolCall } from '../core/types.ts';
import { PyFloat, isPlainObject, type Value, type ValueObject } from '../core/value.ts';
import { worldTool } from './catalog.ts';
import type { WorldTool } from './types.ts';

export const NOISE_KINDS = ['wrong_value', 'wrong_slot', 'wrong_function', 'missing_argument', 'extra_argument', 'wrong_type', 'dropped_call', 'spurious_call'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** One injected error: which sample, what kind, the clean and the noisy label. */
export interface NoiseRecord {
  id: string;
  kind: NoiseKind;
  clean: Label;
  noisy: Label;
  detail: string;
}

type Mutation = { label: Label; detail: string } | undefined;

function cloneCalls(calls: readonly ToolCall[]): ToolCall[] {
  return calls.map((c) => ({ name: c.name, arguments: structuredClone(c.arguments) }));
}

function conversationText(sample: Sample): string {
  return sample.messages.map((m) => ('content' in m && typeof m.content === 'string' ? m.content : '')).join('\n').toLowerCase();
}

/** A value of the same type that the conversation does not mention: what a labeller invents. */
function inventValue(tool: WorldTool | undefined, arg: string, old: Value, sample: Sample, rng: Rng): Value | undefined {
  const text = conversationText(sample);
  const slot = tool && Object.values(tool.slots).find((s) => s.arg === arg);
  const fallback = tool?.params[arg]?.default;
  const isDefault = (v: Value): boolean => fallback !== undefined && JSON.stringify(v) === JSON.stringify(fallback);
  for (let i = 0; i < 12 && slot; i++) {
    const f = slot.source({ rng, split: 'seed' });
    const fresh = f.value;
    if (JSON.stringify(fresh) === JSON.stringify(old) || isDefault(fresh)) continue;
    if (typeof fresh === 'string' && text.includes(fresh.toLowerCase())) continue;
    if (typeof fresh === 'number' && text.includes(String(fresh))) continue;
    if (Array.isArray(fresh) || isPlainObject(fresh)) continue;
    return fresh;
  }
  if (typeof old === 'number') {
    const delta = Math.max(1, Math.round(Math.abs(old) * 0.2)) * (rng.chance(0.5) ? 1 : -1);
    const v = Number.isInteger(old) ? old + delta : Math.round((old + delta + 0.35) * 100) / 100;
    return text.includes(String(v)) || isDefault(v) ? undefined : v;
  }
  return undefined;
}

function scalarArgs(call: ToolCall): string[] {
  return Object.entries(call.arguments)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k]) => k);
}

function wrongValue(sample: Sample, calls: ToolCall[], rng: Rng): Mutation {
  for (const ci of rng.shuffle(calls.map((_, i) => i))) {
    const call = calls[ci]!;
    for (const arg of rng.shuffle(scalarArgs(call))) {
      const fresh = inventValue(worldTool(call.name), arg, call.arguments[arg]!, sample, rng);
      if (fresh === undefined) continue;
      const old = call.arguments[arg]!;
      call.arguments[arg] = fresh;
      return { label: { kind: 'calls', calls }, detail: `${call.name}.${arg}: ${JSON.stringify(old)} → ${JSON.stringify(fresh)}` };
    }
  }
  return undefined;
}

function wrongSlot(calls: ToolCall[], rng: Rng): Mutation {
  for (const call of rng.shuffle(calls)) {
    const entries = Object.entries(call.arguments).filter(([, v]) => typeof v === 'string' || typeof v === 'number');
    for (const [a, va] of rng.shuffle(entries)) {
      const donor = entries.find(([b, vb]) => b !== a && typeof vb === typeof va && JSON.stringify(vb) !== JSON.stringify(va));
      if (!donor) continue;
      const tool = worldTool(call.name);
      const schema = tool?.params[a];
      if (schema?.enum && !schema.enum.includes(String(donor[1]))) continue;
      call.arguments[a] = donor[1];
      return { label: { kind: 'calls', calls }, detail: `${call.name}.${a} took ${donor[0]}'s value ${JSON.stringify(donor[1])}` };
    }
  }
  // across calls of a parallel set: the second call repeats the first's value
  if (calls.length >= 2 && calls[0]!.name === calls[1]!.name) {
    for (const [k, v] of Object.entries(calls[0]!.arguments)) {
      if (JSON.stringify(calls[1]!.arguments[k]) !== JSON.stringify(v)) {
        calls[1]!.arguments[k] = structuredClone(v);
        return { label: { kind: 'calls', calls }, detail: `second ${calls[1]!.name} call took the first call's ${k}` };
      }
    }
  }
  return undefined;
}

function wrongFunction(sample: Sample, calls: ToolCall[], rng: Rng): Mutation {
  const offered = new Set(sample.tools.map((t) => t.name));
  for (const call of rng.shuffle(calls)) {
    const tool = worldTool(call.name);
    const other = tool?.lookAlike ? worldTool(tool.lookAlike) : undefined;
    if (!other || !offered.has(other.name)) continue;
    const args: ValueObject = {};
    for (const [k, v] of Object.entries(call.arguments)) if (k in other.params) args[k] = v;
    if (!other.required.every((r) => r in args)) continue;
    const old = call.name;
    call.name = other.name;
    call.arguments = args;
    return { label: { kind: 'calls', calls }, detail: `${old} → ${other.name}` };
  }
  return undefined;
}

function missingArgument(calls: ToolCall[], rng: Rng): Mutation {
  for (const call of rng.shuffle(calls)) {
    const tool = worldTool(call.name);
    // leaving out a value equal to the default changes nothing: not an error
    const keys = Object.keys(call.arguments).filter((k) => JSON.stringify(call.arguments[k]) !== JSON.stringify(tool?.params[k]?.default));
    if (keys.length === 0) continue;
    const optional = keys.filter((k) => !tool?.required.includes(k));
    const k = optional.length > 0 && rng.chance(0.6) ? rng.pick(optional) : rng.pick(keys);
    delete call.arguments[k];
    return { label: { kind: 'calls', calls }, detail: `${call.name} lost ${tool?.required.includes(k) ? 'required' : 'optional'} ${k}` };
  }
  return undefined;
}

/** An optional parameter the user never asked for, set to something other than its default. */
function extraArgument(sample: Sample, calls: ToolCall[], rng: Rng): Mutation {
  for (const call of rng.shuffle(calls)) {
    const tool = worldTool(call.name);
    if (!tool) continue;
    for (const [name, spec] of rng.shuffle(Object.entries(tool.params))) {
      if (name in call.arguments || tool.required.includes(name)) continue;
      let v: Value | undefined;
      if (spec.type === 'boolean') v = spec.default === true ? false : true;
      else if (spec.enum) v = spec.enum.find((e) => e !== spec.default && !conversationText(sample).includes(e.toLowerCase()));
      else v = inventValue(tool, name, spec.default ?? null, sample, rng);
      if (v === undefined || (spec.type === 'boolean' && v === false)) continue;
      call.arguments[name] = v;
      return { label: { kind: 'calls', calls }, detail: `${call.name} gained ${name}=${JSON.stringify(v)}` };
    }
  }
  return undefined;
}

function wrongType(calls: ToolCall[], rng: Rng): Mutation {
  for (const call of rng.shuffle(calls)) {
    for (const [k, v] of rng.shuffle(Object.entries(call.arguments))) {
      if (typeof v === 'number' || v instanceof PyFloat || typeof v === 'boolean') {
        call.arguments[k] = String(v instanceof PyFloat ? v.value : v);
        return { label: { kind: 'calls', calls }, detail: `${call.name}.${k}: ${JSON.stringify(v instanceof PyFloat ? v.value : v)} written as a string` };
      }
    }
  }
  return undefined;
}

function droppedCall(calls: ToolCall[], rng: Rng): Mutation {
  if (calls.length < 2) return undefined;
  const i = rng.int(0, calls.length - 1);
  const [gone] = calls.splice(i, 1);
  return { label: { kind: 'calls', calls }, detail: `dropped ${gone!.name}(${JSON.stringify(gone!.arguments)})` };
}

/** A call instead of the right text reply: the asked-about tool with a guessed value, or an offered tool that does not fit. */
function spuriousCall(sample: Sample, rng: Rng): Mutation {
  const offered = sample.tools.map((t) => worldTool(t.name)).filter((t): t is WorldTool => t !== undefined);
  for (const tool of rng.shuffle(offered)) {
    const args: ValueObject = {};
    for (const slot of Object.values(tool.slots)) {
      const top = slot.arg.split('.')[0]!;
      if (!tool.required.includes(top) || top in args) continue;
      if (slot.arg.includes('.')) continue;
      const f = slot.source({ rng, split: 'seed' });
      const text = conversationText(sample);
      if (typeof f.value === 'string' && text.includes(f.value.toLowerCase())) continue;
      args[top] = f.value;
    }
    if (!tool.required.every((r) => r in args)) continue;
    return { label: { kind: 'calls', calls: [{ name: tool.name, arguments: args }] }, detail: `text reply replaced by ${tool.name}(${JSON.stringify(args)})` };
  }
  return undefined;
}

/** Applies one kind of noise; undefined when the kind does not fit the sample (no parallel set to drop from, say). */
export function injectNoise(sample: Sample, kind: NoiseKind, rng: Rng): Mutation {
  const label = sample.label;
  if (kind === 'spurious_call') return label.kind === 'text' ? spuriousCall(sample, rng) : undefined;
  if (label.kind !== 'calls') return undefined;
  const calls = cloneCalls(label.calls);
  switch (kind) {
    case 'wrong_value':
      return wrongValue(sample, calls, rng);
    case 'wrong_slot':
      return wrongSlot(calls, rng);
    case 'wrong_function':
      return wrongFunction(sample, calls, rng);
    case 'missing_argument':
      return missingArgument(calls, rng);
    case 'extra_argument':
      return extraArgument(sample, calls, rng);
    case 'wrong_type':
      return wrongType(calls, rng);
    case 'dropped_call':
      return droppedCall(calls, rng);
  }
}

/** With probability `rate`, corrupts the label with a kind drawn among those that fit; returns the truth record. */
export function maybeCorrupt(sample: Sample, rate: number, rng: Rng): NoiseRecord | undefined {
  if (!rng.chance(rate)) return undefined;
  for (const kind of rng.shuffle(NOISE_KINDS)) {
    const m = injectNoise(sample, kind, rng);
    if (m === undefined) continue;
    return { id: sample.id, kind, clean: sample.label, noisy: m.label, detail: m.detail };
  }
  return undefined;
}
