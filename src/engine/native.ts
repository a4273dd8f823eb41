/**
 * Kernels over the native addon (build/looptool_kernels.node, built after install by
 * scripts/build-native.mjs): the linear layers' products go to the system BLAS (both
 * cores); training attention is one native call per pass, its causal row blocks'
 * products in BLAS and its (sequence, kv-head) jobs shared by `threads` threads; the
 * norms, softmaxes, loss, SwiGLU and AdamW run as vectorised C loops. Loading fails
 * softly: no addon, no native kernels.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Kernels } from './kernels.ts';
import type { AttentionShape } from './ops/attention.ts';

/** How the addon's attention calls take a ragged batch's shape, and how many threads share its jobs. */
type AttentionShapeArgs = [seqStart: Int32Array, seqLen: Int32Array, probOffset: Int32Array, heads: number, kvHeads: number, headDim: number, threads: number];

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
  attentionForward(out: Float32Array, probs: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, ...shape: AttentionShapeArgs): void;
  attentionBackward(
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    dout: Float32Array,
    probs: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    ...shape: AttentionShapeArgs
  ): void;
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
  const shapeArgs = (shape: AttentionShape): AttentionShapeArgs => [shape.seqStart, shape.seqLen, shape.probOffset, shape.heads, shape.kvHeads, shape.headDim, threads];

  return {
    name: 'native (OpenBLAS)',
    matmulForward: (out, inp, weight, n, inDim, outDim) => sgemm(false, true, n, outDim, inDim, 1, inp, 0, inDim, weight, 0, inDim, 0, out, 0, outDim),
    matmulBackwardInput: (dinp, dout, weight, n, inDim, outDim) => sgemm(false, false, n, inDim, outDim, 1, dout, 0, outDim, weight, 0, inDim, 1, dinp, 0, inDim),
    matmulBackwardWeight: (dweight, dout, inp, n, inDim, outDim) => sgemm(true, false, outDim, inDim, n, 1, dout, 0, outDim, inp, 0, inDim, 1, dweight, 0, inDim),
    attentionForward: (out, probs, q, k, v, shape) => addon.attentionForward(out, probs, q, k, v, ...shapeArgs(shape)),
    attentionBackward: (dq, dk, dv, dout, probs, q, k, v, shape) => addon.attentionBackward(dq, dk, dv, dout, probs, q, k, v, ...shapeArgs(shape)),
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
