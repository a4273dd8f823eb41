/** Token-level cross-entropy with a mask: only positions with a target ≥ 0 count. */

/**
 * logits [N, V] are turned into probabilities in place; returns the summed negative
 * log-likelihood of the targets and writes each position's NLL to `nll` (0 where masked).
 */
export function crossEntropyForward(nll: Float32Array, logits: Float32Array, targets: Int32Array, n: number, vocab: number): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const b = r * vocab;
    const target = targets[r]!;
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) if (logits[b + i]! > max) max = logits[b + i]!;
    // Kept before the row turns into probabilities: log-softmax from it cannot underflow to log(0).
    const targetLogit = target >= 0 ? logits[b + target]! - max : 0;
    let sum = 0;
    for (let i = 0; i < vocab; i++) {
      const e = Math.exp(logits[b + i]! - max);
      logits[b + i] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let i = 0; i < vocab; i++) logits[b + i]! *= inv;
    if (target < 0) {
      nll[r] = 0;
      continue;
    }
    const loss = Math.log(sum) - targetLogit;
    nll[r] = loss;
    total += loss;
  }
  return total;
}

/** dlogits [N, V] = weight[r] · (probs − onehot(target)); weight 0 (or target < 0) leaves the row at 0. */
export function crossEntropyBackward(dlogits: Float32Array, probs: Float32Array, targets: Int32Array, weights: Float32Array, n: number, vocab: number): void {
  for (let r = 0; r < n; r++) {
    const b = r * vocab;
    const target = targets[r]!;
    const w = weights[r]!;
    if (target < 0 || w === 0) {
      dlogits.fill(0, b, b + vocab);
      continue;
    }
    for (let i = 0; i < vocab; i++) dlogits[b + i] = w * probs[b + i]!;
    dlogits[b + target]! -= w;
  }
}
