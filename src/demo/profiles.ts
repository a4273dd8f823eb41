/**
 * The demo's sizes. `quick` is the default and fits 15 minutes on 2 cores; `full` is
 * closer to the paper's proportions; `smoke` exercises every stage in CI in a minute or two.
 *
 * The learning rate 2e-5 was measured on quick's seed 1 from an earlier base model
 * (two before the current one): 1e-4 swung both arms between calling for everything and
 * answering everything in text from one round to the next; 5e-5 and 2e-5 ended within a
 * point of each other (LoopTool 35.9% and 37.9%, static 35.4% and 36.4%).
 * `smoke` keeps a larger one so its few steps visibly move the weights.
 *
 * A fifth of LoopTool's budget is kept for samples the model answered right without
 * confidence (HPPL): failures, their expansions and the fresh seed share otherwise fill every
 * round, and a kind the model answers right leaves the data. On quick seed 5 the loop's
 * rounds then filled with single calls the model had answered in text, and trained away
 * asking back (2 of 25 held-out requests that miss information, static 13): LoopTool ended
 * 4.6 points behind static; with the fifth kept, 1.0 ahead, asking back on 13.
 * The fifth goes mostly to text replies (refusals, asking back), whose tokens are less
 * predictable than a call's JSON. Ranking calls against calls and replies against replies
 * instead was measured on full's seed 1: single calls held (44.4% at round 3, 24.7% as
 * is) but refusals were hardly learnt (4.8%, 76.2% as is), 36.2% against 43.9% overall.
 *
 * quick's budget of 48 samples a round (12 GRPO steps) keeps it inside 15 minutes now that
 * every composed sample fits the model's context: with 64, both arms take 16 steps a round
 * and seed 1 took 14.7 minutes on 2 cores.
 */
export interface DemoProfile {
  name: string;
  /** Samples in the noisy seed split. */
  seedSamples: number;
  /** Samples in the clean held-out test split. */
  testSamples: number;
  rounds: number;
  /** Samples in each round's training data (both arms). */
  budget: number;
  grpo: { groupSize: number; promptsPerStep: number; epochs: number; maxTokens: number; lr: number; miniBatches: number };
  /** New samples per error seed (the paper's 4). */
  perSeed: number;
  /** Longest greedy answer when probing and evaluating. */
  answerTokens: number;
  /** Requests decoded together (the engine batches them over both cores). */
  batchSize: number;
  /** LoopTool's cap on one sample kind's share of a round, as a multiple of its seed-data share (see `ComposeOptions.kindCap`). */
  kindCap: number;
  /** Share of LoopTool's budget kept for high-perplexity correct samples (see `ComposeOptions.hpplShare`). */
  hpplShare: number;
}

export const DEMO_PROFILES = {
  smoke: { name: 'smoke', seedSamples: 48, testSamples: 24, rounds: 2, budget: 12, grpo: { groupSize: 4, promptsPerStep: 4, epochs: 1, maxTokens: 48, lr: 2e-4, miniBatches: 1 }, perSeed: 2, answerTokens: 64, batchSize: 12, kindCap: 1.5, hpplShare: 0.2 },
  quick: { name: 'quick', seedSamples: 600, testSamples: 200, rounds: 3, budget: 48, grpo: { groupSize: 8, promptsPerStep: 4, epochs: 1, maxTokens: 96, lr: 2e-5, miniBatches: 1 }, perSeed: 4, answerTokens: 128, batchSize: 16, kindCap: 1.5, hpplShare: 0.2 },
  full: { name: 'full', seedSamples: 3000, testSamples: 600, rounds: 5, budget: 400, grpo: { groupSize: 8, promptsPerStep: 8, epochs: 1, maxTokens: 128, lr: 2e-5, miniBatches: 1 }, perSeed: 4, answerTokens: 160, batchSize: 16, kindCap: 1.5, hpplShare: 0.2 },
} as const satisfies Record<string, DemoProfile>;

export type DemoProfileName = keyof typeof DEMO_PROFILES;

export function isDemoProfileName(name: string): name is DemoProfileName {
  return Object.hasOwn(DEMO_PROFILES, name);
}
