import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { generate, GREEDY, logSoftmaxAt, scoreContinuation } from '../../src/engine/generate.ts';
import { createKvCache, extend } from '../../src/engine/infer.ts';
import { createModel, logits } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';

const config = MODEL_SIZES.micro;
const model = createModel(config, initParams(paramLayout(config), 3, 0.3));
const V = config.vocabSize;

test('the KV cache gives the same logits as a full forward pass, token by token', () => {
  const seq = Int32Array.from([5, 9, 13, 2, 60, 33, 7, 7, 1]);
  const reference = logits(model, seq, [seq.length]);
  const cache = createKvCache(model);
  const first = extend(model, [cache], [seq.subarray(0, 4)]);
  let worst = 0;
  for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(first[v]! - reference[3 * V + v]!));
  for (let t = 4; t < seq.length; t++) {
    const step = extend(model, [cache], [seq.subarray(t, t + 1)]);
    for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs(step[v]! - reference[t * V + v]!));
  }
  assert.ok(worst < 1e-5, `max difference ${worst}`);
});

test('batched decoding of prompts of different lengths equals decoding each alone', () => {
  const prompts = [Int32Array.from([1, 2, 3]), Int32Array.from([40]), Int32Array.from([7, 8, 9, 10, 11, 12])];
  const options = { ...GREEDY, maxTokens: 12 };
  const together = generate(model, prompts, options);
  prompts.forEach((p, i) => assert.deepEqual(generate(model, [p], options)[0]!.tokens, together[i]!.tokens));
});

test('greedy output is the argmax chain and its log-probs are the teacher-forced ones', () => {
  const prompt = Int32Array.from([4, 8, 15, 16, 23, 42]);
  const [out] = generate(model, [prompt], { ...GREEDY, maxTokens: 10 });
  assert.equal(out!.tokens.length, 10);
  assert.equal(out!.finishReason, 'length');
  const forced = scoreContinuation(model, prompt, Int32Array.from(out!.tokens));
  out!.logprobs.forEach((lp, j) => assert.ok(Math.abs(lp - forced[j]!) < 1e-5));
  // Each greedy token is the most likely one: its log-prob is the largest at that step.
  const full = Int32Array.from([...prompt, ...out!.tokens]);
  const all = logits(model, full, [full.length]);
  out!.tokens.forEach((tok, j) => {
    const row = all.subarray((prompt.length - 1 + j) * V, (prompt.length + j) * V);
    for (let v = 0; v < V; v++) assert.ok(logSoftmaxAt(row, v) <= logSoftmaxAt(row, tok) + 1e-6);
  });
});

test('sampling is reproducible with a seed, varies across seeds, and stops on a stop token', () => {
  const prompt = Int32Array.from([3, 1, 4]);
  const sampled = { ...GREEDY, temperature: 1.5, topP: 0.95, topK: 20, maxTokens: 20, seed: 11 };
  const a = generate(model, [prompt], sampled)[0]!;
  const b = generate(model, [prompt], sampled)[0]!;
  assert.deepEqual(a.tokens, b.tokens);
  const others = [12, 13, 14, 15].map((seed) => generate(model, [prompt], { ...sampled, seed })[0]!.tokens.join(','));
  assert.ok(others.some((t) => t !== a.tokens.join(',')), 'different seeds should give different samples');
  const stopAt = a.tokens[3]!;
  const stopped = generate(model, [prompt], { ...sampled, stopTokens: [stopAt] })[0]!;
  assert.equal(stopped.finishReason, 'stop');
  assert.equal(stopped.tokens.at(-1), stopAt);
  assert.ok(stopped.tokens.length <= 4);
});
