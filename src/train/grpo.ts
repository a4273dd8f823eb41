/**
 * GRPO for the embedded engine, with the paper's verl settings: groups of G sampled
 * answers per prompt, group-normalised advantages (r − mean) / (std + 1e-6) with the
 * unbiased std (0 for a group whose rewards are all equal), the token-level clipped
 * surrogate with asymmetric clipping (0.2 low, 0.28 high) and dual clipping (c = 3) for
 * negative advantages, and the loss averaged over all response tokens of a mini-batch.
 *
 * The surrogate's gradient reaches the model through its per-token NLL weights: for a
 * token whose unclipped branch is active, ∂ℓ/∂NLL = ρ·A, so one `backward` with
 * weights ρ·A/N gives the exact policy gradient; clipped tokens get weight 0. The
 * optional `low_var_kl` penalty against a frozen reference (off by default, as in the
 * paper) adds its own weights the same way.
 */
import { forward, backward, type Batch, type Model, type Workspace } from '../engine/model.ts';
import { adamWStep, clipGradNorm, type AdamWConfig, type AdamWState } from '../engine/optim.ts';

export interface GrpoClip {
  low: number;
  high: number;
  /** Dual-clip bound c for negative advantages (verl's clip_ratio_c); Infinity turns it off. */
  dual: number;
}

export const PAPER_CLIP: GrpoClip = { low: 0.2, high: 0.28, dual: 3 };

/** Group-normalised advantages; a group with equal rewards (or of one) gets zeros. */
export function groupAdvantages(rewards: readonly number[], eps = 1e-6): number[] {
  const n = rewards.length;
  if (n < 2) return rewards.map(() => 0);
  const mean = rewards.reduce((a, b) => a + b, 0) / n;
  const variance = rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1);
  if (variance === 0) return rewards.map(() => 0);
  const std = Math.sqrt(variance);
  return rewards.map((r) => (r - mean) / (std + eps));
}

export interface TokenLoss {
  /** Mean over tokens of the clipped surrogate loss. */
  loss: number;
  /** ∂loss/∂NLL per token (the weights `backward` takes). */
  weights: Float32Array;
  /** Share of tokens whose gradient was clipped away. */
  clippedFraction: number;
}

/**
 * The token-level loss for new and old log-probs and per-token advantages:
 * ℓ = −min(ρA, clip(ρ, 1−low, 1+high)·A), and for A < 0 at most −c·A (dual clip);
 * loss = mean ℓ over the tokens.
 */
export function clippedSurrogate(logpNew: ArrayLike<number>, logpOld: ArrayLike<number>, advantages: ArrayLike<number>, clip: GrpoClip = PAPER_CLIP): TokenLoss {
  const n = logpNew.length;
  const weights = new Float32Array(n);
  let loss = 0;
  let clipped = 0;
  for (let t = 0; t < n; t++) {
    const a = advantages[t]!;
    const ratio = Math.exp(logpNew[t]! - logpOld[t]!);
    const unclipped = -ratio * a;
    const clippedRatio = Math.min(Math.max(ratio, 1 - clip.low), 1 + clip.high);
    const clippedLoss = -clippedRatio * a;
    let l = Math.max(unclipped, clippedLoss);
    let active = unclipped >= clippedLoss; // the unclipped branch carries the gradient
    if (a < 0 && l > -clip.dual * a) {
      l = -clip.dual * a;
      active = false;
    }
    loss += l;
    if (active && a !== 0) weights[t] = (ratio * a) / n;
    else if (a !== 0) clipped++;
  }
  return { loss: n === 0 ? 0 : loss / n, weights, clippedFraction: n === 0 ? 0 : clipped / n };
}

/**
 * verl's `low_var_kl` penalty against a frozen reference, per token: with r = ref − new,
 * kl = e^r − r − 1 (clamped to [−10, 10]); mean over tokens times `coef`. Its weight on a
 * token's NLL is coef·(e^r − 1)/N.
 */
export function lowVarKl(logpNew: ArrayLike<number>, logpRef: ArrayLike<number>, coef: number): { loss: number; weights: Float32Array } {
  const n = logpNew.length;
  const weights = new Float32Array(n);
  let loss = 0;
  for (let t = 0; t < n; t++) {
    const r = logpRef[t]! - logpNew[t]!;
    const kl = Math.exp(r) - r - 1;
    if (kl > 10) {
      loss += 10; // clamped: no gradient
      continue;
    }
    loss += kl;
    weights[t] = (coef * (Math.exp(r) - 1)) / n;
  }
  return { loss: n === 0 ? 0 : (coef * loss) / n, weights };
}

/** One sampled answer, as the rollout saw it. */
export interface Rollout {
  prompt: Int32Array;
  completion: readonly number[];
  /** log p of each completion token under the policy that sampled it (the old policy). */
  logprobs: readonly number[];
  advantage: number;
  /** log p of each completion token under the frozen reference, when a KL penalty is used. */
  refLogprobs?: readonly number[];
}

/** Teacher-forced log-probs of each rollout's completion under `model` (the reference, say). */
export function completionLogprobs(model: Model, rollouts: readonly Rollout[], workspace?: Workspace): number[][] {
  const { batch, rows } = rolloutBatch(rollouts);
  const { acts } = forward(model, batch, workspace);
  const out: number[][] = [];
  let at = 0;
  for (const r of rollouts) {
    out.push(rows.slice(at, at + r.completion.length).map((row) => -acts.nll[row]!));
    at += r.completion.length;
  }
  return out;
}

export interface GrpoStepResult {
  loss: number;
  gradNorm: number;
  clippedFraction: number;
  tokens: number;
}

/** The rollouts as one batch: targets on completion tokens only. */
export function rolloutBatch(rollouts: readonly Rollout[]): { batch: Batch; rows: number[] } {
  const lengths = rollouts.map((r) => r.prompt.length + r.completion.length);
  const n = lengths.reduce((a, b) => a + b, 0);
  const tokens = new Int32Array(n);
  const targets = new Int32Array(n).fill(-1);
  const rows: number[] = [];
  let at = 0;
  for (const r of rollouts) {
    tokens.set(r.prompt, at);
    tokens.set(r.completion, at + r.prompt.length);
    // position p predicts token p+1: the first completion token is predicted at the prompt's last position
    for (let j = 0; j < r.completion.length; j++) {
      const row = at + r.prompt.length - 1 + j;
      targets[row] = r.completion[j]!;
      rows.push(row);
    }
    at += r.prompt.length + r.completion.length;
  }
  return { batch: { tokens, targets, weights: new Float32Array(n), lengths }, rows };
}

/**
 * The surrogate loss of a mini-batch (plus `klCoef`·low-var KL when the rollouts carry
 * reference log-probs), with its gradient accumulated into `grads` (zeroed first).
 */
export function grpoGradients(model: Model, rollouts: readonly Rollout[], grads: Float32Array, clip: GrpoClip = PAPER_CLIP, workspace?: Workspace, klCoef = 0): TokenLoss & { tokens: number; kl: number } {
  const { batch, rows } = rolloutBatch(rollouts);
  const { acts } = forward(model, batch, workspace);
  const logpNew = rows.map((row) => -acts.nll[row]!);
  const logpOld: number[] = [];
  const adv: number[] = [];
  for (const r of rollouts) {
    for (let j = 0; j < r.completion.length; j++) {
      logpOld.push(r.logprobs[j]!);
      adv.push(r.advantage);
    }
  }
  const surrogate = clippedSurrogate(logpNew, logpOld, adv, clip);
  let kl = 0;
  if (klCoef > 0 && rollouts.every((r) => r.refLogprobs !== undefined)) {
    const penalty = lowVarKl(logpNew, rollouts.flatMap((r) => [...r.refLogprobs!]), klCoef);
    kl = penalty.loss;
    for (let i = 0; i < penalty.weights.length; i++) surrogate.weights[i]! += penalty.weights[i]!;
  }
  rows.forEach((row, i) => (batch.weights[row] = surrogate.weights[i]!));
  grads.fill(0);
  backward(model, batch, acts, grads, workspace);
  return { ...surrogate, loss: surrogate.loss + kl, kl, tokens: rows.length };
}

/** One optimizer step on a mini-batch of rollouts: the surrogate's gradient, clipping and AdamW. */
export function grpoStep(model: Model, rollouts: readonly Rollout[], state: AdamWState, adam: AdamWConfig, lr: number, maxGradNorm: number, grads: Float32Array, clip: GrpoClip = PAPER_CLIP, workspace?: Workspace, klCoef = 0): GrpoStepResult {
  const g = grpoGradients(model, rollouts, grads, clip, workspace, klCoef);
  const gradNorm = clipGradNorm(grads, maxGradNorm);
  adamWStep(model.params, grads, state, adam, lr);
  return { loss: g.loss, gradNorm, clippedFraction: g.clippedFraction, tokens: g.tokens };
}
