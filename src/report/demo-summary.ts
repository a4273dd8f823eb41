/**
 * What `looptool demo` measured: the shape the terminal tables, `report.html` and the
 * `--json` summary are all made from. Plain data, so a report can be rebuilt from the
 * `summary.json` a run leaves behind.
 */

import type { HeldOutScore } from '../loop/evaluate.ts';

/** Held-out accuracy of one model: overall and per sample kind (single, parallel, …). */
export type { HeldOutScore };

/** One round's training data as compose made it (the paper's Table 3 columns). */
export interface RoundComposition {
  round: number;
  samples: number;
  errorSeeds: number;
  /** Of the error seeds, those whose label the judge replaced. */
  corrected: number;
  expanded: number;
  highPerplexity: number;
  untrainedSeed: number;
  dropped: number;
}

/** Label cleaning measured against the noise truth the loop never saw. */
export interface CleaningKindFigures {
  /** Wrong labels injected into the seed data the loop trained on. */
  wrongLabels: number;
  /** … that a probe found failing and a judge looked at. */
  reached: number;
  /** … whose label the loop replaced by one matching the clean label. */
  fixed: number;
  /** … of the fixed, those the model got wrong too, whose label the judge mended from the two answers. */
  mended: number;
  /** … that the loop dropped as both wrong (removed, not fixed). */
  dropped: number;
  /** … reached but left wrong (kept, or replaced by another wrong label). */
  missed: number;
}

export interface CleaningFigures extends CleaningKindFigures {
  /** Clean labels a judge looked at. */
  cleanReached: number;
  /** Clean labels the loop replaced or dropped. */
  cleanChanged: number;
  byNoiseKind: Record<string, CleaningKindFigures>;
}

export interface DemoArmRound {
  round: number;
  /** GRPO optimizer steps taken so far by this arm (equal for both arms at every round). */
  steps: number;
  /** Mean reward of the round's GRPO rollouts (null for round 0, the base model). */
  meanReward: number | null;
  score: HeldOutScore;
}

export interface DemoSummary {
  profile: string;
  seed: number;
  rounds: number;
  seconds: number;
  /** The data: sizes of the splits and the noise rate of the seed split. */
  data: { seed: number; test: number; noiseRate: number; noisyLabels: number };
  /** The GRPO settings both arms used. */
  grpo: Record<string, number>;
  base: HeldOutScore;
  /** Round 0 is the base model; round r is after r rounds of training. */
  looptool: DemoArmRound[];
  static: DemoArmRound[];
  /** Ablations of the paper's Table 4, when asked for: name → rounds. */
  ablations: Record<string, DemoArmRound[]>;
  composition: RoundComposition[];
  cleaning: CleaningFigures;
  /** Path of report.html. */
  report: string;
}
