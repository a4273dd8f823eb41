/**
 * The rule judge's assessment: what is wrong with each of two responses, from what an
 * LLM judge would see (tools, conversation, the two responses) and the world's
 * executors. Each response is checked for schema validity, arguments grounded in the
 * conversation, successful execution and no duplicates; then the two are compared: a
 * value the user gave that one response leaves out, and, where they call different tools
 * for the same request, which tool's description the request's words fit better.
 */
import { contentWords, hasWord } from '../check/words.ts';
import { groundingIndex, isGrounded, type GroundingIndex } from '../check/grounding.ts';
import { validateToolCall } from '../check/schema.ts';
import { dumpJson } from '../core/json.ts';
import type { Label, Message, Sample, Tool, ToolCall } from '../core/types.ts';
import { PyFloat, isPlainObject, type Value } from '../core/value.ts';

export type CallExecutor = (call: ToolCall) => { ok: true; result: Value } | { ok: false; error: string };

export interface RuleJudgeOptions {
  /** Runs a call; the world's executors for the embedded default. Without it, execution is not checked. */
  execute?: CallExecutor;
  /** Year for dates written without one. */
  year?: number;
}

export type DefectKind = 'schema' | 'execution' | 'ungrounded' | 'duplicate' | 'misses_value' | 'wrong_tool' | 'extra_call' | 'unfitting_tool' | 'should_call';

export interface Defect {
  kind: DefectKind;
  message: string;
  /** For `ungrounded` and `schema`: the problem is a required argument the request does not give. */
  missingInformation?: boolean;
  /** For `unfitting_tool`: the tool called. */
  call?: string;
}

/** Defects that make a call list wrong on its own, whatever it is compared with. */
const HARD: ReadonlySet<DefectKind> = new Set(['schema', 'execution', 'ungrounded', 'duplicate', 'unfitting_tool']);

export interface Context {
  sample: Sample;
  all: GroundingIndex;
  /** The last user turn and what followed it: where the current request's values live. */
  recent: GroundingIndex;
  lastUser: string;
  tools: Map<string, Tool>;
  options: RuleJudgeOptions;
}

function lastUserIndex(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return i;
  return 0;
}

export function context(sample: Sample, options: RuleJudgeOptions): Context {
  const year = options.year ?? 2026;
  const at = lastUserIndex(sample.messages);
  const last = sample.messages[at];
  return {
    sample,
    all: groundingIndex(sample.messages, year),
    recent: groundingIndex(sample.messages.slice(at), year),
    lastUser: last && last.role === 'user' ? last.content : '',
    tools: new Map(sample.tools.map((t) => [t.name, t])),
    options,
  };
}

export function paramSchema(tool: Tool | undefined, name: string): Record<string, Value> | undefined {
  const props = tool?.parameters['properties'];
  const p = isPlainObject(props) ? props[name] : undefined;
  return isPlainObject(p) ? p : undefined;
}

/** Leaves of a value in a comparable form. */
export function leaves(v: Value, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (isPlainObject(v)) for (const x of Object.values(v)) leaves(x, out);
  else if (v instanceof PyFloat) out.push(`n:${v.value}`);
  else if (typeof v === 'number') out.push(`n:${v}`);
  else if (typeof v === 'string') out.push(/^-?\d+(\.\d+)?$/.test(v.trim()) ? `n:${Number(v)}` : `s:${v.trim().toLowerCase()}`);
  else out.push(`v:${JSON.stringify(v)}`);
  return out;
}

function show(v: Value): string {
  return dumpJson(v);
}

export function callKey(c: ToolCall): string {
  return dumpJson({ name: c.name, arguments: c.arguments }, { sortKeys: true });
}

export function requiredParams(tool: Tool | undefined): string[] {
  const r = tool?.parameters['required'];
  return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether the conversation gives `value` for the parameter, or it is the parameter's default. */
export function groundedArgument(callName: string, name: string, value: Value, ctx: Context): boolean {
  return isGrounded(value, ctx.all, { name, default: paramSchema(ctx.tools.get(callName), name)?.['default'] });
}

/** Problems a call list has on its own. */
export function ownDefects(calls: readonly ToolCall[], ctx: Context): Defect[] {
  const out: Defect[] = [];
  const seen = new Set<string>();
  for (const call of calls) {
    const key = callKey(call);
    if (seen.has(key)) out.push({ kind: 'duplicate', message: `${call.name} is called twice with the same arguments` });
    seen.add(key);
    const violations = validateToolCall(call, ctx.sample.tools);
    for (const v of violations) out.push({ kind: 'schema', message: `${call.name}: ${v.path} ${v.message}`, missingInformation: v.kind === 'missing_required' });
    const required = new Set(requiredParams(ctx.tools.get(call.name)));
    for (const [name, value] of Object.entries(call.arguments)) {
      if (!groundedArgument(call.name, name, value, ctx)) out.push({ kind: 'ungrounded', message: `${call.name}.${name} = ${show(value)} appears nowhere in the conversation`, missingInformation: required.has(name) });
    }
    if (violations.length === 0 && ctx.options.execute) {
      const run = ctx.options.execute(call);
      if (!run.ok) out.push({ kind: 'execution', message: `${call.name} fails when run: ${run.error}` });
    }
  }
  return out;
}

function sharedPairs(x: ToolCall, y: ToolCall): number {
  let n = 0;
  for (const [k, v] of Object.entries(x.arguments)) if (k in y.arguments && callKeyValue(v) === callKeyValue(y.arguments[k]!)) n++;
  return n;
}

export function callKeyValue(v: Value): string {
  return leaves(v).join('\u0001');
}

/** A value the user gave for the current request (written in the last turn or in a result since), not just a default. */
export function requested(call: ToolCall, name: string, value: Value, ctx: Context): boolean {
  const schema = paramSchema(ctx.tools.get(call.name), name);
  if (schema?.['default'] !== undefined && JSON.stringify(schema['default']) === JSON.stringify(value)) return false;
  // an empty list or object, or null, is nothing the user said
  if (leaves(value).every((l) => l === 'v:null')) return false;
  // strict: a value only an article could have given ("a" for 1) is too weak to accuse the other response with;
  // with the default, as when a response is checked alone, a flag switched away from it needs a word for it
  return isGrounded(value, ctx.recent, { name, strict: true, default: schema?.['default'] });
}

/** What `mine` leaves out of the request that `theirs` (the same tool, or its stand-in) covers. */
function missing(mine: ToolCall, theirs: ToolCall, mineAll: ReadonlySet<string>, ctx: Context): Defect[] {
  const out: Defect[] = [];
  const theirTool = ctx.tools.get(theirs.name);
  for (const [name, value] of Object.entries(theirs.arguments)) {
    // an argument the function does not take is their schema defect, not something this response lacks
    if (theirTool && paramSchema(theirTool, name) === undefined) continue;
    if (!requested(theirs, name, value, ctx)) continue;
    const own = mine.arguments[name];
    const absent = own === undefined && mine.name === theirs.name;
    const lost = leaves(value).some((l) => !mineAll.has(l));
    if (absent || (own !== undefined && callKeyValue(own) !== callKeyValue(value) && lost) || (own === undefined && lost)) {
      out.push({ kind: 'misses_value', message: `${mine.name} leaves out ${name} = ${show(value)}, which the user gave` });
    }
  }
  return out;
}

/** The sentence of the last user turn that mentions a call's values (the whole turn when none does). */
function clauseFor(call: ToolCall, ctx: Context): string {
  const sentences = ctx.lastUser.split(/(?<=[.?!])\s+|\b(?:Also|Additionally|Plus|Then|After that|On top of that),?\s/);
  const values = leaves(call.arguments)
    .filter((l) => l.startsWith('s:'))
    .map((l) => l.slice(2));
  for (const s of sentences) {
    const lower = s?.toLowerCase() ?? '';
    if (values.some((v) => v.length > 1 && lower.includes(v))) return s!;
  }
  return ctx.lastUser;
}

function toolWords(tool: Tool | undefined, name: string): Set<string> {
  return contentWords(`${name} ${tool?.description ?? ''}`);
}

/** Words of the request that speak for `a` and not for `b`. */
function distinctiveFit(request: Set<string>, a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of request) if (hasWord(a, w) && !hasWord(b, w)) n++;
  return n;
}

/**
 * Lines the two call lists up (equal calls, then the same tool, then calls sharing values)
 * and finds, for each side, what the other shows it got wrong: values the user gave and it
 * left out, the worse-fitting of two look-alike tools, a call the request asks for that it
 * lacks, or one it makes that nothing asks for.
 */
function compareCalls(a: readonly ToolCall[], b: readonly ToolCall[], ctx: Context): [Defect[], Defect[]] {
  const da: Defect[] = [];
  const db: Defect[] = [];
  const restA = [...a];
  const restB = [...b];
  for (let i = restA.length - 1; i >= 0; i--) {
    const j = restB.findIndex((y) => callKey(y) === callKey(restA[i]!));
    if (j >= 0) {
      restA.splice(i, 1);
      restB.splice(j, 1);
    }
  }
  const leavesA = new Set(a.flatMap((c) => leaves(c.arguments)));
  const leavesB = new Set(b.flatMap((c) => leaves(c.arguments)));
  const pairs: [ToolCall, ToolCall][] = [];
  for (const sameName of [true, false]) {
    for (let i = 0; i < restA.length; i++) {
      const x = restA[i]!;
      let best = -1;
      let bestScore = -1;
      restB.forEach((y, j) => {
        if ((y.name === x.name) !== sameName) return;
        const score = sharedPairs(x, y) + leaves(y.arguments).filter((l) => leaves(x.arguments).includes(l)).length;
        if (score > bestScore) [best, bestScore] = [j, score];
      });
      if (best < 0 || (!sameName && bestScore === 0 && (restA.length > 1 || restB.length > 1))) continue;
      pairs.push([x, restB[best]!]);
      restA.splice(i--, 1);
      restB.splice(best, 1);
    }
  }
  for (const [x, y] of pairs) {
    da.push(...missing(x, y, leavesA, ctx));
    db.push(...missing(y, x, leavesB, ctx));
    if (x.name === y.name) continue;
    const clause = contentWords(clauseFor(x, ctx));
    const xs = toolWords(ctx.tools.get(x.name), x.name);
    const ys = toolWords(ctx.tools.get(y.name), y.name);
    const forX = distinctiveFit(clause, xs, ys);
    const forY = distinctiveFit(clause, ys, xs);
    if (forX > forY) db.push({ kind: 'wrong_tool', message: `calls ${y.name} where the request fits ${x.name}` });
    else if (forY > forX) da.push({ kind: 'wrong_tool', message: `calls ${x.name} where the request fits ${y.name}` });
  }
  const request = contentWords(ctx.lastUser);
  const leftovers = (extra: ToolCall[], other: readonly ToolCall[], otherLeaves: ReadonlySet<string>, dOther: Defect[], dExtra: Defect[]): void => {
    const otherWords = new Set(other.flatMap((c) => [...toolWords(ctx.tools.get(c.name), c.name)]));
    for (const o of extra) {
      const lost = Object.entries(o.arguments).filter(([k, v]) => requested(o, k, v, ctx) && leaves(v).some((l) => !otherLeaves.has(l)));
      if (lost.length > 0) {
        for (const [k, v] of lost) dOther.push({ kind: 'misses_value', message: `leaves out ${o.name}'s ${k} = ${show(v)}, which the user gave` });
      } else if (!other.some((c) => c.name === o.name) && distinctiveFit(request, toolWords(ctx.tools.get(o.name), o.name), otherWords) > 0) {
        dOther.push({ kind: 'misses_value', message: `makes no ${o.name} call, which the request asks for` });
      } else dExtra.push({ kind: 'extra_call', message: `calls ${o.name}(${dumpJson(o.arguments)}), which the request does not ask for` });
    }
  };
  leftovers(restB, a, leavesA, da, db);
  leftovers(restA, b, leavesB, db, da);
  return [da, db];
}

/**
 * How much the request (its values left out) speaks for a tool: each of its words that
 * the tool's name or description shares counts 1 / (offered tools sharing it), so a word
 * every tool has says little. A call whose tool scores under ½ (no word shared by at most
 * two offered tools) does not fit the request.
 */
export function unfitting(calls: readonly ToolCall[], ctx: Context): Defect[] {
  const values = new Set<string>();
  for (const v of leaves(calls.flatMap((c) => Object.values(c.arguments)))) for (const w of contentWords(v.slice(2))) values.add(w);
  const request = [...contentWords(ctx.lastUser)].filter((w) => !values.has(w));
  const offered = ctx.sample.tools.map((t) => toolWords(t, t.name));
  const out: Defect[] = [];
  for (const call of calls) {
    const words = toolWords(ctx.tools.get(call.name), call.name);
    let score = 0;
    for (const w of request) if (hasWord(words, w)) score += 1 / Math.max(1, offered.filter((o) => hasWord(o, w)).length);
    if (score < 0.5) out.push({ kind: 'unfitting_tool', message: `nothing in the request asks for ${call.name}`, call: call.name });
  }
  return out;
}

export interface Assessment {
  label: Defect[];
  prediction: Defect[];
}

/** The defects of both responses, each judged alone and against the other. */
export function assess(sample: Sample, label: Label, prediction: Label, options: RuleJudgeOptions = {}): Assessment {
  const ctx = context(sample, options);
  if (label.kind === 'calls' && prediction.kind === 'calls') {
    const [l, p] = compareCalls(label.calls, prediction.calls, ctx);
    return { label: [...ownDefects(label.calls, ctx), ...l], prediction: [...ownDefects(prediction.calls, ctx), ...p] };
  }
  if (label.kind === 'text' && prediction.kind === 'text') return { label: [], prediction: [] };
  const calls = label.kind === 'calls' ? label.calls : (prediction as Extract<Label, { kind: 'calls' }>).calls;
  const unfitDefects = unfitting(calls, ctx);
  const callDefects = [...ownDefects(calls, ctx), ...unfitDefects];
  const text = label.kind === 'text' ? label.text : (prediction as Extract<Label, { kind: 'text' }>).text;
  // A text reply is right in two cases only: no offered tool fits the request (a refusal),
  // or the call needs information the user has not given (a question back). Calls that
  // are merely wrong — a bad value, a failed run — make the text no better.
  // A refusal is right when none of the calls is an offered tool the request fits; a call
  // to a tool that is not offered says nothing for any offered one.
  const unfit = new Set(unfitDefects.map((d) => d.call));
  const noToolFits = calls.every((c) => !ctx.tools.has(c.name) || unfit.has(c.name));
  const asksBack = /\?/.test(text) && callDefects.some((d) => d.missingInformation === true);
  const textDefects: Defect[] =
    noToolFits || asksBack
      ? []
      : [
          {
            kind: 'should_call',
            message: callDefects.some((d) => HARD.has(d.kind)) ? 'replies in text, but the request needs a call (the call given is wrong, not unwanted)' : 'replies in text where a fitting call with arguments from the conversation was possible',
          },
        ];
  return label.kind === 'calls' ? { label: callDefects, prediction: textDefects } : { label: textDefects, prediction: callDefects };
}

/** The problems a label has on its own (no second response to compare with): for validating generated samples. */
export function labelDefects(sample: Sample, label: Label, options: RuleJudgeOptions = {}): Defect[] {
  if (label.kind === 'text') return [];
  const ctx = context(sample, options);
  return ownDefects(label.calls, ctx);
}
