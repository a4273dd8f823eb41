/** The native kernels against the TypeScript ones, on odd sizes and on views into larger buffers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestKernels, type Kernels, typescriptKernels } from '../../src/engine/kernels.ts';
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

/** Runs forward then backward with one kernel set; probs starts as `probsStart` and the gradients as `gradStart`. */
function runAttention(
  kern: Kernels,
  shape: ReturnType<typeof attentionShape>,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array; dout: Float32Array },
  probsStart: Float32Array,
  gradStart: { dq: Float32Array; dk: Float32Array; dv: Float32Array },
): Record<'out' | 'probs' | 'dq' | 'dk' | 'dv', Float32Array> {
  const { q, k, v, dout } = inputs;
  const out = new Float32Array(q.length);
  const probs = probsStart.slice();
  kern.attentionForward(out, probs, q, k, v, shape);
  const [dq, dk, dv] = [gradStart.dq.slice(), gradStart.dk.slice(), gradStart.dv.slice()];
  kern.attentionBackward(dq, dk, dv, dout, probs, q, k, v, shape);
  return { out, probs, dq, dk, dv };
}

function attentionInputs(lengths: number[], heads: number, kvHeads: number, hd: number) {
  const shape = attentionShape(lengths, heads, kvHeads, hd);
  const n = lengths.reduce((a, b) => a + b, 0);
  const inputs = { q: randomArray(n * heads * hd), k: randomArray(n * kvHeads * hd), v: randomArray(n * kvHeads * hd), dout: randomArray(n * heads * hd) };
  return { shape, inputs };
}

test('native attention equals the TypeScript attention, forward and backward, with grouped heads', { skip }, () => {
  const native = nativeKernels(addon!);
  const { shape, inputs } = attentionInputs([1, 5, 17], 4, 2, 8);
  const zeros = { dq: new Float32Array(inputs.q.length), dk: new Float32Array(inputs.k.length), dv: new Float32Array(inputs.v.length) };
  const results = [typescriptKernels, native].map((kern) => runAttention(kern, shape, inputs, new Float32Array(shape.probSize), zeros));
  for (const key of ['out', 'probs', 'dq', 'dk', 'dv'] as const) assertClose(results[1]![key], results[0]![key], key);
});

test('native attention over several causal row blocks, on one and two threads, matches and keeps the upper triangles 0', { skip }, () => {
  // Lengths either side of the 64-row block and across several blocks; a reused probs buffer holds stale values.
  for (const [heads, kvHeads, hd] of [[6, 2, 16], [3, 3, 8]] as const) {
    const { shape, inputs } = attentionInputs([1, 63, 64, 65, 200], heads, kvHeads, hd);
    const grads = { dq: randomArray(inputs.q.length), dk: randomArray(inputs.k.length), dv: randomArray(inputs.v.length) };
    const expected = runAttention(typescriptKernels, shape, inputs, new Float32Array(shape.probSize), grads);
    const byThreads = [1, 2].map((threads) => {
      const actual = runAttention(nativeKernels(addon!, threads), shape, inputs, new Float32Array(shape.probSize).fill(7), grads);
      for (const key of ['out', 'probs', 'dq', 'dk', 'dv'] as const) assertClose(actual[key], expected[key], `${heads}/${kvHeads} heads, ${threads} thread(s): ${key}`);
      return actual;
    });
    // Each job runs whole on one thread, so sharing the jobs changes no bit; a race between threads would.
    for (const key of ['out', 'probs', 'dq', 'dk', 'dv'] as const) assert.deepEqual(byThreads[1]![key], byThreads[0]![key], `${key} on two threads`);
  }
});

test('attention shapes that do not fit their arrays are a RangeError, not a crash', { skip }, () => {
  const [heads, kvHeads, hd] = [4, 2, 8];
  const { shape, inputs } = attentionInputs([3, 9], heads, kvHeads, hd);
  const { q, k, v, dout } = inputs;
  const forward = (over: Partial<Record<'out' | 'probs' | 'q' | 'k' | 'v', Float32Array>>, s = shape, h = heads, kvh = kvHeads): void =>
    addon!.attentionForward(over.out ?? new Float32Array(q.length), over.probs ?? new Float32Array(shape.probSize), over.q ?? q, over.k ?? k, over.v ?? v, s.seqStart, s.seqLen, s.probOffset, h, kvh, hd, 2);
  const backward = (over: Partial<Record<'dq' | 'dk' | 'dv' | 'dout' | 'probs', Float32Array>>): void =>
    addon!.attentionBackward(
      over.dq ?? new Float32Array(q.length),
      over.dk ?? new Float32Array(k.length),
      over.dv ?? new Float32Array(v.length),
      over.dout ?? dout,
      over.probs ?? new Float32Array(shape.probSize),
      q,
      k,
      v,
      shape.seqStart,
      shape.seqLen,
      shape.probOffset,
      heads,
      kvHeads,
      hd,
      2,
    );
  forward({});
  backward({});
  const short = (a: Float32Array): Float32Array => a.subarray(1);
  assert.throws(() => forward({ probs: new Float32Array(shape.probSize - 1) }), RangeError);
  assert.throws(() => forward({ out: short(new Float32Array(q.length)) }), RangeError);
  assert.throws(() => forward({ q: short(q) }), RangeError);
  assert.throws(() => forward({ v: short(v) }), RangeError);
  assert.throws(() => backward({ dk: new Float32Array(k.length - 1) }), RangeError);
  assert.throws(() => backward({ dout: short(dout) }), RangeError);
  assert.throws(() => backward({ probs: new Float32Array(shape.probSize - 1) }), RangeError);
  const longer = { ...shape, seqLen: Int32Array.from([3, 10]) };
  assert.throws(() => forward({}, longer), RangeError);
  // Overlapping sequences would let two threads write the same rows.
  const overlapping = { ...shape, seqStart: Int32Array.from([0, 2]) };
  assert.throws(() => forward({}, overlapping), RangeError);
  assert.throws(() => forward({}, { ...shape, probOffset: Int32Array.from([0]) }), RangeError);
  assert.throws(() => forward({}, { ...shape, seqStart: Int32Array.from([-1, 3]) }), RangeError);
  assert.throws(() => forward({}, shape, heads, 3), RangeError);
  assert.throws(() => forward({}, shape, 0, kvHeads), RangeError);
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
