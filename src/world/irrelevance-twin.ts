/**
 * Irrelevance twins: a single-call sample's request again, with the tool it needs (and
 * the tools it could be mistaken for) taken out of the list, answered with a refusal.
 * Trained beside the sample itself, the pair differs only in the list, so the list is
 * what decides between calling and refusing — the one thing the world's own irrelevance
 * samples, whose requests differ from every call sample's, leave a model free to ignore.
 */
import type { Rng } from '../core/random.ts';
import type { Sample } from '../core/types.ts';
import { WORLD_TOOLS, lookAlikeFamily, toolSpec, worldTool } from './catalog.ts';
import { IRRELEVANT_REPLIES } from './phrasing.ts';

/**
 * The twin of a one-turn, one-call sample, or undefined for any other sample. When the
 * list holds nothing but the needed tool and its look-alikes, one tool of another
 * domain stands in, so the twin still offers a tool to refuse.
 */
export function irrelevanceTwin(sample: Sample, rng: Rng): Sample | undefined {
  const { label, messages } = sample;
  if (label.kind !== 'calls' || label.calls.length !== 1 || messages.length !== 1 || messages[0]!.role !== 'user') return undefined;
  const needed = label.calls[0]!.name;
  const excluded = lookAlikeFamily(needed);
  let tools = sample.tools.filter((t) => !excluded.has(t.name));
  if (tools.length === 0) {
    const domain = worldTool(needed)?.domain;
    const others = WORLD_TOOLS.filter((t) => t.domain !== domain && !excluded.has(t.name));
    if (others.length === 0) return undefined;
    tools = [toolSpec(rng.pick(others))];
  }
  return {
    ...sample,
    id: `${sample.id}-twin`,
    tools,
    label: { kind: 'text', text: rng.pick(IRRELEVANT_REPLIES) },
    ...(sample.meta ? { meta: { ...sample.meta, kind: 'irrelevance', domains: [] } } : {}),
  };
}
