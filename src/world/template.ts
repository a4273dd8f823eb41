/**
 * Filling a tool's request template: `{slot}` placeholders take values from their
 * sources, `[ … ]` segments are kept or left out, and the result is the user's words plus
 * the arguments those words ask for.
 */
import { isPlainObject, type Value, type ValueObject } from '../core/value.ts';
import type { FillContext, ParamSpec, WorldTool } from './types.ts';
import { joinList } from './values.ts';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'slot'; slot: string } | { kind: 'optional'; parts: TemplatePart[] };

/** Splits a template into text, slots and optional segments (one level of brackets). */
export function parseTemplate(template: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  let current = out;
  let outer: TemplatePart[] | undefined;
  const re = /\{([A-Za-z_][A-Za-z0-9_]*)\}|\[|\]/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) current.push({ kind: 'text', text: template.slice(last, m.index) });
    last = m.index + m[0].length;
    if (m[1] !== undefined) current.push({ kind: 'slot', slot: m[1] });
    else if (m[0] === '[') {
      if (outer !== undefined) throw new Error(`nested [ in template "${template}"`);
      const seg: TemplatePart = { kind: 'optional', parts: [] };
      current.push(seg);
      outer = current;
      current = seg.parts;
    } else {
      if (outer === undefined) throw new Error(`unbalanced ] in template "${template}"`);
      current = outer;
      outer = undefined;
    }
  }
  if (outer !== undefined) throw new Error(`unclosed [ in template "${template}"`);
  if (last < template.length) current.push({ kind: 'text', text: template.slice(last) });
  return out;
}

export function templateSlots(parts: readonly TemplatePart[]): { required: string[]; optional: string[] } {
  const required: string[] = [];
  const optional: string[] = [];
  for (const p of parts) {
    if (p.kind === 'slot') required.push(p.slot);
    else if (p.kind === 'optional') for (const q of p.parts) if (q.kind === 'slot') optional.push(q.slot);
  }
  return { required, optional };
}

export interface FillOptions {
  /** Slots to leave out (their segment is dropped): the ask-back sample's missing information. */
  omit?: ReadonlySet<string>;
  /** Chance that an optional segment holding only optional parameters is written. */
  optionalRate?: number;
  /** Values for the tool's parallel slot: one call per value, the text lists them all. */
  parallelCount?: number;
  /** Values fixed in advance (by slot), for example bound from an earlier tool result. */
  fixed?: Readonly<Record<string, { value: Value; text: string }>>;
}

export interface FilledRequest {
  text: string;
  /** One argument object per call (several for a parallel request). */
  calls: ValueObject[];
  /** Slot → the words used for it, for noise and grounding diagnostics. */
  surfaces: Record<string, string>;
}

export function setPath(target: ValueObject, path: string, value: Value): void {
  const keys = path.split('.');
  let obj = target;
  for (const k of keys.slice(0, -1)) {
    const next = obj[k];
    if (!isPlainObject(next)) obj[k] = {};
    obj = obj[k] as ValueObject;
  }
  obj[keys[keys.length - 1]!] = value;
}

function requiredArgs(tool: WorldTool): Set<string> {
  return new Set(tool.required);
}

/** Whether a slot feeds a required top-level parameter. */
export function slotIsRequired(tool: WorldTool, slot: string): boolean {
  const spec = tool.slots[slot];
  return spec !== undefined && requiredArgs(tool).has(spec.arg.split('.')[0]!);
}

/** The parameter schema an argument path leads to (`reminder.minutes` inside an object parameter). */
function paramAt(tool: WorldTool, path: string): ParamSpec | undefined {
  const [top, ...rest] = path.split('.');
  let spec: ParamSpec | undefined = tool.params[top!];
  for (const k of rest) spec = spec?.properties?.[k];
  return spec;
}

/** An enum's values cannot be invented: slots of enum parameters draw without `invent`. */
function slotContext(tool: WorldTool, arg: string, ctx: FillContext): FillContext {
  if (!ctx.invent) return ctx;
  const spec = paramAt(tool, arg);
  if (spec?.enum === undefined && spec?.items?.enum === undefined) return ctx;
  const { invent: _, ...rest } = ctx;
  return rest;
}

/** Fills one template. Throws only on a malformed catalog entry (a slot without a spec). */
export function fillTemplate(tool: WorldTool, template: string, ctx: FillContext, options: FillOptions = {}): FilledRequest {
  const parts = parseTemplate(template);
  const omit = options.omit ?? new Set<string>();
  const optionalRate = options.optionalRate ?? 0.5;
  const shared: ValueObject = {};
  const surfaces: Record<string, string> = {};
  let parallelValues: Value[] | undefined;

  const fillSlot = (slot: string): string => {
    const spec = tool.slots[slot];
    if (spec === undefined) throw new Error(`tool ${tool.name}: template slot {${slot}} has no spec`);
    const fixed = options.fixed?.[slot];
    if (fixed !== undefined) {
      setPath(shared, spec.arg, fixed.value);
      surfaces[slot] = fixed.text;
      return fixed.text;
    }
    if (slot === tool.parallelSlot && (options.parallelCount ?? 1) > 1) {
      const values: Value[] = [];
      const texts: string[] = [];
      for (let tries = 0; values.length < options.parallelCount! && tries < 50; tries++) {
        const f = spec.source(slotContext(tool, spec.arg, ctx));
        if (values.some((v) => JSON.stringify(v) === JSON.stringify(f.value))) continue;
        values.push(f.value);
        texts.push(f.text);
      }
      parallelValues = values;
      surfaces[slot] = joinList(texts);
      return surfaces[slot]!;
    }
    const f = spec.source(slotContext(tool, spec.arg, ctx));
    setPath(shared, spec.arg, f.value);
    for (const [path, v] of Object.entries(f.also ?? {})) setPath(shared, path, v);
    surfaces[slot] = f.text;
    return f.text;
  };

  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'slot') text += fillSlot(part.slot);
    else {
      const slots = part.parts.filter((p): p is { kind: 'slot'; slot: string } => p.kind === 'slot').map((p) => p.slot);
      if (slots.some((s) => omit.has(s))) continue;
      const keep = slots.some((s) => slotIsRequired(tool, s) || options.fixed?.[s] !== undefined) || ctx.rng.chance(optionalRate);
      if (!keep) continue;
      for (const p of part.parts) text += p.kind === 'text' ? p.text : p.kind === 'slot' ? fillSlot(p.slot) : '';
    }
  }
  text = tidy(text);
  const spec = tool.parallelSlot !== undefined ? tool.slots[tool.parallelSlot] : undefined;
  const calls =
    parallelValues !== undefined && spec !== undefined
      ? parallelValues.map((v) => {
          const args = structuredClone(shared);
          setPath(args, spec.arg, v);
          return orderArgs(tool, args);
        })
      : [orderArgs(tool, shared)];
  return { text, calls, surfaces };
}

/** Arguments in the order the tool declares its parameters, as a careful labeller writes them. */
function orderArgs(tool: WorldTool, args: ValueObject): ValueObject {
  const out: ValueObject = {};
  for (const name of Object.keys(tool.params)) if (name in args) out[name] = args[name]!;
  for (const [k, v] of Object.entries(args)) if (!(k in out)) out[k] = v;
  return out;
}

/** Collapses the spaces and stray punctuation left where a segment was dropped. */
export function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.?!])/g, '$1')
    .replace(/,([.?!])/g, '$1')
    .trim();
}
