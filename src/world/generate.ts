/**
 * The world's data: `base` (clean, for the base model's SFT), `seed` (the loop's training
 * data, with label noise at a set rate) and `test` (clean, held out, unseen phrasings),
 * plus the noise truth kept aside.
 */
import { Rng, hashString } from '../core/random.ts';
import type { Sample } from '../core/types.ts';
import { maybeCorrupt, type NoiseRecord } from './noise.ts';
import { composeScenario, DEFAULT_TOOL_COUNT, sampleRng, type ToolCount } from './scenario.ts';
import { SAMPLE_KINDS, type SampleKind, type Split, type ValueDraw } from './types.ts';

/** The default mix of sample kinds, close to the paper's seed data: calls dominate, a fifth are text replies. */
export const DEFAULT_KIND_WEIGHTS: Readonly<Record<SampleKind, number>> = {
  single: 0.26,
  parallel: 0.12,
  multiple: 0.12,
  parallel_multiple: 0.07,
  irrelevance: 0.11,
  ask_back: 0.1,
  multi_turn: 0.22,
};

export interface GenerateOptions {
  seed: number;
  /** Size of the seed split. */
  n: number;
  /** Size of the base split (default: n). */
  base?: number;
  /** Size of the test split (default: n / 5, at least 100). */
  test?: number;
  /** Share of seed labels corrupted (default 0.15). */
  noise?: number;
  kinds?: Readonly<Record<SampleKind, number>>;
  /** Tools offered per sample (default 2–8). */
  tools?: ToolCount;
}

export interface WorldData {
  base: Sample[];
  seed: Sample[];
  test: Sample[];
  noise: NoiseRecord[];
}

/** `draw`: how pretraining data draws its values — invented ones, or every split's (see `ValueDraw`). */
export function generateSplit(split: Split, count: number, seed: number, kinds: Readonly<Record<SampleKind, number>> = DEFAULT_KIND_WEIGHTS, tools: ToolCount = DEFAULT_TOOL_COUNT, draw: ValueDraw = {}): Sample[] {
  const weighted = SAMPLE_KINDS.map((k) => [k, kinds[k] ?? 0] as const).filter(([, w]) => w > 0);
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const rng = sampleRng(seed, split, i);
    const id = `${split}-${String(i).padStart(6, '0')}`;
    let made;
    for (let tries = 0; made === undefined; tries++) {
      if (tries === 20) throw new Error(`could not compose ${id}: every drawn scenario was infeasible`);
      const kind = rng.weighted(weighted);
      made = composeScenario(id, { kind }, rng.fork(tries), split, tools, draw);
    }
    out.push(made.sample);
  }
  return out;
}

export function generateWorld(options: GenerateOptions): WorldData {
  const rate = options.noise ?? 0.15;
  const base = generateSplit('base', options.base ?? options.n, options.seed, options.kinds, options.tools);
  const seed = generateSplit('seed', options.n, options.seed, options.kinds, options.tools);
  const test = generateSplit('test', options.test ?? Math.max(100, Math.round(options.n / 5)), options.seed, options.kinds, options.tools);
  const noise: NoiseRecord[] = [];
  const noiseRng = new Rng(hashString('noise', options.seed >>> 0));
  for (const s of seed) {
    const record = maybeCorrupt(s, rate, noiseRng.fork(s.id));
    if (record === undefined) continue;
    s.label = record.noisy;
    noise.push(record);
  }
  return { base, seed, test, noise };
}
