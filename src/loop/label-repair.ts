/**
 * Label repair: where the judge finds both the label and the prediction wrong, the right
 * answer is often there in pieces — the label's calls with a value the prediction got
 * right, a number the label wrote as a string where the schema asks for a number, a call
 * the label lost and the prediction made, or, where the label calls a tool the request
 * never asked for, a text reply. Candidates are built from those pieces and one is kept
 * only when the assessment finds nothing wrong with it against either response; without
 * one the sample is dropped, as the paper's JGLV does with both-wrong pairs.
 */
import { validateToolCall } from '../check/schema.ts';
import type { Label, Sample, ToolCall } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { valueCandidates } from './value-candidates.ts';
import { assess, callKey, callKeyValue, context, groundedArgument, leaves, ownDefects, paramSchema, requested, requiredParams, unfitting, type Context, type RuleJudgeOptions } from './rule-assess.ts';

export const REFUSAL_TEXT = "None of the tools I have can do that, sorry.";

function askBackText(parameter: string): string {
  return `I need the ${parameter.replace(/_/g, ' ')} first. Could you tell me?`;
}

/** The label the judge holds right when neither response is, or undefined when it cannot build one it finds nothing wrong with. */
export function repairLabel(sample: Sample, label: Label, prediction: Label, options: RuleJudgeOptions = {}): Label | undefined {
  const ctx = context(sample, options);
  const candidates: Label[] = [];
  if (label.kind === 'calls') {
    const merged = mergeCalls(label.calls, prediction.kind === 'calls' ? prediction.calls : [], ctx, false);
    if (merged) candidates.push({ kind: 'calls', calls: merged });
  }
  if (label.kind === 'calls') {
    const filled = fillMissingRequired(label.calls, ctx);
    if (filled) candidates.push({ kind: 'calls', calls: filled });
  }
  if (prediction.kind === 'calls') {
    const own = mergeCalls(prediction.calls, [], ctx, true);
    if (own) candidates.push({ kind: 'calls', calls: own });
  }
  // a text reply only where every call of the label is made up (no value from the conversation)
  // for a tool nothing asks for or one the prediction did not reach for
  const reachedFor = new Set(prediction.kind === 'calls' ? prediction.calls.map((c) => c.name) : []);
  if (label.kind === 'calls' && label.calls.length > 0 && label.calls.every((c) => madeUp(c, ctx) && (unfitting([c], ctx).length > 0 || !reachedFor.has(c.name)))) {
    candidates.push(...textReplies(prediction, ctx));
  }
  const seen = new Set([labelKey(label), labelKey(prediction)]);
  for (const c of candidates) {
    const key = labelKey(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (assess(sample, c, label, options).label.length === 0 && assess(sample, c, prediction, options).label.length === 0) return c;
  }
  return undefined;
}

/**
 * The calls with each required argument they lack filled in, where the request offers
 * exactly one value of its type that no call uses yet (`valueCandidates`); undefined when
 * nothing is lacking or a lacking value has no single candidate.
 */
function fillMissingRequired(calls: readonly ToolCall[], ctx: Context): ToolCall[] | undefined {
  const used = new Set(leaves(calls.map((c) => c.arguments)));
  let filledAny = false;
  const out: ToolCall[] = [];
  for (const call of calls) {
    const tool = ctx.tools.get(call.name);
    const args: Record<string, Value> = { ...call.arguments };
    for (const name of requiredParams(tool)) {
      if (name in args) continue;
      const schema = paramSchema(tool, name);
      if (!schema) return undefined;
      const fresh = valueCandidates(schema, ctx.lastUser, ctx.recent, (v) => leaves(v).every((l) => !used.has(l)));
      if (fresh.length !== 1) return undefined;
      args[name] = fresh[0]!;
      for (const l of leaves(fresh[0]!)) used.add(l);
      filledAny = true;
    }
    out.push({ ...call, arguments: args });
  }
  return filledAny ? out : undefined;
}

/** Any text reply scores as any other, so one key stands for them all. */
function labelKey(label: Label): string {
  return label.kind === 'text' ? 'text' : label.calls.map(callKey).join('\n');
}

/** A call with arguments none of which the conversation gives. */
function madeUp(call: ToolCall, ctx: Context): boolean {
  const values = Object.entries(call.arguments);
  return values.length > 0 && values.every(([name, v]) => !groundedArgument(call.name, name, v, ctx));
}

/** A question for the required values an offered tool the prediction reached for lacks, then a refusal. */
function textReplies(prediction: Label, ctx: Context): Label[] {
  const out: Label[] = [];
  if (prediction.kind === 'calls') {
    for (const call of prediction.calls) {
      const tool = ctx.tools.get(call.name);
      if (!tool) continue;
      const lacking = requiredParams(tool).filter((name) => !(name in call.arguments) || !usable(call.name, name, call.arguments[name]!, ctx));
      if (lacking.length > 0) out.push({ kind: 'text', text: askBackText(lacking[0]!) });
    }
  }
  out.push({ kind: 'text', text: REFUSAL_TEXT });
  return out;
}

/** A value of the right type for the parameter that the conversation gives. */
function usable(callName: string, name: string, value: Value, ctx: Context): boolean {
  if (!paramSchema(ctx.tools.get(callName), name)) return false;
  if (validateToolCall({ name: callName, arguments: { [name]: value } }, ctx.sample.tools).some((v) => v.kind !== 'missing_required')) return false;
  return groundedArgument(callName, name, value, ctx);
}

/** The value as the schema's type asks for it, where it was written as a string ("1588" for an integer, "true" for a boolean). */
function coerced(callName: string, name: string, value: Value, ctx: Context): Value | undefined {
  if (typeof value !== 'string') return undefined;
  const type = paramSchema(ctx.tools.get(callName), name)?.['type'];
  const v = value.trim();
  if ((type === 'number' || type === 'integer') && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return undefined;
}

/** Pairs each of `mine` with an unpaired call of `theirs` to the same tool, the one sharing most values. */
function pairCalls(mine: readonly ToolCall[], theirs: readonly ToolCall[]): (ToolCall | undefined)[] {
  const free = [...theirs];
  const pairs: (ToolCall | undefined)[] = mine.map(() => undefined);
  mine.forEach((x, i) => {
    const j = free.findIndex((y) => callKey(y) === callKey(x));
    if (j >= 0) pairs[i] = free.splice(j, 1)[0];
  });
  mine.forEach((x, i) => {
    if (pairs[i]) return;
    let best = -1;
    let bestScore = -1;
    free.forEach((y, j) => {
      if (y.name !== x.name) return;
      const ys = leaves(y.arguments);
      const score = leaves(x.arguments).filter((l) => ys.includes(l)).length;
      if (score > bestScore) [best, bestScore] = [j, score];
    });
    if (best >= 0) pairs[i] = free.splice(best, 1)[0];
  });
  return pairs;
}

/**
 * `mine` mended argument by argument with `theirs`: a value that is made up or of the
 * wrong type is replaced by the paired call's usable one (else coerced to its type, else
 * left out when optional); a value the user gave that `mine` lacks is taken over; a value
 * used twice in `mine` where the pair has one `mine` lacks is swapped (a value put in the
 * wrong slot); calls of `theirs` for a part of the request `mine` has nothing of join.
 * A made-up value with nothing to replace it is left out with `dropMadeUp` (for a
 * model's answer, which adds values nobody asked for) or where the paired call does
 * without the argument; otherwise it stands for a value the user gave and the merge
 * fails, as it does when a required value cannot be found.
 */
function mergeCalls(mine: readonly ToolCall[], theirs: readonly ToolCall[], ctx: Context, dropMadeUp: boolean): ToolCall[] | undefined {
  const pairs = pairCalls(mine, theirs);
  const mineLeaves = leaves(mine.map((c) => c.arguments));
  const out: ToolCall[] = [];
  for (let i = 0; i < mine.length; i++) {
    const call = mine[i]!;
    const pair = pairs[i];
    if (!ctx.tools.has(call.name)) return undefined;
    const args: Record<string, Value> = {};
    const names = new Set([...Object.keys(call.arguments), ...Object.keys(pair?.arguments ?? {})]);
    for (const name of names) {
      const own = call.arguments[name];
      const other = pair?.arguments[name];
      const otherUsable = other !== undefined && usable(call.name, name, other, ctx);
      if (own === undefined) {
        if (otherUsable && requested(pair!, name, other, ctx) && leaves(other).some((l) => !mineLeaves.includes(l))) args[name] = other;
        continue;
      }
      if (!usable(call.name, name, own, ctx)) {
        const fixed = otherUsable ? other : coerced(call.name, name, own, ctx);
        if (fixed !== undefined && usable(call.name, name, fixed, ctx)) args[name] = fixed;
        else if (!dropMadeUp && (pair === undefined || other !== undefined)) return undefined;
        continue;
      }
      const twice = mineLeaves.filter((l) => leaves(own).includes(l)).length > leaves(own).length;
      if (otherUsable && callKeyValue(own) !== callKeyValue(other) && twice && requested(pair!, name, other, ctx) && leaves(other).every((l) => !mineLeaves.includes(l))) args[name] = other;
      else args[name] = own;
    }
    out.push({ ...call, arguments: args });
  }
  const paired = new Set(pairs.filter((p): p is ToolCall => p !== undefined));
  for (const extra of theirs) {
    if (paired.has(extra) || !ctx.tools.has(extra.name)) continue;
    const args: Record<string, Value> = {};
    for (const [name, v] of Object.entries(extra.arguments)) if (usable(extra.name, name, v, ctx)) args[name] = v;
    const call = { ...extra, arguments: args };
    // only a call for a part of the request `mine` has nothing of
    const asked = Object.entries(args).filter(([name, v]) => requested(call, name, v, ctx));
    if (asked.length > 0 && asked.every(([, v]) => leaves(v).every((l) => !mineLeaves.includes(l)))) out.push(call);
  }
  if (out.length === 0) return undefined;
  return ownDefects(out, ctx).length === 0 ? out : undefined;
}
