/** The native kernels against the TypeScript ones, on odd sizes and on views into larger buffers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestKernels, typescriptKernels } from '../../src/engine/kernels.ts';
import { loadAddon, nativeKernels } from '../../src/engine/native.ts';
import { attentionShape } from '../../src/engine/ops/attention.ts';
import { seededRandom } from '../../src/engine/params.ts';

const addon = loadAddon();
const skip = addon ? false : 'the native addon is not built (scripts/build-native.mjs needs a C compiler and libopenblas-dev)';
if (!addon && process.env['CI']) test('the native kernels are built in CI', () => assert.fail('build/looptool_kernels.node is missing: .ci/run installs libopenblas-dev and npm ci builds it'));

const rand = seededRandom(8);
const randomArray = (n: number): Float32Array => Float32Array.from({ length: n }, () => rand() * 2 - 1);

function assertClose(actual: Float32Array, expected: Float32Array, label: string): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  assert.ok(worst < 1e-5, `${label}: worst relative difference ${worst}`);
}

test('native matmuls equal the TypeScript ones, on views with offsets and odd sizes', { skip }, () => {
  const native = nativeKernels(addon!);
  for (const [n, inDim, outDim] of [[1, 1, 1], [7, 13, 5], [33, 64, 130], [128, 128, 352]] as const) {
    // Views into bigger buffers, as the engine passes them.
    const inp = randomArray(n * inDim + 9).subarray(9);
    const w = randomArray(outDim * inDim + 3).subarray(3);
    const dout = randomArray(n * outDim);
    const outs = [new Float32Array(n * outDim), new Float32Array(n * outDim)];
    typescriptKernels.matmulForward(outs[0]!, inp, w, n, inDim, outDim);
    native.matmulForward(outs[1]!, inp, w, n, inDim, outDim);
    assertClose(outs[1]!, outs[0]!, `forward ${n}x${inDim}x${outDim}`);
    const dinps = [randomArray(n * inDim), new Float32Array(0)];
    dinps[1] = dinps[0]!.slice();
    typescriptKernels.matmulBackwardInput(dinps[0]!, dout, w, n, inDim, outDim);
    native.matmulBackwardInput(dinps[1]!, dout, w, n, inDim, outDim);
    assertClose(dinps[1]!, dinps[0]!, 'backward input (accumulating)');
    const dws = [randomArray(outDim * inDim), new Float32Array(0)];
    dws[1] = dws[0]!.slice();
    typescriptKernels.matmulBackwardWeight(dws[0]!, dout, inp, n, inDim, outDim);
    native.matmulBackwardWeight(dws[1]!, dout, inp, n, inDim, outDim);
    assertClose(dws[1]!, dws[0]!, 'backward weight (accumulating)');
  }
});

test('native attention equals the TypeScript attention, forward and backward, with grouped heads', { skip }, () => {
  const native = nativeKernels(addon!);
  const [heads, kvHeads, hd] = [4, 2, 8];
  const shape = attentionShape([1, 5, 17], heads, kvHeads, hd);
  const n = 23;
  const q = randomArray(n * heads * hd);
  const k = randomArray(n * kvHeads * hd);
  const v = randomArray(n * kvHeads * hd);
  const dout = randomArray(n * heads * hd);
  const results = [typescriptKernels, native].map((kern) => {
    const out = new Float32Array(q.length);
    const probs = new Float32Array(shape.probSize);
    kern.attentionForward(out, probs, q, k, v, shape);
    const [dq, dk, dv] = [new Float32Array(q.length), new Float32Array(k.length), new Float32Array(v.length)];
    kern.attentionBackward(dq, dk, dv, dout, probs, q, k, v, shape);
    return { out, dq, dk, dv };
  });
  for (const key of ['out', 'dq', 'dk', 'dv'] as const) assertClose(results[1]![key], results[0]![key], key);
});

test('native SwiGLU and cross-entropy equal the TypeScript ones', { skip }, () => {
  const native = nativeKernels(addon!);
  const len = 1001;
  const gate = randomArray(len).map((x) => x * 6);
  const up = randomArray(len);
  const dout = randomArray(len);
  const outs = [typescriptKernels, native].map((kern) => {
    const out = new Float32Array(len);
    kern.swigluForward(out, gate, up, len);
    const [dg, du] = [Float32Array.from(dout), Float32Array.from(up)];
    kern.swigluBackward(dg, du, dout, gate, up, len);
    return { out, dg, du };
  });
  for (const key of ['out', 'dg', 'du'] as const) assertClose(outs[1]![key], outs[0]![key], `swiglu ${key}`);
  const [n, vocab] = [37, 301];
  const logits = randomArray(n * vocab).map((x) => x * 20);
  const targets = Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? -1 : (i * 17) % vocab));
  const ce = [typescriptKernels, native].map((kern) => {
    const probs = logits.slice();
    const nll = new Float32Array(n);
    const total = kern.crossEntropyForward(nll, probs, targets, n, vocab);
    return { probs, nll, total };
  });
  assertClose(ce[1]!.probs, ce[0]!.probs, 'softmax');
  assertClose(ce[1]!.nll, ce[0]!.nll, 'nll');
  assert.ok(Math.abs(ce[1]!.total - ce[0]!.total) <= 1e-4 * Math.abs(ce[0]!.total));
});

test('native RMSNorm, loss backward and AdamW equal the TypeScript ones', { skip }, () => {
  const native = nativeKernels(addon!);
  const [n, d] = [9, 130];
  const inp = randomArray(n * d).map((x) => x * 3);
  const w = randomArray(d);
  const dout = randomArray(n * d);
  const norm = [typescriptKernels, native].map((kern) => {
    const out = new Float32Array(n * d);
    const rstd = new Float32Array(n);
    kern.rmsnormForward(out, rstd, inp, w, n, d, 1e-6);
    const [dinp, dw] = [Float32Array.from(dout), Float32Array.from(w)];
    kern.rmsnormBackward(dinp, dw, dout, inp, w, rstd, n, d);
    return { out, rstd, dinp, dw };
  });
  for (const key of ['out', 'rstd', 'dinp', 'dw'] as const) assertClose(norm[1]![key], norm[0]![key], `rmsnorm ${key}`);
  const vocab = 77;
  const probs = randomArray(n * vocab).map(Math.abs);
  const targets = Int32Array.from({ length: n }, (_, i) => (i === 3 ? -1 : (i * 13) % vocab));
  const weights = Float32Array.from({ length: n }, (_, i) => (i === 5 ? 0 : 0.1 * i));
  const dl = [typescriptKernels, native].map((kern) => {
    const out = randomArray(n * vocab);
    kern.crossEntropyBackward(out, probs, targets, weights, n, vocab);
    return out;
  });
  assertClose(dl[1]!, dl[0]!, 'cross-entropy backward');
  const size = 1003;
  const mask = Uint8Array.from({ length: size }, (_, i) => i % 3 === 0 ? 0 : 1);
  const grads = randomArray(size);
  const start = randomArray(size);
  const adam = [typescriptKernels, native].map((kern) => {
    const [p, m, v] = [start.slice(), new Float32Array(size).fill(0.01), new Float32Array(size).fill(0.02)];
    for (let step = 0; step < 3; step++) kern.adamWUpdate(p, grads, m, v, mask, 0.9, 0.95, 1e-8, 1e-3, 0.3, 0.999);
    return { p, m, v };
  });
  for (const key of ['p', 'm', 'v'] as const) assertClose(adam[1]![key], adam[0]![key], `adamw ${key}`);
});

test('native cached attention equals the TypeScript one', { skip }, () => {
  const native = nativeKernels(addon!);
  const [hd, kvStride, last] = [16, 48, 40];
  const keys = randomArray((last + 1) * kvStride);
  const values = randomArray((last + 1) * kvStride);
  const q = randomArray(3 * hd);
  const outs = [typescriptKernels, native].map((kern) => {
    const out = new Float32Array(2 * hd);
    kern.attendCached(out, hd, q, 2 * hd, keys, values, 16, kvStride, last, hd, 0.25, new Float32Array(64));
    return out;
  });
  assertClose(outs[1]!, outs[0]!, 'attendCached');
  assert.throws(() => addon!.attendCached(new Float32Array(hd), 0, q, 0, keys, values, 16, kvStride, last + 1, hd, 0.25, new Float32Array(64)), RangeError);
});

test('a matrix that does not fit its array is a RangeError, not a crash', { skip }, () => {
  assert.throws(() => addon!.sgemm(false, false, 4, 4, 4, 1, new Float32Array(15), 0, 4, new Float32Array(16), 0, 4, 0, new Float32Array(16), 0, 4), RangeError);
  assert.throws(() => addon!.sgemm(false, false, 2, 2, 2, 1, new Float32Array(4), 1, 2, new Float32Array(4), 0, 2, 0, new Float32Array(4), 0, 2), RangeError);
});

test('LOOPTOOL_KERNELS=typescript forces the fallback', () => {
  const saved = process.env['LOOPTOOL_KERNELS'];
  process.env['LOOPTOOL_KERNELS'] = 'typescript';
  try {
    assert.equal(bestKernels().name, 'typescript');
  } finally {
    if (saved === undefined) delete process.env['LOOPTOOL_KERNELS'];
    else process.env['LOOPTOOL_KERNELS'] = saved;
  }
});
