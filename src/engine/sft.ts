/**
 * Supervised training on token sequences: batches by token budget, AdamW with warm-up
 * and cosine decay, global-norm clipping, loss only where the mask says (assistant
 * tokens). The sample-level trainer renders chats into these examples.
 */
import { backward, forward, Workspace, type Batch, type Model } from './model.ts';
import { adamWState, adamWStep, clipGradNorm, learningRateAt, DEFAULT_ADAMW, type AdamWConfig, type AdamWState } from './optim.ts';
import { seededRandom } from './params.ts';

export interface TokenExample {
  tokens: Int32Array;
  /** lossMask[t] = 1 when token t is a target (predicted from tokens before it). */
  lossMask: Uint8Array;
  /** weights[t]: how much target t counts in the batch's loss (default 1 for every target). */
  weights?: Float32Array;
}

export interface SftOptions {
  epochs: number;
  /** Tokens per optimizer step (sequences are packed into batches up to this many tokens). */
  batchTokens: number;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  maxGradNorm: number;
  seed: number;
  adamw: AdamWConfig;
}

export const DEFAULT_SFT: SftOptions = {
  epochs: 1,
  batchTokens: 2048,
  lr: 1e-3,
  warmupSteps: 10,
  minLrRatio: 0.1,
  maxGradNorm: 1,
  seed: 0,
  adamw: DEFAULT_ADAMW,
};

export interface SftProgress {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  gradNorm: number;
  tokens: number;
}

/** Groups examples (in the given order) into batches of at most `batchTokens` tokens each. */
export function packBatches(examples: readonly TokenExample[], order: readonly number[], batchTokens: number): Batch[] {
  const batches: Batch[] = [];
  let current: TokenExample[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length > 0) batches.push(toBatch(current));
    current = [];
    size = 0;
  };
  for (const i of order) {
    const ex = examples[i]!;
    if (size + ex.tokens.length > batchTokens) flush();
    current.push(ex);
    size += ex.tokens.length;
  }
  flush();
  return batches;
}

/** A batch whose loss is the (weighted) mean NLL over its masked target tokens. */
export function toBatch(examples: readonly TokenExample[]): Batch {
  const n = examples.reduce((a, e) => a + e.tokens.length, 0);
  const tokens = new Int32Array(n);
  const targets = new Int32Array(n).fill(-1);
  const weights = new Float32Array(n);
  let at = 0;
  let total = 0;
  for (const ex of examples) {
    tokens.set(ex.tokens, at);
    for (let t = 0; t + 1 < ex.tokens.length; t++) {
      if (ex.lossMask[t + 1] === 1) {
        targets[at + t] = ex.tokens[t + 1]!;
        const w = ex.weights?.[t + 1] ?? 1;
        weights[at + t] = w;
        total += w;
      }
    }
    at += ex.tokens.length;
  }
  if (total > 0) for (let i = 0; i < n; i++) weights[i]! /= total;
  return { tokens, targets, weights, lengths: examples.map((e) => e.tokens.length) };
}

/** One optimizer step on a batch; returns the mean loss and the gradient norm before clipping. */
export function trainStep(
  model: Model,
  batch: Batch,
  state: AdamWState,
  config: AdamWConfig,
  lr: number,
  maxGradNorm: number,
  grads: Float32Array,
  workspace: Workspace = new Workspace(),
): { loss: number; gradNorm: number } {
  grads.fill(0);
  const { acts, loss } = forward(model, batch, workspace);
  backward(model, batch, acts, grads, workspace);
  const gradNorm = clipGradNorm(grads, maxGradNorm);
  adamWStep(model.params, grads, state, config, lr);
  return { loss, gradNorm };
}

export interface SftResume {
  /** Optimizer moments and step count to continue from. */
  state: AdamWState;
  /** Optimizer steps already done; training continues with the next batch of the same plan. */
  startStep: number;
}

/** The batches of every epoch, in order: a pure function of the examples and the options, so a resumed run sees the same plan. */
export function planSft(examples: readonly TokenExample[], options: Partial<SftOptions> = {}): Batch[] {
  const o = { ...DEFAULT_SFT, ...options };
  const rand = seededRandom(o.seed);
  const plan: Batch[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const order = examples.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    plan.push(...packBatches(examples, order, o.batchTokens));
  }
  return plan;
}

/**
 * Trains `model` in place over the plan; calls `onStep` after every optimizer step
 * (returning false stops early, e.g. on a signal). Pass `resume` to continue a run.
 */
export function sftTrain(
  model: Model,
  examples: readonly TokenExample[],
  options: Partial<SftOptions> = {},
  onStep?: (p: SftProgress, state: AdamWState) => boolean | void,
  resume?: SftResume,
): SftProgress[] {
  const o = { ...DEFAULT_SFT, ...options };
  const plan = planSft(examples, o);
  const state = resume?.state ?? adamWState(model.layout);
  const grads = new Float32Array(model.layout.total);
  const workspace = new Workspace();
  const history: SftProgress[] = [];
  for (let step = resume?.startStep ?? 0; step < plan.length; step++) {
    const batch = plan[step]!;
    const lr = learningRateAt(step, o.lr, o.warmupSteps, plan.length, o.minLrRatio);
    const { loss, gradNorm } = trainStep(model, batch, state, o.adamw, lr, o.maxGradNorm, grads, workspace);
    const progress = { step: step + 1, totalSteps: plan.length, loss, lr, gradNorm, tokens: batch.tokens.length };
    history.push(progress);
    if (onStep?.(progress, state) === false) break;
  }
  return history;
}
