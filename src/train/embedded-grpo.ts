/**
 * GRPO over looptool samples on the embedded engine: each step takes a few prompts,
 * samples G answers for each at temperature 1 with their log-probs (the old policy),
 * rewards them with the LoopTool reward against the label, normalises the rewards per
 * group, skips groups whose answers all scored alike, and takes one optimizer step on
 * the rest with the clipped surrogate.
 */
import { generate } from '../engine/generate.ts';
import { createModel, Workspace } from '../engine/model.ts';
import { adamWState, DEFAULT_ADAMW, learningRateAt, type AdamWState } from '../engine/optim.ts';
import { Rng } from '../core/random.ts';
import type { Sample } from '../core/types.ts';
import { scoreAgainstLabel, type RewardVariant } from '../check/reward.ts';
import { encodeChatPrompt, END_OF_TEXT, END_OF_TURN, type EngineBundle } from '../models/engine-model.ts';
import { completionLogprobs, groupAdvantages, grpoStep, PAPER_CLIP, type GrpoClip, type Rollout } from './grpo.ts';

export interface GrpoOptions {
  /** Answers sampled per prompt (the paper's verl script uses 16; 8 fits a CPU). */
  groupSize: number;
  /** Prompts per optimizer step. */
  promptsPerStep: number;
  epochs: number;
  temperature: number;
  maxTokens: number;
  lr: number;
  warmupSteps: number;
  maxGradNorm: number;
  clip: GrpoClip;
  rewardVariant: RewardVariant;
  seed: number;
  /** Weight of the low-var KL penalty against the starting model (0 = off, as the paper). */
  klCoef: number;
  /** Optimizer updates per step: the step's rollouts are split into this many mini-batches (verl's ppo_mini_batch_size). */
  miniBatches: number;
  /** The reward of an answer; the LoopTool reward against the sample's label unless given. */
  reward?: (text: string, sample: Sample) => number;
}

export const DEFAULT_GRPO: GrpoOptions = { groupSize: 8, promptsPerStep: 4, epochs: 1, temperature: 1, maxTokens: 96, lr: 2e-4, warmupSteps: 2, maxGradNorm: 1, clip: PAPER_CLIP, rewardVariant: 'official', seed: 0, klCoef: 0, miniBatches: 1 };

export interface GrpoStepReport {
  step: number;
  totalSteps: number;
  /** Mean reward over every sampled answer of the step. */
  meanReward: number;
  /** Groups where some answers scored and some did not. */
  solvedGroups: number;
  groups: number;
  /** Groups skipped because every answer scored the same (zero advantage). */
  skippedGroups: number;
  loss: number;
  tokens: number;
  seconds: number;
}

export interface GrpoRunResult {
  /** The step the run stopped after (the total when it ran to the end). */
  steps: number;
  totalSteps: number;
  /** Prompts left out because they do not fit the context with room to answer. */
  tooLong: number;
  skippedGroups: number;
  meanReward: number;
  state: AdamWState;
}

export interface GrpoResume {
  /** Optimizer moments and step count to continue from. */
  state: AdamWState;
  /** Steps already done; the run continues with the next step of the same plan. */
  startStep: number;
  /** The weights the run started from: the KL reference when a resumed run's model has moved on. */
  referenceParams?: Float32Array;
}

/**
 * Trains `bundle.model` in place. The plan (prompt order, sampling seeds) is a pure
 * function of the samples and options, so a run resumed at a step makes the same updates
 * an uninterrupted one would. `onStep` (awaited: it may save a checkpoint) returning
 * false stops after that step.
 */
export async function trainGrpo(
  bundle: EngineBundle,
  samples: readonly Sample[],
  options: Partial<GrpoOptions> = {},
  onStep?: (report: GrpoStepReport) => boolean | void | Promise<boolean | void>,
  resume?: GrpoResume,
): Promise<GrpoRunResult> {
  const o = { ...DEFAULT_GRPO, ...options };
  const { model, tokenizer } = bundle;
  const stopTokens = [tokenizer.addedTokenId(END_OF_TURN), tokenizer.addedTokenId(END_OF_TEXT)];
  const prompts: { sample: Sample; tokens: Int32Array }[] = [];
  let tooLong = 0;
  for (const s of samples) {
    const tokens = encodeChatPrompt(tokenizer, { messages: s.messages, tools: s.tools });
    if (tokens.length + o.maxTokens > model.config.maxPositions) tooLong++;
    else prompts.push({ sample: s, tokens });
  }
  const rng = new Rng(o.seed);
  const order: number[] = [];
  for (let e = 0; e < o.epochs; e++) order.push(...rng.shuffle(prompts.map((_, i) => i)));
  const totalSteps = Math.ceil(order.length / o.promptsPerStep);
  const state = resume?.state ?? adamWState(model.layout);
  const grads = new Float32Array(model.layout.total);
  const workspace = new Workspace();
  // the KL reference is the model the run started from
  const reference = o.klCoef > 0 ? createModel(model.config, (resume?.referenceParams ?? model.params).slice()) : undefined;
  let skippedGroups = 0;
  let rewardSum = 0;
  let rewardCount = 0;
  let step = resume?.startStep ?? 0;
  for (; step < totalSteps; step++) {
    const started = performance.now();
    const chosen = order.slice(step * o.promptsPerStep, (step + 1) * o.promptsPerStep).map((i) => prompts[i]!);
    const expanded = chosen.flatMap((p) => Array.from({ length: o.groupSize }, () => p.tokens));
    const seqs = generate(model, expanded, { temperature: o.temperature, topP: 1, topK: 0, maxTokens: o.maxTokens, stopTokens, seed: o.seed * 1_000_003 + step * expanded.length });
    const rollouts: Rollout[] = [];
    let stepReward = 0;
    let solved = 0;
    let skipped = 0;
    chosen.forEach((p, g) => {
      const group = seqs.slice(g * o.groupSize, (g + 1) * o.groupSize);
      const rewards = group.map((seq) => {
        const text = tokenizer.decode(seq.tokens.filter((t) => !stopTokens.includes(t)));
        return o.reward ? o.reward(text, p.sample) : scoreAgainstLabel(text, p.sample.label, { variant: o.rewardVariant }).score;
      });
      stepReward += rewards.reduce((a, b) => a + b, 0);
      const adv = groupAdvantages(rewards);
      if (adv.every((a) => a === 0)) {
        skipped++;
        return;
      }
      solved++;
      group.forEach((seq, i) => rollouts.push({ prompt: p.tokens, completion: seq.tokens, logprobs: seq.logprobs, advantage: adv[i]! }));
    });
    skippedGroups += skipped;
    rewardSum += stepReward;
    rewardCount += expanded.length;
    if (reference && rollouts.length > 0) completionLogprobs(reference, rollouts).forEach((lp, i) => (rollouts[i]!.refLogprobs = lp));
    // each mini-batch is one update; later ones see a policy that has moved, which the ratio's clipping bounds
    const parts = Math.max(1, Math.min(o.miniBatches, rollouts.length));
    const size = Math.ceil(rollouts.length / parts);
    const result = { loss: 0, tokens: 0 };
    for (let i = 0; i < rollouts.length; i += size) {
      const lr = learningRateAt(state.step, o.lr, o.warmupSteps, totalSteps * parts);
      const r = grpoStep(model, rollouts.slice(i, i + size), state, { ...DEFAULT_ADAMW, lr: o.lr }, lr, o.maxGradNorm, grads, o.clip, workspace, o.klCoef);
      result.loss += (r.loss * r.tokens) / Math.max(1, rollouts.reduce((a, x) => a + x.completion.length, 0));
      result.tokens += r.tokens;
    }
    const report: GrpoStepReport = {
      step: step + 1,
      totalSteps,
      meanReward: expanded.length === 0 ? 0 : stepReward / expanded.length,
      solvedGroups: solved,
      groups: chosen.length,
      skippedGroups: skipped,
      loss: result.loss,
      tokens: result.tokens,
      seconds: (performance.now() - started) / 1000,
    };
    if ((await onStep?.(report)) === false) {
      step++;
      break;
    }
  }
  return { steps: step, totalSteps, tooLong, skippedGroups, meanReward: rewardCount === 0 ? 0 : rewardSum / rewardCount, state };
}
