/** AdamW (decoupled weight decay, as torch.optim.AdamW), global-norm clipping and the learning-rate schedule. */
import { kernels } from './kernels.ts';
import type { ParamLayout } from './params.ts';

export interface AdamWConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWConfig = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 };

export interface AdamWState {
  m: Float32Array;
  v: Float32Array;
  step: number;
  /** 1 where weight decay applies (matrices), 0 for the norm gains, as is usual for transformers. */
  decayMask: Uint8Array;
}

export function adamWState(layout: ParamLayout): AdamWState {
  const decayMask = new Uint8Array(layout.total);
  for (const slot of layout.slots) if (slot.shape.length > 1) decayMask.fill(1, slot.offset, slot.offset + slot.size);
  return { m: new Float32Array(layout.total), v: new Float32Array(layout.total), step: 0, decayMask };
}

/** One AdamW update of `params` from `grads` at learning rate `lr` (the schedule's value for this step). */
export function adamWStep(params: Float32Array, grads: Float32Array, state: AdamWState, config: AdamWConfig, lr: number): void {
  state.step++;
  const { beta1, beta2, eps, weightDecay } = config;
  const bc1 = 1 - Math.pow(beta1, state.step);
  const bc2 = 1 - Math.pow(beta2, state.step);
  const stepSize = lr / bc1;
  const bc2Sqrt = Math.sqrt(bc2);
  const decay = 1 - lr * weightDecay;
  kernels.adamWUpdate(params, grads, state.m, state.v, state.decayMask, beta1, beta2, eps, stepSize, bc2Sqrt, decay);
}

/** Scales `grads` so their global L2 norm is at most `maxNorm`; returns the norm before clipping. */
export function clipGradNorm(grads: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i]! * grads[i]!;
  const norm = Math.sqrt(ss);
  if (norm > maxNorm && norm > 0) {
    const scale = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i]! *= scale;
  }
  return norm;
}

/** Linear warm-up to `peak`, then cosine decay to `peak·minRatio` at `totalSteps`. */
export function learningRateAt(step: number, peak: number, warmupSteps: number, totalSteps: number, minRatio = 0.1): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const span = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, (step - warmupSteps) / span);
  return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
