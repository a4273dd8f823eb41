/** Attention of one query row over a KV cache (inference), the inner loop of infer.ts. */

/**
 * out[outOff..+hd] = softmax(scale · q·Kᵀ over positions 0..last) · V, where q starts at
 * qOff, position u's key and value at u·kvStride + kvOff. `scores` is scratch (≥ last+1).
 */
export function attendCached(
  out: Float32Array,
  outOff: number,
  q: Float32Array,
  qOff: number,
  keys: Float32Array,
  values: Float32Array,
  kvOff: number,
  kvStride: number,
  last: number,
  hd: number,
  scale: number,
  scores: Float32Array,
): void {
  let max = -Infinity;
  for (let u = 0; u <= last; u++) {
    const kb = u * kvStride + kvOff;
    let dot = 0;
    for (let i = 0; i < hd; i++) dot += q[qOff + i]! * keys[kb + i]!;
    dot *= scale;
    scores[u] = dot;
    if (dot > max) max = dot;
  }
  let sum = 0;
  for (let u = 0; u <= last; u++) {
    const e = Math.exp(scores[u]! - max);
    scores[u] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let i = 0; i < hd; i++) out[outOff + i] = 0;
  for (let u = 0; u <= last; u++) {
    const p = scores[u]! * inv;
    const vb = u * kvStride + kvOff;
    for (let i = 0; i < hd; i++) out[outOff + i]! += p * values[vb + i]!;
  }
}
