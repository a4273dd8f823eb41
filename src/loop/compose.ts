/**
 * Compose: the next round's data from what this round learned. Under a fixed budget it
 * takes, in order, the error seeds (with corrected labels) each with its expansions, the
 * samples the judge could not decide (unchanged), a share of seed samples not trained on
 * yet that halves every round, and high-perplexity correct samples to fill the rest;
 * mastered samples leave, and so do samples both responses got wrong and the judge could
 * not mend. Beyond the paper, `kindCap` keeps any one sample kind near its share of the
 * seed data. The ablation switches reproduce the paper's variants (no HPPL, no JGLV, no
 * EDDE, random instead of high-perplexity samples, repeated instead of new seed data).
 */
import { Rng, hashString } from '../core/random.ts';
import type { Sample } from '../core/types.ts';
import { sampleFingerprint } from './expander.ts';
import { sampleKind } from './evaluate.ts';
import { classifyProbe, perplexityCut, type ProbeRecord } from './probe.ts';
import { applyVerdict, type VerifyRecord } from './verify.ts';

export interface ComposeOptions {
  /** Samples in the next round's dataset. */
  budget: number;
  /** The round being composed (1 = after the first training). */
  round: number;
  /** Share of the budget for untrained seed samples in round 1; it halves every round after (default 0.4). */
  seedShare?: number;
  /**
   * Share of the budget kept for high-perplexity correct samples (default 0). Without it
   * failures, their expansions and the fresh seed share fill every round and no such
   * sample enters; a kind the model answers right then leaves the data, and the failures
   * of other kinds can train it away (asking back, say, unlearnt by calls).
   */
  hpplShare?: number;
  /** Perplexity quantile among correct answers above which a sample is borderline (default 0.5). */
  pplQuantile?: number;
  /**
   * Most of the budget one sample kind (`meta.kind`) may take, as a multiple of its share of
   * the seed data (0 = no cap, the paper's rule). Failures of one kind otherwise crowd a
   * round: a model that never answers in text fails every irrelevance sample, EDDE multiplies
   * them, and the next model unlearns calling. Fresh seed data filling the rest is not capped.
   */
  kindCap?: number;
  /** Each kind's share of the seed data; needed by `kindCap`. */
  kindShares?: Readonly<Record<string, number>>;
  /**
   * The order error seeds enter in: `as_probed` (the paper's), or `reachable_first`, most
   * reachable label first (`ProbeRecord.labelLogprob`; a label corrected this round is the
   * model's own answer, so first of all). Under a budget only the first seeds and their
   * expansions fit, and a failure no sampled answer ever solves gives GRPO nothing to
   * learn from.
   */
  errorSeedOrder?: 'as_probed' | 'reachable_first';
  /** Ablations. */
  noHppl?: boolean;
  noEdde?: boolean;
  hpplReplace?: boolean;
  seedRepeat?: boolean;
  seed?: number;
}

export interface Composition {
  errorSeeds: number;
  /** Of the error seeds that entered, those with a label the judge corrected. */
  corrected: number;
  expanded: number;
  undecided: number;
  untrainedSeed: number;
  highPerplexity: number;
  mastered: number;
  dropped: number;
  duplicates: number;
  /** Samples left out because their kind had taken its share (`kindCap`). */
  overKindCap: number;
}

export interface ComposeInputs {
  /** This round's dataset, as probed. */
  dataset: readonly Sample[];
  probes: readonly ProbeRecord[];
  /** JGLV verdicts; without them (the no-JGLV ablation) every wrong answer is a model error with its label kept. */
  verdicts?: readonly VerifyRecord[];
  expanded: readonly Sample[];
  /** Seed samples never trained on, in the order to take them. */
  untrained: readonly Sample[];
  /** Seed samples already trained on (for the seed-repeat ablation). */
  trained?: readonly Sample[];
}

export function composeNextRound(inputs: ComposeInputs, options: ComposeOptions): { dataset: Sample[]; composition: Composition } {
  const rng = new Rng(hashString(`compose:${options.round}`, options.seed ?? 0));
  const probes = new Map(inputs.probes.map((p) => [p.id, p]));
  const verdicts = new Map((inputs.verdicts ?? []).map((v) => [v.id, v]));
  const cut = perplexityCut(inputs.probes, options.pplQuantile ?? 0.5);
  const c: Composition = { errorSeeds: 0, corrected: 0, expanded: 0, undecided: 0, untrainedSeed: 0, highPerplexity: 0, mastered: 0, dropped: 0, duplicates: 0, overKindCap: 0 };

  const seeds: Sample[] = [];
  const relabelled = new Set<string>();
  const undecided: Sample[] = [];
  const borderline: { sample: Sample; ppl: number }[] = [];
  const correct: Sample[] = [];
  for (const sample of inputs.dataset) {
    const probe = probes.get(sample.id);
    const cls = probe ? classifyProbe(probe, cut) : 'error';
    const ppl = typeof probe?.perplexity === 'number' ? probe.perplexity : 0;
    if (cls === 'error') undecided.push(sample);
    else if (cls === 'mastered') {
      c.mastered++;
      correct.push(sample);
    } else if (cls === 'borderline') {
      borderline.push({ sample, ppl });
      correct.push(sample);
    } else {
      const v = inputs.verdicts ? verdicts.get(sample.id) : undefined;
      if (!inputs.verdicts) seeds.push(sample);
      else if (!v || v.action === 'keep') undecided.push(sample);
      else if (v.action === 'drop') c.dropped++;
      else if (v.action === 'relabel') {
        relabelled.add(sample.id);
        seeds.push(applyVerdict(sample, v, options.round));
      } else if (v.action === 'keep_seed') seeds.push(sample);
      else if (ppl > cut) borderline.push({ sample, ppl });
      else c.mastered++;
    }
  }

  if (options.errorSeedOrder === 'reachable_first') {
    const reach = (s: Sample): number => (relabelled.has(s.id) ? 0 : (probes.get(s.id)?.labelLogprob ?? 0));
    // a stable sort: seeds the model cannot score keep their order
    seeds.sort((a, b) => reach(b) - reach(a));
  }

  const out: Sample[] = [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  const perKind = new Map<string, number>();
  const kindRoom = kindRoomOf(options);
  const take = (s: Sample, capped = true): boolean => {
    if (out.length >= options.budget) return false;
    const kind = sampleKind(s);
    if (capped && (perKind.get(kind) ?? 0) >= kindRoom(kind)) {
      c.overKindCap++;
      return false;
    }
    const fp = sampleFingerprint(s);
    if (seen.has(fp) || ids.has(s.id)) {
      c.duplicates++;
      return false;
    }
    seen.add(fp);
    ids.add(s.id);
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    out.push(s);
    return true;
  };
  const fresh = options.seedRepeat ? rng.shuffle(inputs.trained ?? []) : inputs.untrained;
  const share = (options.seedShare ?? 0.4) * 0.5 ** Math.max(0, options.round - 1);
  // the seed share is kept for fresh data even when failures alone would fill the budget:
  // a weak model's failures are mostly ones no sampled answer solves, which GRPO cannot learn from
  const seedQuota = Math.min(fresh.length, Math.round(options.budget * share));
  // the correct samples HPPL may add, in the order they are taken
  const hppl = options.noHppl ? [] : options.hpplReplace ? rng.shuffle(correct) : borderline.sort((a, b) => b.ppl - a.ppl).map((b) => b.sample);
  const hpplQuota = Math.min(hppl.length, Math.round(options.budget * (options.hpplShare ?? 0)));
  const failureRoom = options.budget - seedQuota - hpplQuota;
  const takeFailure = (s: Sample): boolean => out.length < failureRoom && take(s);
  // each error seed enters with its expansions: the paper trains on all of both, so under a
  // budget they keep their proportion instead of seeds crowding out EDDE's samples
  const expansionsOf = new Map<string, Sample[]>();
  const orphans: Sample[] = [];
  if (!options.noEdde) {
    const seedIds = new Set(seeds.map((s) => s.id));
    for (const x of inputs.expanded) {
      const parent = x.provenance.parentId;
      if (parent !== undefined && seedIds.has(parent)) {
        const list = expansionsOf.get(parent) ?? [];
        list.push(x);
        expansionsOf.set(parent, list);
      } else orphans.push(x);
    }
  }
  for (const s of seeds) {
    if (!takeFailure(s)) continue;
    c.errorSeeds++;
    if (relabelled.has(s.id)) c.corrected++;
    for (const x of expansionsOf.get(s.id) ?? []) if (takeFailure(x)) c.expanded++;
  }
  for (const x of orphans) if (takeFailure(x)) c.expanded++;
  for (const s of undecided) if (takeFailure(s)) c.undecided++;

  let freshAt = 0;
  for (; freshAt < fresh.length && c.untrainedSeed < seedQuota && out.length < options.budget; freshAt++) if (take(fresh[freshAt]!)) c.untrainedSeed++;

  for (const sample of hppl) if (take(sample)) c.highPerplexity++;
  // whatever budget is left goes to more seed data
  for (; freshAt < fresh.length && out.length < options.budget; freshAt++) if (take(fresh[freshAt]!, false)) c.untrainedSeed++;
  return { dataset: out, composition: c };
}

function kindRoomOf(options: ComposeOptions): (kind: string) => number {
  const cap = options.kindCap ?? 0;
  const shares = options.kindShares;
  if (cap <= 0 || !shares) return () => Infinity;
  return (kind) => Math.max(1, Math.ceil(options.budget * cap * (shares[kind] ?? 0)));
}

/** Each kind's share of `samples`, for `kindCap`. */
export function kindSharesOf(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) {
    const kind = sampleKind(s);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  for (const k of Object.keys(counts)) counts[k] = counts[k]! / samples.length;
  return counts;
}
