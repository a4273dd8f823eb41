/** SwiGLU: h = silu(gate) · up, with silu(x) = x · σ(x). */

/** gate, up, out: [N·I] flat. */
export function swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const g = gate[i]!;
    out[i] = (g / (1 + Math.exp(-g))) * up[i]!;
  }
}

/** Accumulates dgate and dup from dout. */
export function swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, len: number): void {
  for (let i = 0; i < len; i++) {
    const g = gate[i]!;
    const sig = 1 / (1 + Math.exp(-g));
    const silu = g * sig;
    const d = dout[i]!;
    dup[i]! += d * silu;
    dgate[i]! += d * up[i]! * sig * (1 + g * (1 - sig));
  }
}
