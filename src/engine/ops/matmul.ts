/**
 * Linear layers in 🤗's weight layout: `weight` is [out, in], so `out = inp · weightᵀ`.
 * These three loops carry almost all of the model's arithmetic; the kernel interface
 * (kernels.ts) lets faster implementations replace them.
 */

/** out[n, o] = Σ_i inp[n, i] · weight[o, i].  inp [N, In], weight [Out, In], out [N, Out]. */
export function matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, n: number, inDim: number, outDim: number): void {
  for (let r = 0; r < n; r++) {
    const ib = r * inDim;
    const ob = r * outDim;
    let o = 0;
    // Four output columns at once share each load of the input row.
    for (; o + 3 < outDim; o += 4) {
      const w0 = o * inDim;
      const w1 = w0 + inDim;
      const w2 = w1 + inDim;
      const w3 = w2 + inDim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < inDim; i++) {
        const x = inp[ib + i]!;
        s0 += x * weight[w0 + i]!;
        s1 += x * weight[w1 + i]!;
        s2 += x * weight[w2 + i]!;
        s3 += x * weight[w3 + i]!;
      }
      out[ob + o] = s0;
      out[ob + o + 1] = s1;
      out[ob + o + 2] = s2;
      out[ob + o + 3] = s3;
    }
    for (; o < outDim; o++) {
      const wb = o * inDim;
      let s = 0;
      for (let i = 0; i < inDim; i++) s += inp[ib + i]! * weight[wb + i]!;
      out[ob + o] = s;
    }
  }
}

/** dinp[n, i]! += Σ_o dout[n, o] · weight[o, i].  dout [N, Out], weight [Out, In], dinp [N, In]. */
export function matmulBackwardInput(dinp: Float32Array, dout: Float32Array, weight: Float32Array, n: number, inDim: number, outDim: number): void {
  for (let r = 0; r < n; r++) {
    const ib = r * inDim;
    const ob = r * outDim;
    for (let o = 0; o < outDim; o++) {
      const g = dout[ob + o]!;
      if (g === 0) continue;
      const wb = o * inDim;
      for (let i = 0; i < inDim; i++) dinp[ib + i]! += g * weight[wb + i]!;
    }
  }
}

/** dweight[o, i]! += Σ_n dout[n, o] · inp[n, i].  dout [N, Out], inp [N, In], dweight [Out, In]. */
export function matmulBackwardWeight(dweight: Float32Array, dout: Float32Array, inp: Float32Array, n: number, inDim: number, outDim: number): void {
  for (let o = 0; o < outDim; o++) {
    const wb = o * inDim;
    for (let r = 0; r < n; r++) {
      const g = dout[r * outDim + o]!;
      if (g === 0) continue;
      const ib = r * inDim;
      for (let i = 0; i < inDim; i++) dweight[wb + i]! += g * inp[ib + i]!;
    }
  }
}
