/**
 * The Llama decoder, forward and backward over a ragged batch, written as plain paired
 * passes over explicit buffers (in the manner of llm.c): embedding → per layer
 * [RMSNorm → attention (RoPE, GQA, causal) → residual → RMSNorm → SwiGLU MLP → residual]
 * → RMSNorm → tied output embedding → weighted token NLL.
 */
import { headDim, type LlamaConfig } from './config.ts';
import { kernels } from './kernels.ts';
import { attentionShape, type AttentionShape } from './ops/attention.ts';
import { ropeApply, ropeTables, type RopeTables } from './ops/rope.ts';
import { paramLayout, view, type ParamLayout } from './params.ts';

export interface Model {
  config: LlamaConfig;
  layout: ParamLayout;
  params: Float32Array;
  rope: RopeTables;
}

export function createModel(config: LlamaConfig, params: Float32Array): Model {
  const layout = paramLayout(config);
  if (params.length !== layout.total) throw new Error(`expected ${layout.total} parameters, got ${params.length}`);
  return { config, layout, params, rope: ropeTables(config.maxPositions, headDim(config), config.ropeTheta) };
}

/**
 * Token sequences laid end to end. `targets[n]` is the token to predict after position n
 * (−1: no loss there); `weights[n]` scales that position's NLL (1/count for a mean, a
 * per-token coefficient for policy gradients).
 */
export interface Batch {
  tokens: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  lengths: number[];
}

interface LayerActivations {
  input: Float32Array; // [N, D] the residual stream entering the layer
  norm1: Float32Array; // [N, D]
  rstd1: Float32Array; // [N]
  q: Float32Array; // [N, H·hd] after RoPE
  k: Float32Array; // [N, Hkv·hd] after RoPE
  v: Float32Array; // [N, Hkv·hd]
  probs: Float32Array; // per sequence [H, T, T]
  att: Float32Array; // [N, H·hd]
  mid: Float32Array; // [N, D] residual after attention
  norm2: Float32Array; // [N, D]
  rstd2: Float32Array; // [N]
  gate: Float32Array; // [N, I]
  up: Float32Array; // [N, I]
  act: Float32Array; // [N, I] silu(gate)·up
}

export interface Activations {
  n: number;
  positions: Int32Array;
  shape: AttentionShape;
  layers: LayerActivations[];
  final: Float32Array; // [N, D] residual stream after the last layer
  finalNorm: Float32Array; // [N, D]
  finalRstd: Float32Array; // [N]
  probs: Float32Array; // [N, V] softmax of the logits (the logits before the loss runs)
  nll: Float32Array; // [N]
}

/**
 * Buffers kept from one training step to the next, so steps of the same batch shape
 * neither allocate nor page-fault tens of megabytes each time. A workspace belongs to
 * one training loop: the activations it hands out are overwritten by its next forward.
 */
export class Workspace {
  private acts: { key: string; acts: Activations } | undefined;
  private readonly scratch = new Map<string, Float32Array>();

  activations(c: LlamaConfig, lengths: number[]): Activations {
    const key = lengths.join(',');
    if (this.acts?.key !== key) this.acts = { key, acts: allocActivations(c, lengths) };
    return this.acts.acts;
  }

  /** A zero-filled buffer of `size` floats under `name`, reused across calls. */
  zeros(name: string, size: number): Float32Array {
    let buf = this.scratch.get(name);
    if (buf === undefined || buf.length !== size) {
      buf = new Float32Array(size);
      this.scratch.set(name, buf);
    } else {
      buf.fill(0);
    }
    return buf;
  }
}

function allocActivations(c: LlamaConfig, lengths: number[]): Activations {
  const n = lengths.reduce((a, b) => a + b, 0);
  const hd = headDim(c);
  const D = c.hiddenSize;
  const I = c.intermediateSize;
  const shape = attentionShape(lengths, c.numHeads, c.numKvHeads, hd);
  const positions = new Int32Array(n);
  lengths.forEach((len, s) => {
    for (let t = 0; t < len; t++) positions[shape.seqStart[s]! + t] = t;
  });
  const f = (size: number): Float32Array => new Float32Array(size);
  const layers: LayerActivations[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    layers.push({
      input: f(n * D),
      norm1: f(n * D),
      rstd1: f(n),
      q: f(n * c.numHeads * hd),
      k: f(n * c.numKvHeads * hd),
      v: f(n * c.numKvHeads * hd),
      probs: f(shape.probSize),
      att: f(n * c.numHeads * hd),
      mid: f(n * D),
      norm2: f(n * D),
      rstd2: f(n),
      gate: f(n * I),
      up: f(n * I),
      act: f(n * I),
    });
  }
  return { n, positions, shape, layers, final: f(n * D), finalNorm: f(n * D), finalRstd: f(n), probs: f(n * c.vocabSize), nll: f(n) };
}

/**
 * Runs the model on a batch; returns the activations and Σ weights·NLL. Leaves softmax
 * probabilities in `acts.probs`. With a workspace, its buffers are reused.
 */
export function forward(model: Model, batch: Batch, workspace?: Workspace): { acts: Activations; loss: number } {
  const { config: c, layout, params } = model;
  for (const len of batch.lengths) {
    if (len > c.maxPositions) throw new Error(`sequence of ${len} tokens exceeds the context of ${c.maxPositions}`);
  }
  const acts = workspace ? workspace.activations(c, batch.lengths) : allocActivations(c, batch.lengths);
  const { n } = acts;
  const D = c.hiddenSize;
  const I = c.intermediateSize;
  const hd = headDim(c);
  const qDim = c.numHeads * hd;
  const kvDim = c.numKvHeads * hd;
  const embed = view(params, layout.embed);

  let stream = acts.layers[0]?.input ?? acts.final;
  for (let r = 0; r < n; r++) {
    const id = batch.tokens[r]!;
    if (id < 0 || id >= c.vocabSize) throw new Error(`token id ${id} outside the vocabulary of ${c.vocabSize}`);
    stream.set(embed.subarray(id * D, id * D + D), r * D);
  }

  for (let l = 0; l < c.numLayers; l++) {
    const a = acts.layers[l]!;
    const w = layout.layers[l]!;
    kernels.rmsnormForward(a.norm1, a.rstd1, a.input, view(params, w.inputNorm), n, D, c.rmsNormEps);
    kernels.matmulForward(a.q, a.norm1, view(params, w.q), n, D, qDim);
    kernels.matmulForward(a.k, a.norm1, view(params, w.k), n, D, kvDim);
    kernels.matmulForward(a.v, a.norm1, view(params, w.v), n, D, kvDim);
    ropeApply(a.q, acts.positions, model.rope, n, c.numHeads, false);
    ropeApply(a.k, acts.positions, model.rope, n, c.numKvHeads, false);
    kernels.attentionForward(a.att, a.probs, a.q, a.k, a.v, acts.shape);
    kernels.matmulForward(a.mid, a.att, view(params, w.o), n, qDim, D);
    for (let i = 0; i < n * D; i++) a.mid[i]! += a.input[i]!;
    kernels.rmsnormForward(a.norm2, a.rstd2, a.mid, view(params, w.postNorm), n, D, c.rmsNormEps);
    kernels.matmulForward(a.gate, a.norm2, view(params, w.gate), n, D, I);
    kernels.matmulForward(a.up, a.norm2, view(params, w.up), n, D, I);
    kernels.swigluForward(a.act, a.gate, a.up, n * I);
    const next = l + 1 < c.numLayers ? acts.layers[l + 1]!.input : acts.final;
    kernels.matmulForward(next, a.act, view(params, w.down), n, I, D);
    for (let i = 0; i < n * D; i++) next[i]! += a.mid[i]!;
    stream = next;
  }

  kernels.rmsnormForward(acts.finalNorm, acts.finalRstd, stream, view(params, layout.finalNorm), n, D, c.rmsNormEps);
  kernels.matmulForward(acts.probs, acts.finalNorm, embed, n, D, c.vocabSize);
  kernels.crossEntropyForward(acts.nll, acts.probs, batch.targets, n, c.vocabSize);
  let loss = 0;
  for (let r = 0; r < n; r++) if (batch.targets[r]! >= 0) loss += batch.weights[r]! * acts.nll[r]!;
  return { acts, loss };
}

/** Logits of a batch (no loss): [N, V]. Used for parity checks and scoring. */
export function logits(model: Model, tokens: Int32Array, lengths: number[]): Float32Array {
  const targets = new Int32Array(tokens.length).fill(-1);
  // The forward pass turns logits into probabilities in place; the head runs once more to keep them raw.
  const { acts } = forward(model, { tokens, targets, weights: new Float32Array(tokens.length), lengths });
  const out = new Float32Array(acts.n * model.config.vocabSize);
  kernels.matmulForward(out, acts.finalNorm, view(model.params, model.layout.embed), acts.n, model.config.hiddenSize, model.config.vocabSize);
  return out;
}

/** Accumulates ∂(Σ weights·NLL)/∂params into `grads` (same layout as the params). */
export function backward(model: Model, batch: Batch, acts: Activations, grads: Float32Array, workspace: Workspace = new Workspace()): void {
  const { config: c, layout, params } = model;
  const { n } = acts;
  const D = c.hiddenSize;
  const I = c.intermediateSize;
  const V = c.vocabSize;
  const hd = headDim(c);
  const qDim = c.numHeads * hd;
  const kvDim = c.numKvHeads * hd;
  const embed = view(params, layout.embed);
  const dEmbed = view(grads, layout.embed);

  const dlogits = workspace.zeros('dlogits', n * V);
  kernels.crossEntropyBackward(dlogits, acts.probs, batch.targets, batch.weights, n, V);
  const dFinalNorm = workspace.zeros('dFinalNorm', n * D);
  kernels.matmulBackwardInput(dFinalNorm, dlogits, embed, n, D, V);
  kernels.matmulBackwardWeight(dEmbed, dlogits, acts.finalNorm, n, D, V);
  let dStream = workspace.zeros('dStream', n * D);
  kernels.rmsnormBackward(dStream, view(grads, layout.finalNorm), dFinalNorm, acts.final, view(params, layout.finalNorm), acts.finalRstd, n, D);

  const dAct = workspace.zeros('dAct', n * I);
  const dGate = workspace.zeros('dGate', n * I);
  const dUp = workspace.zeros('dUp', n * I);
  const dNorm = workspace.zeros('dNorm', n * D);
  const dAtt = workspace.zeros('dAtt', n * qDim);
  const dq = workspace.zeros('dq', n * qDim);
  const dk = workspace.zeros('dk', n * kvDim);
  const dv = workspace.zeros('dv', n * kvDim);

  for (let l = c.numLayers - 1; l >= 0; l--) {
    const a = acts.layers[l]!;
    const w = layout.layers[l]!;
    // dStream is ∂L/∂(layer output) = ∂L/∂mid through the residual, plus the MLP branch.
    dAct.fill(0);
    kernels.matmulBackwardInput(dAct, dStream, view(params, w.down), n, I, D);
    kernels.matmulBackwardWeight(view(grads, w.down), dStream, a.act, n, I, D);
    dGate.fill(0);
    dUp.fill(0);
    kernels.swigluBackward(dGate, dUp, dAct, a.gate, a.up, n * I);
    dNorm.fill(0);
    kernels.matmulBackwardInput(dNorm, dGate, view(params, w.gate), n, D, I);
    kernels.matmulBackwardWeight(view(grads, w.gate), dGate, a.norm2, n, D, I);
    kernels.matmulBackwardInput(dNorm, dUp, view(params, w.up), n, D, I);
    kernels.matmulBackwardWeight(view(grads, w.up), dUp, a.norm2, n, D, I);
    const dMid = dStream; // residual: the gradient flows on unchanged, and the norm branch adds to it
    kernels.rmsnormBackward(dMid, view(grads, w.postNorm), dNorm, a.mid, view(params, w.postNorm), a.rstd2, n, D);

    dAtt.fill(0);
    kernels.matmulBackwardInput(dAtt, dMid, view(params, w.o), n, qDim, D);
    kernels.matmulBackwardWeight(view(grads, w.o), dMid, a.att, n, qDim, D);
    dq.fill(0);
    dk.fill(0);
    dv.fill(0);
    kernels.attentionBackward(dq, dk, dv, dAtt, a.probs, a.q, a.k, a.v, acts.shape);
    ropeApply(dq, acts.positions, model.rope, n, c.numHeads, true);
    ropeApply(dk, acts.positions, model.rope, n, c.numKvHeads, true);
    dNorm.fill(0);
    kernels.matmulBackwardInput(dNorm, dq, view(params, w.q), n, D, qDim);
    kernels.matmulBackwardWeight(view(grads, w.q), dq, a.norm1, n, D, qDim);
    kernels.matmulBackwardInput(dNorm, dk, view(params, w.k), n, D, kvDim);
    kernels.matmulBackwardWeight(view(grads, w.k), dk, a.norm1, n, D, kvDim);
    kernels.matmulBackwardInput(dNorm, dv, view(params, w.v), n, D, kvDim);
    kernels.matmulBackwardWeight(view(grads, w.v), dv, a.norm1, n, D, kvDim);
    kernels.rmsnormBackward(dMid, view(grads, w.inputNorm), dNorm, a.input, view(params, w.inputNorm), a.rstd1, n, D);
    dStream = dMid;
  }

  for (let r = 0; r < n; r++) {
    const id = batch.tokens[r]!;
    const g = dEmbed.subarray(id * D, id * D + D);
    for (let i = 0; i < D; i++) g[i]! += dStream[r * D + i]!;
  }
}
