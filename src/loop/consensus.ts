/**
 * Votes and consensus for JGLV: several judges (models, samples of one model, the rule
 * judge) each give a verdict; a verdict stands when at least `k` of the `n` votes agree,
 * otherwise the disagreement is `undecided` (kept unchanged, counted, not a seed).
 * With one vote the default is 1 of 1, so a single judge is never a dead end.
 */
import type { Label, Sample } from '../core/types.ts';
import type { Judge, JudgeVerdict, Verdict } from './judge.ts';

export interface Consensus {
  k: number;
  n: number;
}

/** The default rule: 2 of 3 for three votes, a simple majority otherwise, 1 of 1 alone. */
export function defaultConsensus(n: number): Consensus {
  return { k: n <= 1 ? 1 : Math.floor(n / 2) + 1, n };
}

export function decide(votes: readonly JudgeVerdict[], k: number): Verdict {
  const counts = new Map<Verdict, number>();
  for (const v of votes) if (v.verdict !== 'undecided') counts.set(v.verdict, (counts.get(v.verdict) ?? 0) + 1);
  let best: Verdict = 'undecided';
  let bestCount = 0;
  for (const [verdict, c] of counts) {
    if (c > bestCount) [best, bestCount] = [verdict, c];
    else if (c === bestCount) best = 'undecided';
  }
  return bestCount >= k ? best : 'undecided';
}

export class ConsensusJudge implements Judge {
  readonly name: string;
  readonly consensus: Consensus;
  constructor(
    private readonly judges: readonly Judge[],
    k?: number,
  ) {
    if (judges.length === 0) throw new Error('a consensus needs at least one judge');
    this.consensus = k === undefined ? defaultConsensus(judges.length) : { k, n: judges.length };
    if (this.consensus.k < 1 || this.consensus.k > judges.length) throw new Error(`consensus ${this.consensus.k} of ${judges.length} cannot be reached`);
    this.name = `consensus(${this.consensus.k}/${this.consensus.n}: ${judges.map((j) => j.name).join(', ')})`;
  }

  async compare(sample: Sample, label: Label, prediction: Label): Promise<JudgeVerdict> {
    const votes = await Promise.all(this.judges.map((j) => j.compare(sample, label, prediction)));
    const verdict = decide(votes, this.consensus.k);
    const winner = votes.find((v) => v.verdict === verdict);
    return {
      verdict,
      errorAnalysis: winner?.errorAnalysis ?? `no ${this.consensus.k} of ${this.consensus.n} votes agree: ${votes.map((v) => `${v.judge} ${v.verdict}`).join(', ')}`,
      correctApproach: winner?.correctApproach ?? '',
      judge: this.name,
      ...(winner?.mended ? { mended: winner.mended } : {}),
      votes,
    };
  }
}
