/**
 * Label cleaning measured against the noise truth the loop never saw: for every seed
 * sample a judge looked at, did the loop end with the clean label (fixed), drop it, or
 * leave it wrong (missed); and how many clean labels it changed.
 */
import type { Label, Sample } from '../core/types.ts';
import { scoreAgainstLabel } from '../check/reward.ts';
import type { VerifyRecord } from '../loop/verify.ts';
import type { CleaningFigures, CleaningKindFigures } from '../report/demo-summary.ts';
import { renderLabel } from '../train/sample-tokens.ts';
import type { NoiseRecord } from '../world/noise.ts';

type Outcome = { state: 'kept' } | { state: 'relabelled'; label: Label; mended: boolean } | { state: 'dropped' };

export function labelsAgree(label: Label, reference: Label): boolean {
  return scoreAgainstLabel(renderLabel(label), reference).score > 0;
}

function emptyKind(): CleaningKindFigures {
  return { wrongLabels: 0, reached: 0, fixed: 0, mended: 0, dropped: 0, missed: 0 };
}

/**
 * `used`: the seed samples the loop trained or probed (their original, possibly noisy
 * labels); `verdicts`: every round's verify records, in round order.
 */
export function measureCleaning(used: readonly Sample[], verdicts: readonly (readonly VerifyRecord[])[], noise: readonly NoiseRecord[]): CleaningFigures {
  const truth = new Map(noise.map((n) => [n.id, n]));
  const outcome = new Map<string, Outcome>();
  for (const round of verdicts) {
    for (const v of round) {
      const now = outcome.get(v.id) ?? { state: 'kept' };
      if (now.state === 'dropped') continue;
      if (v.action === 'relabel') outcome.set(v.id, { state: 'relabelled', label: v.label, mended: v.verdict === 'both_incorrect' });
      else if (v.action === 'drop') outcome.set(v.id, { state: 'dropped' });
      else outcome.set(v.id, now);
    }
  }
  const total: CleaningFigures = { ...emptyKind(), cleanReached: 0, cleanChanged: 0, byNoiseKind: {} };
  for (const s of used) {
    const o = outcome.get(s.id);
    const wrong = truth.get(s.id);
    if (!wrong) {
      if (!o) continue;
      total.cleanReached++;
      if (o.state === 'dropped' || (o.state === 'relabelled' && !labelsAgree(o.label, s.label))) total.cleanChanged++;
      continue;
    }
    const kind = (total.byNoiseKind[wrong.kind] ??= emptyKind());
    for (const f of [total, kind]) f.wrongLabels++;
    if (!o) continue;
    const result = o.state === 'dropped' ? 'dropped' : o.state === 'relabelled' && labelsAgree(o.label, wrong.clean) ? 'fixed' : 'missed';
    for (const f of [total, kind]) {
      f.reached++;
      f[result]++;
      if (result === 'fixed' && o.state === 'relabelled' && o.mended) f.mended++;
    }
  }
  return total;
}
