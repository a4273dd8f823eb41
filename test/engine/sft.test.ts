import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LlamaConfig } from '../../src/engine/config.ts';
import { generate, GREEDY } from '../../src/engine/generate.ts';
import { createModel } from '../../src/engine/model.ts';
import { initParams, paramLayout, seededRandom } from '../../src/engine/params.ts';
import { sftTrain, toBatch, type TokenExample } from '../../src/engine/sft.ts';

// A task that needs attention: reverse a short list of symbols. Tokens 0..9 are
// symbols, 10 separates the input from the answer, 11 ends the answer.
const SEP = 10;
const END = 11;
const config: LlamaConfig = { vocabSize: 12, hiddenSize: 48, intermediateSize: 128, numLayers: 2, numHeads: 4, numKvHeads: 2, maxPositions: 16, ropeTheta: 10000, rmsNormEps: 1e-6 };

function reversalExample(symbols: number[]): TokenExample {
  const tokens = Int32Array.from([...symbols, SEP, ...[...symbols].reverse(), END]);
  const lossMask = new Uint8Array(tokens.length);
  lossMask.fill(1, symbols.length + 1);
  return { tokens, lossMask };
}

test('SFT drives the loss down and reaches exact greedy answers on held-out inputs', () => {
  const rand = seededRandom(1);
  const seen = new Set<string>();
  const all: number[][] = [];
  while (all.length < 700) {
    const len = 3 + Math.floor(rand() * 2);
    const s = Array.from({ length: len }, () => Math.floor(rand() * 10));
    if (!seen.has(s.join())) {
      seen.add(s.join());
      all.push(s);
    }
  }
  const heldOut = all.slice(0, 40);
  const train = all.slice(40).map(reversalExample);
  const model = createModel(config, initParams(paramLayout(config), 2));
  const history = sftTrain(model, train, { epochs: 20, batchTokens: 384, lr: 5e-3, warmupSteps: 20, seed: 3 });
  const early = history.slice(0, 5).reduce((a, p) => a + p.loss, 0) / 5;
  const late = history.slice(-5).reduce((a, p) => a + p.loss, 0) / 5;
  assert.ok(late < early / 5, `loss went from ${early.toFixed(3)} to ${late.toFixed(3)}`);

  const outputs = generate(model, heldOut.map((s) => Int32Array.from([...s, SEP])), { ...GREEDY, maxTokens: 6, stopTokens: [END] });
  const exact = outputs.filter((o, i) => o.tokens.join() === [...heldOut[i]!].reverse().concat(END).join()).length;
  assert.ok(exact >= 36, `${exact}/40 held-out inputs reversed exactly`);
});

test('a batch weighs each target by its example weight, normalised over the batch; without weights every target counts 1', () => {
  const plain = reversalExample([1, 2]);
  const weighted: TokenExample = { ...reversalExample([3, 4]), weights: Float32Array.from([0, 0, 0, 1, 0.25, 1]) };
  const batch = toBatch([plain, weighted]);
  // Targets: tokens 3..5 of each example (the answer and its end), predicted one position earlier.
  const expected = [0, 0, 1, 1, 1, 0, 0, 0, 1, 0.25, 1, 0].map((w) => w / 5.25);
  assert.deepEqual(Array.from(batch.weights, (w) => Number(w.toFixed(6))), expected.map((w) => Number(w.toFixed(6))));
  assert.deepEqual(Array.from(batch.targets), [-1, -1, 2, 1, END, -1, -1, -1, 4, 3, END, -1]);
  const unweighted = toBatch([plain, reversalExample([3, 4])]);
  assert.deepEqual(Array.from(unweighted.weights.filter((w) => w > 0)), Array(6).fill(Math.fround(1 / 6)));
});
