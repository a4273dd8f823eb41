/**
 * What each dialogue is about, drawn from its index and the run's seed alone: the tool
 * subset, how many needs, the user's persona, and the seed of its model calls. The same
 * index always gives the same dialogue, so a resumed run redoes exactly the unfinished
 * ones.
 */
import { Rng, hashString } from '../core/random.ts';
import type { Tool } from '../core/types.ts';
import type { DialogueSpec } from './dialogue.ts';
import { drawPersona } from './personas.ts';
import { NEED_KINDS, type Plan } from './roles.ts';

export interface Range {
  min: number;
  max: number;
}

export interface SpecSettings {
  seed: number;
  /** Tools offered per dialogue (capped by the tool set's size). */
  toolsPerDialogue: Range;
  /** User needs per dialogue. */
  needs: Range;
  date: string;
}

export function dialogueId(index: number): string {
  return `d${String(index).padStart(6, '0')}`;
}

export function dialogueSpec(index: number, toolSet: readonly Tool[], settings: SpecSettings): DialogueSpec {
  const rng = new Rng(hashString(`dialogue:${index}`, settings.seed >>> 0));
  const max = Math.min(settings.toolsPerDialogue.max, toolSet.length);
  const min = Math.min(settings.toolsPerDialogue.min, max);
  const tools = rng.sample(toolSet, rng.int(min, max));
  return { id: dialogueId(index), index, tools, length: rng.int(settings.needs.min, settings.needs.max), persona: drawPersona(rng.fork('persona')), date: settings.date, seed: rng.int(0, 0x7fffffff) };
}

/** A plan from the dialogue's seed when the planner gave none: kinds at random, each need naming a tool's purpose. */
export function fallbackPlan(spec: DialogueSpec): Plan {
  const rng = new Rng(hashString('fallback-plan', spec.seed));
  const steps = Array.from({ length: spec.length }, () => {
    const kind = rng.pick(NEED_KINDS);
    const tool = rng.pick(spec.tools);
    const purpose = tool.description ?? tool.name.replace(/[_-]+/g, ' ');
    return { kind, need: kind === 'no_tool' ? 'something none of the tools can do' : `a request for: ${purpose}` };
  });
  return { steps, source: 'fallback' };
}
