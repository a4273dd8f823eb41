/**
 * Typical mistakes of a tool-calling model, for checking that a judge does not blame a
 * clean label when the model is the one that erred: the noise kinds applied to a
 * prediction, plus a text reply where a call was due, a mistyped value and a repeated call.
 */
import type { Rng } from '../core/random.ts';
import type { Label, Sample } from '../core/types.ts';
import { injectNoise, NOISE_KINDS } from './noise.ts';

export const MISTAKE_KINDS = [...NOISE_KINDS, 'declines', 'typo_value', 'repeated_call'] as const;
export type MistakeKind = (typeof MISTAKE_KINDS)[number];

export interface ModelMistake {
  kind: MistakeKind;
  prediction: Label;
}

function typo(sample: Sample, rng: Rng): Label | undefined {
  if (sample.label.kind !== 'calls') return undefined;
  const calls = sample.label.calls.map((c) => ({ name: c.name, arguments: structuredClone(c.arguments) }));
  for (const call of rng.shuffle(calls)) {
    for (const [k, v] of Object.entries(call.arguments)) {
      if (typeof v !== 'string' || v.length < 4 || /^\d{4}-\d{2}-\d{2}$/.test(v)) continue;
      call.arguments[k] = rng.chance(0.5) ? v.slice(0, -1) : v.slice(0, 1) + v.slice(2);
      return { kind: 'calls', calls };
    }
  }
  return undefined;
}

/** One mistake of the given kind on the sample's (clean) label, or undefined when the kind does not fit. */
export function makeMistake(sample: Sample, kind: MistakeKind, rng: Rng): ModelMistake | undefined {
  if (kind === 'declines') {
    return sample.label.kind === 'calls' ? { kind, prediction: { kind: 'text', text: "Sorry, I can't help with that." } } : undefined;
  }
  if (kind === 'typo_value') {
    const p = typo(sample, rng);
    return p ? { kind, prediction: p } : undefined;
  }
  if (kind === 'repeated_call') {
    if (sample.label.kind !== 'calls') return undefined;
    return { kind, prediction: { kind: 'calls', calls: [...sample.label.calls, sample.label.calls[0]!] } };
  }
  const m = injectNoise(sample, kind, rng);
  return m ? { kind, prediction: m.label } : undefined;
}
