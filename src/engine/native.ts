/**
 * Kernels over the native addon (build/looptool_kernels.node, built after install by
 * scripts/build-native.mjs): every matrix product — the linear layers and, per
 * sequence and head, attention's QKᵀ and PV — goes to the system BLAS (both cores);
 * the norms, softmaxes, loss, SwiGLU and AdamW run as vectorised C loops. Loading
 * fails softly: no addon, no native kernels.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Kernels } from './kernels.ts';
import type { AttentionShape } from './ops/attention.ts';

interface Addon {
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOffset: number,
    lda: number,
    b: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOffset: number,
    ldc: number,
  ): void;
  setThreads(n: number): void;
  swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, len: number): void;
  swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, len: number): void;
  crossEntropyForward(nll: Float32Array, logits: Float32Array, targets: Int32Array, n: number, vocab: number): number;
  causalSoftmax(probs: Float32Array, offset: number, T: number): void;
  causalSoftmaxBackward(probs: Float32Array, offset: number, ds: Float32Array, T: number, scale: number): void;
  rmsnormForward(out: Float32Array, rstd: Float32Array, inp: Float32Array, weight: Float32Array, n: number, d: number, eps: number): void;
  rmsnormBackward(dinp: Float32Array, dweight: Float32Array, dout: Float32Array, inp: Float32Array, weight: Float32Array, rstd: Float32Array, n: number, d: number): void;
  crossEntropyBackward(dlogits: Float32Array, probs: Float32Array, targets: Int32Array, weights: Float32Array, n: number, vocab: number): void;
  attendCached(out: Float32Array, outOff: number, q: Float32Array, qOff: number, keys: Float32Array, values: Float32Array, kvOff: number, kvStride: number, last: number, hd: number, scale: number, scores: Float32Array): void;
  adamwStep(params: Float32Array, grads: Float32Array, m: Float32Array, v: Float32Array, decayMask: Uint8Array, beta1: number, beta2: number, eps: number, stepSize: number, bc2Sqrt: number, decay: number): void;
}

const ADDON_PATH = fileURLToPath(new URL('../../build/looptool_kernels.node', import.meta.url));

/** The addon, or undefined when it was not built or does not load here. */
export function loadAddon(): Addon | undefined {
  if (!existsSync(ADDON_PATH)) return undefined;
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as Addon;
  } catch {
    return undefined;
  }
}

export function nativeKernels(addon: Addon, threads = 2): Kernels {
  addon.setThreads(threads);
  const { sgemm } = addon;

  function attentionForward(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape): void {
    const { heads, kvHeads, headDim: hd } = shape;
    const group = heads / kvHeads;
    const scale = 1 / Math.sqrt(hd);
    const qStride = heads * hd;
    const kvStride = kvHeads * hd;
    addon.setThreads(1);
    for (let s = 0; s < shape.seqLen.length; s++) {
      const start = shape.seqStart[s]!;
      const T = shape.seqLen[s]!;
      for (let h = 0; h < heads; h++) {
        const kh = Math.floor(h / group);
        const p = shape.probOffset[s]! + h * T * T;
        // Scores for every pair, then the causal softmax row by row (the upper triangle set to 0).
        sgemm(false, true, T, T, hd, scale, q, start * qStride + h * hd, qStride, k, start * kvStride + kh * hd, kvStride, 0, probs, p, T);
        addon.causalSoftmax(probs, p, T);
        sgemm(false, false, T, hd, T, 1, probs, p, T, v, start * kvStride + kh * hd, kvStride, 0, out, start * qStride + h * hd, qStride);
      }
    }
    addon.setThreads(threads);
  }

  function attentionBackward(
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
    const ds = new Float32Array(maxT * maxT);
    addon.setThreads(1);
    for (let s = 0; s < shape.seqLen.length; s++) {
      const start = shape.seqStart[s]!;
      const T = shape.seqLen[s]!;
      for (let h = 0; h < heads; h++) {
        const kh = Math.floor(h / group);
        const p = shape.probOffset[s]! + h * T * T;
        const qOff = start * qStride + h * hd;
        const kvOff = start * kvStride + kh * hd;
        // dV += Pᵀ·dO and dP = dO·Vᵀ.
        sgemm(true, false, T, hd, T, 1, probs, p, T, dout, qOff, qStride, 1, dv, kvOff, kvStride);
        sgemm(false, true, T, T, hd, 1, dout, qOff, qStride, v, kvOff, kvStride, 0, ds, 0, T);
        // Softmax backward on the causal rows: dS = P ∘ (dP − Σ P·dP), scaled for the dot product.
        addon.causalSoftmaxBackward(probs, p, ds, T, scale);
        sgemm(false, false, T, hd, T, 1, ds, 0, T, k, kvOff, kvStride, 1, dq, qOff, qStride);
        sgemm(true, false, T, hd, T, 1, ds, 0, T, q, qOff, qStride, 1, dk, kvOff, kvStride);
      }
    }
    addon.setThreads(threads);
  }

  return {
    name: 'native (OpenBLAS)',
    matmulForward: (out, inp, weight, n, inDim, outDim) => sgemm(false, true, n, outDim, inDim, 1, inp, 0, inDim, weight, 0, inDim, 0, out, 0, outDim),
    matmulBackwardInput: (dinp, dout, weight, n, inDim, outDim) => sgemm(false, false, n, inDim, outDim, 1, dout, 0, outDim, weight, 0, inDim, 1, dinp, 0, inDim),
    matmulBackwardWeight: (dweight, dout, inp, n, inDim, outDim) => sgemm(true, false, outDim, inDim, n, 1, dout, 0, outDim, inp, 0, inDim, 1, dweight, 0, inDim),
    attentionForward,
    attentionBackward,
    swigluForward: (out, gate, up, len) => addon.swigluForward(out, gate, up, len),
    swigluBackward: (dgate, dup, dout, gate, up, len) => addon.swigluBackward(dgate, dup, dout, gate, up, len),
    crossEntropyForward: (nll, logits, targets, n, vocab) => addon.crossEntropyForward(nll, logits, targets, n, vocab),
    crossEntropyBackward: (dlogits, probs, targets, weights, n, vocab) => addon.crossEntropyBackward(dlogits, probs, targets, weights, n, vocab),
    rmsnormForward: (out, rstd, inp, weight, n, d, eps) => addon.rmsnormForward(out, rstd, inp, weight, n, d, eps),
    rmsnormBackward: (dinp, dweight, dout, inp, weight, rstd, n, d) => addon.rmsnormBackward(dinp, dweight, dout, inp, weight, rstd, n, d),
    attendCached: (out, outOff, q, qOff, keys, values, kvOff, kvStride, last, hd, scale, scores) =>
      addon.attendCached(out, outOff, q, qOff, keys, values, kvOff, kvStride, last, hd, scale, scores),
    adamWUpdate: (params, grads, m, v, mask, beta1, beta2, eps, stepSize, bc2Sqrt, decay) => addon.adamwStep(params, grads, m, v, mask, beta1, beta2, eps, stepSize, bc2Sqrt, decay),
  };
}
