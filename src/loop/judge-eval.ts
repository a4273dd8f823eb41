/**
 * How well a judge finds wrong labels, measured where the truth is known: each noisy
 * seed label is compared with its clean answer as the "prediction" (the judge should say
 * label_incorrect), and each clean label with a typical model mistake (the judge must not
 * blame the label). Precision and recall by noise kind follow.
 */
import { Rng, hashString } from '../core/random.ts';
import type { Sample } from '../core/types.ts';
import { MISTAKE_KINDS, makeMistake, type MistakeKind } from '../world/mistakes.ts';
import type { NoiseRecord } from '../world/noise.ts';
import type { Judge, Verdict } from './judge.ts';

export interface KindTally {
  total: number;
  /** Verdicts that blame the label (label_incorrect). */
  blamed: number;
  verdicts: Partial<Record<Verdict, number>>;
}

export interface JudgeEvaluation {
  noise: Record<string, KindTally>;
  mistakes: Record<string, KindTally>;
  /** Share of noisy labels the judge blamed. */
  recall: number;
  /** Share of the judge's label blames that hit a noisy label. */
  precision: number;
  /** One line per comparison, for `world stats --verdicts`. */
  verdicts: { id: string; verdict: Verdict; case: 'noise' | 'mistake'; kind: string }[];
}

function tally(map: Record<string, KindTally>, kind: string, verdict: Verdict): void {
  const t = (map[kind] ??= { total: 0, blamed: 0, verdicts: {} });
  t.total++;
  if (verdict === 'label_incorrect') t.blamed++;
  t.verdicts[verdict] = (t.verdicts[verdict] ?? 0) + 1;
}

export async function evaluateJudge(judge: Judge, seed: readonly Sample[], noise: readonly NoiseRecord[], options: { seed?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<JudgeEvaluation> {
  const truth = new Map(noise.map((n) => [n.id, n]));
  const out: JudgeEvaluation = { noise: {}, mistakes: {}, recall: 0, precision: 0, verdicts: [] };
  let done = 0;
  for (const sample of seed) {
    const n = truth.get(sample.id);
    if (n) {
      const v = await judge.compare(sample, n.noisy, n.clean);
      tally(out.noise, n.kind, v.verdict);
      out.verdicts.push({ id: sample.id, verdict: v.verdict, case: 'noise', kind: n.kind });
    } else {
      const rng = new Rng(hashString(sample.id, options.seed ?? 0));
      for (const kind of rng.shuffle(MISTAKE_KINDS) as MistakeKind[]) {
        const m = makeMistake(sample, kind, rng);
        if (!m) continue;
        const v = await judge.compare(sample, sample.label, m.prediction);
        tally(out.mistakes, kind, v.verdict);
        out.verdicts.push({ id: sample.id, verdict: v.verdict, case: 'mistake', kind });
        break;
      }
    }
    options.onProgress?.(++done, seed.length);
  }
  const found = Object.values(out.noise).reduce((s, t) => s + t.blamed, 0);
  const noisy = Object.values(out.noise).reduce((s, t) => s + t.total, 0);
  const wrongBlames = Object.values(out.mistakes).reduce((s, t) => s + t.blamed, 0);
  out.recall = noisy === 0 ? 0 : found / noisy;
  out.precision = found + wrongBlames === 0 ? 0 : found / (found + wrongBlames);
  return out;
}
