/**
 * Each op's backward against central finite differences of its forward, through a
 * random linear read-out L = Σ out·r (so every output element matters).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attentionBackward, attentionForward, attentionShape } from '../../src/engine/ops/attention.ts';
import { crossEntropyBackward, crossEntropyForward } from '../../src/engine/ops/loss.ts';
import { matmulBackwardInput, matmulBackwardWeight, matmulForward } from '../../src/engine/ops/matmul.ts';
import { rmsnormBackward, rmsnormForward } from '../../src/engine/ops/rmsnorm.ts';
import { ropeApply, ropeTables } from '../../src/engine/ops/rope.ts';
import { swigluBackward, swigluForward } from '../../src/engine/ops/swiglu.ts';
import { seededRandom } from '../../src/engine/params.ts';

const rand = seededRandom(42);
const randomArray = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);

/** Checks d(loss)/d(input) for each named input against finite differences at a few random positions. */
function checkGradients(inputs: Record<string, Float32Array>, loss: () => number, grads: Record<string, Float32Array>): void {
  const h = 1e-2;
  for (const [name, x] of Object.entries(inputs)) {
    for (let trial = 0; trial < 8; trial++) {
      const i = Math.floor(rand() * x.length);
      const saved = x[i]!;
      x[i] = saved + h;
      const plus = loss();
      x[i] = saved - h;
      const minus = loss();
      x[i] = saved;
      const numeric = (plus - minus) / (2 * h);
      const analytic = grads[name]![i]!;
      const err = Math.abs(numeric - analytic) / Math.max(1e-2, Math.abs(numeric) + Math.abs(analytic));
      assert.ok(err < 1e-2, `${name}[${i}]: analytic ${analytic}, numeric ${numeric}`);
    }
  }
}

const readout = (out: Float32Array, r: Float32Array): number => out.reduce((a, v, i) => a + v * r[i]!, 0);

test('matmul', () => {
  const [n, inDim, outDim] = [5, 7, 6];
  const inp = randomArray(n * inDim);
  const w = randomArray(outDim * inDim);
  const r = randomArray(n * outDim);
  const out = new Float32Array(n * outDim);
  const loss = (): number => (matmulForward(out, inp, w, n, inDim, outDim), readout(out, r));
  const dInp = new Float32Array(inp.length);
  const dW = new Float32Array(w.length);
  matmulBackwardInput(dInp, r, w, n, inDim, outDim);
  matmulBackwardWeight(dW, r, inp, n, inDim, outDim);
  checkGradients({ inp, w }, loss, { inp: dInp, w: dW });
});

test('rmsnorm', () => {
  const [n, d] = [4, 9];
  const inp = randomArray(n * d, 2);
  const w = randomArray(d);
  const r = randomArray(n * d);
  const out = new Float32Array(n * d);
  const rstd = new Float32Array(n);
  const loss = (): number => (rmsnormForward(out, rstd, inp, w, n, d, 1e-6), readout(out, r));
  loss();
  const dInp = new Float32Array(inp.length);
  const dW = new Float32Array(w.length);
  rmsnormBackward(dInp, dW, r, inp, w, rstd, n, d);
  checkGradients({ inp, w }, loss, { inp: dInp, w: dW });
});

test('rope', () => {
  const [n, heads, hd] = [6, 2, 8];
  const tables = ropeTables(16, hd, 10000);
  const positions = Int32Array.from([0, 3, 1, 7, 15, 2]);
  const x = randomArray(n * heads * hd);
  const r = randomArray(x.length);
  const loss = (): number => {
    const y = x.slice();
    ropeApply(y, positions, tables, n, heads, false);
    return readout(y, r);
  };
  const dx = r.slice();
  ropeApply(dx, positions, tables, n, heads, true);
  checkGradients({ x }, loss, { x: dx });
});

test('causal grouped-query attention over a ragged batch', () => {
  const shape = attentionShape([3, 5], 4, 2, 4);
  const n = 8;
  const q = randomArray(n * 4 * 4);
  const k = randomArray(n * 2 * 4);
  const v = randomArray(n * 2 * 4);
  const r = randomArray(n * 4 * 4);
  const out = new Float32Array(q.length);
  const probs = new Float32Array(shape.probSize);
  const loss = (): number => (attentionForward(out, probs, q, k, v, shape), readout(out, r));
  loss();
  const [dq, dk, dv] = [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)];
  attentionBackward(dq, dk, dv, r, probs, q, k, v, shape);
  checkGradients({ q, k, v }, loss, { q: dq, k: dk, v: dv });
});

test('swiglu', () => {
  const len = 12;
  const gate = randomArray(len, 3);
  const up = randomArray(len);
  const r = randomArray(len);
  const out = new Float32Array(len);
  const loss = (): number => (swigluForward(out, gate, up, len), readout(out, r));
  const [dGate, dUp] = [new Float32Array(len), new Float32Array(len)];
  swigluBackward(dGate, dUp, r, gate, up, len);
  checkGradients({ gate, up }, loss, { gate: dGate, up: dUp });
});

test('weighted cross-entropy, masked positions ignored', () => {
  const [n, vocab] = [4, 7];
  const logits = randomArray(n * vocab, 3);
  const targets = Int32Array.from([2, -1, 6, 0]);
  const weights = Float32Array.from([0.5, 9, 1.5, 1]);
  const nll = new Float32Array(n);
  const loss = (): number => {
    const probs = logits.slice();
    crossEntropyForward(nll, probs, targets, n, vocab);
    return nll.reduce((a, l, i) => a + (targets[i]! >= 0 ? l * weights[i]! : 0), 0);
  };
  const probs = logits.slice();
  crossEntropyForward(nll, probs, targets, n, vocab);
  assert.equal(nll[1], 0);
  const dLogits = new Float32Array(logits.length);
  crossEntropyBackward(dLogits, probs, targets, weights, n, vocab);
  checkGradients({ logits }, loss, { logits: dLogits });
});
