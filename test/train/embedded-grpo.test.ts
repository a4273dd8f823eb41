import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { createModel } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';
import { trainTokenizer } from '../../src/engine/tokenizer/index.ts';
import type { Sample } from '../../src/core/types.ts';
import type { EngineBundle } from '../../src/models/engine-model.ts';
import { trainGrpo, type GrpoStepReport } from '../../src/train/embedded-grpo.ts';

const corpus = ['ping pong', 'alpha beta gamma', 'the quick brown fox', 'abc abd abe', 'hello there'];
function bundle(seed: number): EngineBundle {
  const tokenizer = trainTokenizer(corpus, { vocabSize: 300 });
  const config = { ...MODEL_SIZES.micro, vocabSize: tokenizer.vocabSize, maxPositions: 96 };
  return { model: createModel(config, initParams(paramLayout(config), seed)), tokenizer };
}
const sample = (id: string, text: string): Sample => ({ id, tools: [], messages: [{ role: 'user', content: text }], label: { kind: 'text', text: 'ok' }, provenance: { source: 'seed', round: 0, labelHistory: [] } });
const samples = ['ping', 'alpha', 'fox', 'hello'].map((t, i) => sample(`s${i}`, t));

test('the GRPO trainer raises a reward through the chat template and the sampler', () => {
  const b = bundle(4);
  const reports: GrpoStepReport[] = [];
  // reward: the answer opens with a letter or digit; about one answer in four of an untrained model
  const result = trainGrpo(b, samples, { epochs: 30, promptsPerStep: 4, groupSize: 8, maxTokens: 4, lr: 3e-2, warmupSteps: 0, seed: 1, reward: (text) => (/^[A-Za-z0-9]/.test(text) ? 1 : 0) }, (r) => {
    reports.push(r);
  });
  assert.equal(result.steps, 30);
  const first = reports.slice(0, 5).reduce((s, r) => s + r.meanReward, 0) / 5;
  const last = reports.slice(-5).reduce((s, r) => s + r.meanReward, 0) / 5;
  assert.ok(last > first + 0.3, `mean reward ${first.toFixed(2)} → ${last.toFixed(2)}`);
  assert.ok(reports.every((r) => r.groups === 4 && r.solvedGroups + r.skippedGroups === 4));
});

test('groups that all score alike are skipped and counted, and change nothing', () => {
  const b = bundle(5);
  const before = b.model.params.slice();
  const result = trainGrpo(b, samples, { epochs: 1, promptsPerStep: 2, maxTokens: 4, seed: 2, reward: () => 1 });
  assert.equal(result.skippedGroups, 4);
  assert.equal(result.meanReward, 1);
  assert.deepEqual(b.model.params, before);
});

test('prompts too long for the context are left out and counted; runs are deterministic', () => {
  const long = sample('long', 'ping '.repeat(200));
  const run = (): { result: ReturnType<typeof trainGrpo>; params: Float32Array } => {
    const x = bundle(6);
    const result = trainGrpo(x, [...samples, long], { epochs: 2, promptsPerStep: 2, maxTokens: 4, seed: 3, reward: (t) => (t.includes('p') ? 1 : 0) });
    return { result, params: x.model.params };
  };
  const a = run();
  const c = run();
  assert.equal(a.result.tooLong, 1);
  assert.deepEqual(a.params, c.params);
  assert.equal(a.result.meanReward, c.result.meanReward);
});
