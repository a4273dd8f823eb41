/** RMSNorm as Llama uses it: y = x / sqrt(mean(x²) + eps) · weight, statistics in float32. */

/** inp [N, D] → out [N, D]; rstd [N] keeps 1/rms for the backward pass. */
export function rmsnormForward(out: Float32Array, rstd: Float32Array, inp: Float32Array, weight: Float32Array, n: number, d: number, eps: number): void {
  for (let r = 0; r < n; r++) {
    const b = r * d;
    let ss = 0;
    for (let i = 0; i < d; i++) ss += inp[b + i]! * inp[b + i]!;
    // Rounded to float32 at the same points as the 🤗 reference, which computes the statistic in float32.
    const s = Math.fround(1 / Math.sqrt(Math.fround(ss / d) + eps));
    rstd[r] = s;
    for (let i = 0; i < d; i++) out[b + i] = Math.fround(inp[b + i]! * s) * weight[i]!;
  }
}

/** Accumulates dinp [N, D] and dweight [D] from dout [N, D]. */
export function rmsnormBackward(dinp: Float32Array, dweight: Float32Array, dout: Float32Array, inp: Float32Array, weight: Float32Array, rstd: Float32Array, n: number, d: number): void {
  for (let r = 0; r < n; r++) {
    const b = r * d;
    const s = rstd[r]!;
    // y_i = x_i·s·w_i with s = (mean(x²)+eps)^-½, so dx_i = s·w_i·g_i − x_i·s³/d · Σ_j g_j·w_j·x_j.
    let dot = 0;
    for (let i = 0; i < d; i++) dot += dout[b + i]! * weight[i]! * inp[b + i]!;
    const k = (dot * s * s * s) / d;
    for (let i = 0; i < d; i++) {
      const g = dout[b + i]!;
      dweight[i]! += g * inp[b + i]! * s;
      dinp[b + i]! += g * weight[i]! * s - inp[b + i]! * k;
    }
  }
}
