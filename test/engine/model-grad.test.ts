import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { backward, createModel, forward, type Batch } from '../../src/engine/model.ts';
import { initParams, paramLayout, seededRandom } from '../../src/engine/params.ts';

function microBatch(seed: number, vocab: number): Batch {
  const rand = seededRandom(seed);
  const lengths = [7, 3, 11];
  const n = lengths.reduce((a, b) => a + b, 0);
  const tokens = new Int32Array(n);
  const targets = new Int32Array(n);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    tokens[i] = Math.floor(rand() * vocab);
    targets[i] = rand() < 0.25 ? -1 : Math.floor(rand() * vocab);
    weights[i] = 0.5 + rand();
  }
  return { tokens, targets, weights, lengths };
}

test('full-model gradient agrees with central finite differences on every tensor', () => {
  const config = MODEL_SIZES.micro;
  const layout = paramLayout(config);
  // Larger weights than the 0.02 default make every path (attention, norms) carry a visible gradient.
  const params = initParams(layout, 7, 0.3);
  const model = createModel(config, params);
  const batch = microBatch(3, config.vocabSize);
  const grads = new Float32Array(layout.total);
  const { acts } = forward(model, batch);
  backward(model, batch, acts, grads);

  const rand = seededRandom(11);
  const h = 1e-2;
  for (const slot of layout.slots) {
    let worst = 0;
    for (let trial = 0; trial < 6; trial++) {
      const i = slot.offset + Math.floor(rand() * slot.size);
      const saved = params[i]!;
      params[i] = saved + h;
      const plus = forward(model, batch).loss;
      params[i] = saved - h;
      const minus = forward(model, batch).loss;
      params[i] = saved;
      const numeric = (plus - minus) / (2 * h);
      const analytic = grads[i]!;
      const err = Math.abs(numeric - analytic) / Math.max(1e-2, Math.abs(numeric) + Math.abs(analytic));
      worst = Math.max(worst, err);
    }
    assert.ok(worst < 2e-2, `${slot.name}: relative gradient error ${worst.toExponential(2)}`);
  }
});
