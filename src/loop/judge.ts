/**
 * The JGLV judge's interface and vocabulary. Response 1 is the label, Response 2 the
 * model's prediction, as in the paper's judge prompt; a verdict says which of them is
 * wrong, why, and what the right answer looks like.
 */
import type { Label, Sample } from '../core/types.ts';

export const VERDICTS = ['model_incorrect', 'label_incorrect', 'both_correct', 'both_incorrect', 'undecided'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface JudgeVerdict {
  verdict: Verdict;
  /** What is wrong with each response (or why both are fine). */
  errorAnalysis: string;
  /** The answer the judge holds right, in words. */
  correctApproach: string;
  /** Which judge spoke. */
  judge: string;
  /** For `both_incorrect`: a label the judge built from the two that it finds right, when it could. */
  mended?: Label;
  /** The single votes, when several judges or samples voted. */
  votes?: JudgeVerdict[];
}

export interface Judge {
  readonly name: string;
  /** Compares a label with a prediction for the sample's last turn; never throws on odd content. */
  compare(sample: Sample, label: Label, prediction: Label): Promise<JudgeVerdict>;
}
