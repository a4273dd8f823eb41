/**
 * Inference with a KV cache: each sequence keeps the keys and values of the tokens it
 * has seen, so a step costs one token's work. One function serves both the prompt
 * (many new tokens) and decoding (one new token per sequence), batched across sequences.
 */
import { headDim } from './config.ts';
import type { Model } from './model.ts';
import { kernels } from './kernels.ts';
import { ropeApply } from './ops/rope.ts';
import { view } from './params.ts';

export interface KvCache {
  /** Per layer: [capacity, kvHeads, headDim]. */
  keys: Float32Array[];
  values: Float32Array[];
  length: number;
  capacity: number;
}

export function createKvCache(model: Model, capacity = model.config.maxPositions): KvCache {
  const c = model.config;
  const size = capacity * c.numKvHeads * headDim(c);
  return {
    keys: Array.from({ length: c.numLayers }, () => new Float32Array(size)),
    values: Array.from({ length: c.numLayers }, () => new Float32Array(size)),
    length: 0,
    capacity,
  };
}

/**
 * Appends `tokens[s]` to sequence s's cache and returns the logits after each sequence's
 * last new token: [S, V]. With `allLogits`, returns logits for every new token instead
 * ([Σ new tokens, V], sequence by sequence).
 */
export function extend(model: Model, caches: KvCache[], tokens: Int32Array[], allLogits = false): Float32Array {
  const { config: c, layout, params } = model;
  const D = c.hiddenSize;
  const I = c.intermediateSize;
  const hd = headDim(c);
  const H = c.numHeads;
  const Hkv = c.numKvHeads;
  const qDim = H * hd;
  const kvDim = Hkv * hd;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(hd);

  let n = 0;
  const starts: number[] = [];
  for (let s = 0; s < tokens.length; s++) {
    starts.push(n);
    n += tokens[s]!.length;
    if (caches[s]!.length + tokens[s]!.length > caches[s]!.capacity) {
      throw new Error(`sequence ${s} would exceed its context of ${caches[s]!.capacity} tokens`);
    }
  }
  const positions = new Int32Array(n);
  const x = new Float32Array(n * D);
  const embed = view(params, layout.embed);
  for (let s = 0; s < tokens.length; s++) {
    const seq = tokens[s]!;
    for (let t = 0; t < seq.length; t++) {
      const id = seq[t]!;
      if (id < 0 || id >= c.vocabSize) throw new Error(`token id ${id} outside the vocabulary of ${c.vocabSize}`);
      const r = starts[s]! + t;
      positions[r] = caches[s]!.length + t;
      x.set(embed.subarray(id * D, id * D + D), r * D);
    }
  }

  const norm = new Float32Array(n * D);
  const rstd = new Float32Array(n);
  const q = new Float32Array(n * qDim);
  const k = new Float32Array(n * kvDim);
  const v = new Float32Array(n * kvDim);
  const att = new Float32Array(n * qDim);
  const proj = new Float32Array(n * D);
  const gate = new Float32Array(n * I);
  const up = new Float32Array(n * I);
  let maxLen = 0;
  for (const cache of caches) maxLen = Math.max(maxLen, cache.capacity);
  const scores = new Float32Array(maxLen);

  for (let l = 0; l < c.numLayers; l++) {
    const w = layout.layers[l]!;
    kernels.rmsnormForward(norm, rstd, x, view(params, w.inputNorm), n, D, c.rmsNormEps);
    kernels.matmulForward(q, norm, view(params, w.q), n, D, qDim);
    kernels.matmulForward(k, norm, view(params, w.k), n, D, kvDim);
    kernels.matmulForward(v, norm, view(params, w.v), n, D, kvDim);
    ropeApply(q, positions, model.rope, n, H, false);
    ropeApply(k, positions, model.rope, n, Hkv, false);
    for (let s = 0; s < tokens.length; s++) {
      const cache = caches[s]!;
      const len = tokens[s]!.length;
      cache.keys[l]!.set(k.subarray(starts[s]! * kvDim, (starts[s]! + len) * kvDim), cache.length * kvDim);
      cache.values[l]!.set(v.subarray(starts[s]! * kvDim, (starts[s]! + len) * kvDim), cache.length * kvDim);
    }
    for (let s = 0; s < tokens.length; s++) {
      const cache = caches[s]!;
      const K = cache.keys[l]!;
      const Vc = cache.values[l]!;
      for (let t = 0; t < tokens[s]!.length; t++) {
        const r = starts[s]! + t;
        const last = cache.length + t; // attends to positions 0..last
        for (let h = 0; h < H; h++) {
          const kh = Math.floor(h / group);
          kernels.attendCached(att, r * qDim + h * hd, q, r * qDim + h * hd, K, Vc, kh * hd, kvDim, last, hd, scale, scores);
        }
      }
    }
    kernels.matmulForward(proj, att, view(params, w.o), n, qDim, D);
    for (let i = 0; i < n * D; i++) x[i]! += proj[i]!;
    kernels.rmsnormForward(norm, rstd, x, view(params, w.postNorm), n, D, c.rmsNormEps);
    kernels.matmulForward(gate, norm, view(params, w.gate), n, D, I);
    kernels.matmulForward(up, norm, view(params, w.up), n, D, I);
    kernels.swigluForward(gate, gate, up, n * I);
    kernels.matmulForward(proj, gate, view(params, w.down), n, I, D);
    for (let i = 0; i < n * D; i++) x[i]! += proj[i]!;
  }
  for (let s = 0; s < tokens.length; s++) caches[s]!.length += tokens[s]!.length;

  // Only the rows whose logits are wanted go through the final norm and the output head.
  const rows = allLogits ? Array.from({ length: n }, (_, r) => r) : starts.map((st, s) => st + tokens[s]!.length - 1);
  const picked = new Float32Array(rows.length * D);
  rows.forEach((r, i) => picked.set(x.subarray(r * D, r * D + D), i * D));
  const pickedNorm = new Float32Array(rows.length * D);
  kernels.rmsnormForward(pickedNorm, new Float32Array(rows.length), picked, view(params, layout.finalNorm), rows.length, D, c.rmsNormEps);
  const out = new Float32Array(rows.length * c.vocabSize);
  kernels.matmulForward(out, pickedNorm, embed, rows.length, D, c.vocabSize);
  return out;
}
