/** The AdamW update loop over flat buffers (the optimizer in optim.ts computes its coefficients). */

/**
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², then p ← p·decay (where mask[i] = 1)
 * − stepSize·m / (√v / bc2Sqrt + eps): torch.optim.AdamW's update with bias correction
 * folded into stepSize and bc2Sqrt.
 */
export function adamWUpdate(
  params: Float32Array,
  grads: Float32Array,
  m: Float32Array,
  v: Float32Array,
  decayMask: Uint8Array,
  beta1: number,
  beta2: number,
  eps: number,
  stepSize: number,
  bc2Sqrt: number,
  decay: number,
): void {
  for (let i = 0; i < params.length; i++) {
    const g = grads[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = decayMask[i] === 1 ? params[i]! * decay : params[i]!;
    params[i] = p - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}
