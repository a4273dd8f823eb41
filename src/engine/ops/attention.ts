/**
 * Causal grouped-query attention over a ragged batch: sequences lie one after another
 * in the token dimension (`seqStart[s]`, `seqLen[s]`), so no compute goes to padding.
 */

export interface AttentionShape {
  heads: number;
  kvHeads: number;
  headDim: number;
  seqStart: Int32Array;
  seqLen: Int32Array;
  /** Offset of each sequence's probability block in `probs` ([heads, T, T] per sequence). */
  probOffset: Int32Array;
}

/** Builds the shape for sequences of the given lengths; `probs` needs `probSize` floats. */
export function attentionShape(lengths: readonly number[], heads: number, kvHeads: number, headDim: number): AttentionShape & { probSize: number } {
  const seqStart = new Int32Array(lengths.length);
  const seqLen = Int32Array.from(lengths);
  const probOffset = new Int32Array(lengths.length);
  let tokens = 0;
  let probSize = 0;
  lengths.forEach((len, s) => {
    seqStart[s] = tokens;
    probOffset[s] = probSize;
    tokens += len;
    probSize += heads * len * len;
  });
  return { heads, kvHeads, headDim, seqStart, seqLen, probOffset, probSize };
}

/** q [N, H, hd], k and v [N, Hkv, hd] → out [N, H, hd]; probs keeps the softmax for backward. */
export function attentionForward(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape): void {
  const { heads, kvHeads, headDim: hd } = shape;
  const group = heads / kvHeads;
  const scale = 1 / Math.sqrt(hd);
  const qStride = heads * hd;
  const kvStride = kvHeads * hd;
  for (let s = 0; s < shape.seqLen.length; s++) {
    const start = shape.seqStart[s]!;
    const T = shape.seqLen[s]!;
    for (let h = 0; h < heads; h++) {
      const kh = Math.floor(h / group);
      const pBase = shape.probOffset[s]! + h * T * T;
      for (let t = 0; t < T; t++) {
        const qb = (start + t) * qStride + h * hd;
        const pRow = pBase + t * T;
        let max = -Infinity;
        for (let u = 0; u <= t; u++) {
          const kb = (start + u) * kvStride + kh * hd;
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[qb + i]! * k[kb + i]!;
          dot *= scale;
          probs[pRow + u] = dot;
          if (dot > max) max = dot;
        }
        let sum = 0;
        for (let u = 0; u <= t; u++) {
          const e = Math.exp(probs[pRow + u]! - max);
          probs[pRow + u] = e;
          sum += e;
        }
        const inv = 1 / sum;
        const ob = (start + t) * qStride + h * hd;
        for (let i = 0; i < hd; i++) out[ob + i] = 0;
        for (let u = 0; u <= t; u++) {
          const p = probs[pRow + u]! * inv;
          probs[pRow + u] = p;
          const vb = (start + u) * kvStride + kh * hd;
          for (let i = 0; i < hd; i++) out[ob + i]! += p * v[vb + i]!;
        }
      }
    }
  }
}

/** Accumulates dq, dk, dv from dout, using the probabilities saved by the forward pass. */
export function attentionBackward(
  dq: Float32Array,
  dk: Float32Array,
  dv: Float32Array,
  dout: Float32Array,
  probs: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
): void {
  const { heads, kvHeads, headDim: hd } = shape;
  const group = heads / kvHeads;
  const scale = 1 / Math.sqrt(hd);
  const qStride = heads * hd;
  const kvStride = kvHeads * hd;
  let maxT = 0;
  for (const T of shape.seqLen) maxT = Math.max(maxT, T);
  const dp = new Float32Array(maxT);
  for (let s = 0; s < shape.seqLen.length; s++) {
    const start = shape.seqStart[s]!;
    const T = shape.seqLen[s]!;
    for (let h = 0; h < heads; h++) {
      const kh = Math.floor(h / group);
      const pBase = shape.probOffset[s]! + h * T * T;
      for (let t = 0; t < T; t++) {
        const ob = (start + t) * qStride + h * hd;
        const pRow = pBase + t * T;
        // dP[u] = dout_t · v_u, and dv_u += P[u] · dout_t.
        let rowDot = 0;
        for (let u = 0; u <= t; u++) {
          const vb = (start + u) * kvStride + kh * hd;
          const p = probs[pRow + u]!;
          let d = 0;
          for (let i = 0; i < hd; i++) {
            d += dout[ob + i]! * v[vb + i]!;
            dv[vb + i]! += p * dout[ob + i]!;
          }
          dp[u] = d;
          rowDot += p * d;
        }
        // Softmax backward: dS[u] = P[u] · (dP[u] − Σ P·dP), then through the scaled dot product.
        for (let u = 0; u <= t; u++) {
          const ds = probs[pRow + u]! * (dp[u]! - rowDot) * scale;
          if (ds === 0) continue;
          const kb = (start + u) * kvStride + kh * hd;
          for (let i = 0; i < hd; i++) {
            dq[ob + i]! += ds * k[kb + i]!;
            dk[kb + i]! += ds * q[ob + i]!;
          }
        }
      }
    }
  }
}
