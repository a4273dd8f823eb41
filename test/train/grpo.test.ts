import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { generate } from '../../src/engine/generate.ts';
import { createModel, forward } from '../../src/engine/model.ts';
import { adamWState, DEFAULT_ADAMW } from '../../src/engine/optim.ts';
import { initParams, paramLayout, seededRandom } from '../../src/engine/params.ts';
import { clippedSurrogate, completionLogprobs, groupAdvantages, grpoGradients, grpoStep, lowVarKl, rolloutBatch, type Rollout } from '../../src/train/grpo.ts';

const close = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('group advantages: (r − mean) / (unbiased std + 1e-6), zeros for a uniform group', () => {
  const adv = groupAdvantages([1, 0, 0, 1]);
  const std = Math.sqrt(1 / 3); // four rewards 1,0,0,1: variance (4 · 0.25) / 3
  assert.ok(close(adv[0]!, 0.5 / (std + 1e-6)) && close(adv[1]!, -0.5 / (std + 1e-6)));
  assert.deepEqual(groupAdvantages([1, 1, 1]), [0, 0, 0]);
  assert.deepEqual(groupAdvantages([0]), [0]);
  const skew = groupAdvantages([1, 0, 0, 0]);
  assert.ok(close(skew[0]!, 0.75 / (0.5 + 1e-6)) && close(skew[1]!, -0.25 / (0.5 + 1e-6)));
});

test('clipped surrogate: each branch, the dual clip and the token mean, against values worked by hand', () => {
  // ratio = e^(new − old); advantages +1 or −1
  const cases = [
    { d: 0, a: 1, loss: -1, w: 1 }, // inside the range: −ρA, gradient ρA
    { d: 0.5, a: 1, loss: -1.28, w: 0 }, // ρ = 1.6487 > 1.28: clipped, no gradient
    { d: -0.5, a: 1, loss: -Math.exp(-0.5), w: Math.exp(-0.5) }, // ρ = 0.6065 < 0.8 with A > 0: the unclipped branch is the max
    { d: -0.5, a: -1, loss: 0.8, w: 0 }, // A < 0, ρ < 0.8: clipped at 0.8
    { d: 1.5, a: -1, loss: 3, w: 0 }, // A < 0, ρ = 4.48: dual clip at c = 3
    { d: 0.9, a: -1, loss: Math.exp(0.9), w: -Math.exp(0.9) }, // A < 0, ρ = 2.46 < 3: unclipped
  ];
  const r = clippedSurrogate(
    cases.map((c) => c.d - 2),
    cases.map(() => -2),
    cases.map((c) => c.a),
  );
  const n = cases.length;
  assert.ok(close(r.loss, cases.reduce((s, c) => s + c.loss, 0) / n));
  cases.forEach((c, i) => assert.ok(close(r.weights[i]!, c.w / n, 1e-5), `case ${i}: ${r.weights[i]} vs ${c.w / n}`));
  assert.ok(close(r.clippedFraction, 3 / n));
  assert.equal(clippedSurrogate([], [], []).loss, 0);
});

test('low-var KL: e^r − r − 1 with r = ref − new, its NLL weight coef·(e^r − 1)/N, clamped at 10', () => {
  const r = lowVarKl([0, -Math.log(2), -20], [0, 0, 0], 0.5);
  const kl = [0, 2 - Math.log(2) - 1, 10];
  assert.ok(close(r.loss, (0.5 * kl.reduce((a, b) => a + b, 0)) / 3));
  assert.ok(close(r.weights[0]!, 0) && close(r.weights[1]!, (0.5 * (2 - 1)) / 3, 1e-6) && r.weights[2] === 0);
});

test('the GRPO gradient is the derivative of the surrogate loss plus the KL penalty (finite differences)', () => {
  const config = MODEL_SIZES.micro;
  const layout = paramLayout(config);
  const params = initParams(layout, 5, 0.3);
  const model = createModel(config, params);
  const rand = seededRandom(9);
  const tok = (k: number): Int32Array => Int32Array.from({ length: k }, () => Math.floor(rand() * config.vocabSize));
  const rollouts: Rollout[] = [0, 1, 2, 3].map((i) => {
    const completion = Array.from(tok(3 + i));
    // old log-probs near the current ones, so some tokens clip and some do not
    return { prompt: tok(4), completion, logprobs: completion.map(() => -Math.log(config.vocabSize) + (rand() - 0.5) * 0.6), advantage: i % 2 === 0 ? 1.2 : -0.8 };
  });
  // a reference a little away from the model, so the KL term has a gradient too
  completionLogprobs(model, rollouts).forEach((lp, i) => (rollouts[i]!.refLogprobs = lp.map((x) => x + (rand() - 0.5) * 0.4)));
  const klCoef = 0.3;
  const grads = new Float32Array(layout.total);
  grpoGradients(model, rollouts, grads, undefined, undefined, klCoef);
  const lossAt = (): number => {
    const { batch, rows } = rolloutBatch(rollouts);
    const { acts } = forward(model, batch);
    const adv = rollouts.flatMap((r) => r.completion.map(() => r.advantage));
    const logpNew = rows.map((row) => -acts.nll[row]!);
    return clippedSurrogate(logpNew, rollouts.flatMap((r) => [...r.logprobs]), adv).loss + lowVarKl(logpNew, rollouts.flatMap((r) => [...r.refLogprobs!]), klCoef).loss;
  };
  const h = 1e-3;
  let checked = 0;
  for (const slot of layout.slots) {
    for (let trial = 0; trial < 3; trial++) {
      const i = slot.offset + Math.floor(rand() * slot.size);
      const saved = params[i]!;
      params[i] = saved + h;
      const up = lossAt();
      params[i] = saved - h;
      const down = lossAt();
      params[i] = saved;
      const fd = (up - down) / (2 * h);
      assert.ok(Math.abs(fd - grads[i]!) <= 2e-3 + 0.05 * Math.abs(fd), `${slot.name}[${i - slot.offset}]: finite difference ${fd}, gradient ${grads[i]}`);
      checked++;
    }
  }
  assert.ok(checked >= 20);
});

test('on a small task, GRPO alone raises the reward', () => {
  const config = { ...MODEL_SIZES.micro, vocabSize: 32 };
  const layout = paramLayout(config);
  const model = createModel(config, initParams(layout, 3));
  const state = adamWState(layout);
  const grads = new Float32Array(layout.total);
  const prompt = Int32Array.from([1, 2, 3]);
  const wanted = new Set([7, 8]); // reward 1 when the answer starts with token 7 or 8 (2 of 32 at the start)
  const G = 8;
  const rewards: number[] = [];
  for (let step = 0; step < 40; step++) {
    const seqs = generate(model, Array.from({ length: G }, () => prompt), { temperature: 1, topP: 1, topK: 0, maxTokens: 2, stopTokens: [], seed: step * G });
    const r: number[] = seqs.map((s) => (wanted.has(s.tokens[0]!) ? 1 : 0));
    rewards.push(r.reduce((a, b) => a + b, 0) / G);
    const adv = groupAdvantages(r);
    const rollouts = seqs.map((s, i) => ({ prompt, completion: s.tokens, logprobs: s.logprobs, advantage: adv[i]! })).filter((x) => x.advantage !== 0);
    if (rollouts.length > 0) grpoStep(model, rollouts, state, { ...DEFAULT_ADAMW, weightDecay: 0 }, 3e-2, 1, grads);
  }
  const first = rewards.slice(0, 10).reduce((a, b) => a + b, 0) / 10;
  const last = rewards.slice(-10).reduce((a, b) => a + b, 0) / 10;
  assert.ok(last > first + 0.3 && last > 0.5, `mean reward ${first.toFixed(2)} → ${last.toFixed(2)}`);
});
