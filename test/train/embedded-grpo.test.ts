import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { createModel } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';
import { trainTokenizer } from '../../src/engine/tokenizer/index.ts';
import type { Sample } from '../../src/core/types.ts';
import { loadEngineModel, saveEngineModel, type EngineBundle } from '../../src/models/engine-model.ts';
import { runEmbeddedGrpo } from '../../src/train/embedded-grpo-run.ts';
import { trainGrpo, type GrpoStepReport } from '../../src/train/embedded-grpo.ts';

const corpus = ['ping pong', 'alpha beta gamma', 'the quick brown fox', 'abc abd abe', 'hello there'];
function bundle(seed: number): EngineBundle {
  const tokenizer = trainTokenizer(corpus, { vocabSize: 300 });
  const config = { ...MODEL_SIZES.micro, vocabSize: tokenizer.vocabSize, maxPositions: 96 };
  return { model: createModel(config, initParams(paramLayout(config), seed)), tokenizer };
}
const sample = (id: string, text: string): Sample => ({ id, tools: [], messages: [{ role: 'user', content: text }], label: { kind: 'text', text: 'ok' }, provenance: { source: 'seed', round: 0, labelHistory: [] } });
const samples = ['ping', 'alpha', 'fox', 'hello'].map((t, i) => sample(`s${i}`, t));

test('the GRPO trainer raises a reward through the chat template and the sampler', async () => {
  const b = bundle(4);
  const reports: GrpoStepReport[] = [];
  // reward: the answer opens with a letter or digit; about one answer in four of an untrained model
  const result = await trainGrpo(b, samples, { epochs: 30, promptsPerStep: 4, groupSize: 8, maxTokens: 4, lr: 3e-2, warmupSteps: 0, seed: 1, reward: (text) => (/^[A-Za-z0-9]/.test(text) ? 1 : 0) }, (r) => {
    reports.push(r);
  });
  assert.equal(result.steps, 30);
  const first = reports.slice(0, 5).reduce((s, r) => s + r.meanReward, 0) / 5;
  const last = reports.slice(-5).reduce((s, r) => s + r.meanReward, 0) / 5;
  assert.ok(last > first + 0.3, `mean reward ${first.toFixed(2)} → ${last.toFixed(2)}`);
  assert.ok(reports.every((r) => r.groups === 4 && r.solvedGroups + r.skippedGroups === 4));
});

test('groups that all score alike are skipped and counted, and change nothing', async () => {
  const b = bundle(5);
  const before = b.model.params.slice();
  const result = await trainGrpo(b, samples, { epochs: 1, promptsPerStep: 2, maxTokens: 4, seed: 2, reward: () => 1 });
  assert.equal(result.skippedGroups, 4);
  assert.equal(result.meanReward, 1);
  assert.deepEqual(b.model.params, before);
});

test('prompts too long for the context are left out and counted; runs are deterministic', async () => {
  const long = sample('long', 'ping '.repeat(200));
  const run = async (): Promise<{ result: Awaited<ReturnType<typeof trainGrpo>>; params: Float32Array }> => {
    const x = bundle(6);
    const result = await trainGrpo(x, [...samples, long], { epochs: 2, promptsPerStep: 2, maxTokens: 4, seed: 3, reward: (t) => (t.includes('p') ? 1 : 0) });
    return { result, params: x.model.params };
  };
  const a = await run();
  const c = await run();
  assert.equal(a.result.tooLong, 1);
  assert.deepEqual(a.params, c.params);
  assert.equal(a.result.meanReward, c.result.meanReward);
});

test('a GRPO run stopped midway and resumed ends with the same weights as one that never stopped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looptool-grpo-run-'));
  try {
    const b = bundle(8);
    await saveEngineModel(join(dir, 'base'), b.model.config, b.model.params, b.tokenizer);
    const reward = (text: string): number => (/^[A-Za-z0-9]/.test(text) ? 1 : 0);
    const options = { epochs: 3, promptsPerStep: 2, groupSize: 6, maxTokens: 4, lr: 1e-2, seed: 5, saveEvery: 2 };
    const whole = await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'whole'), options, reward });
    assert.equal(whole.steps, 6);
    const stop = new AbortController();
    const first = await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'split'), options, reward, signal: stop.signal, onStep: (r) => r.step === 3 && stop.abort() });
    assert.ok(first.stopped && first.steps === 3);
    const second = await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'split'), options, reward });
    assert.equal(second.resumedFrom, 3);
    const a = await loadEngineModel(join(dir, 'whole'));
    const c = await loadEngineModel(join(dir, 'split'));
    assert.deepEqual(c.model.params, a.model.params);
    assert.notDeepEqual(a.model.params, b.model.params, 'the run did train');
    await assert.rejects(runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'whole'), options: { ...options, lr: 1 }, reward }), /different training run/);
    // with the KL penalty the reference stays the base model across a resume
    const kl = { ...options, klCoef: 0.05 };
    await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'kl-whole'), options: kl, reward });
    const stop2 = new AbortController();
    await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'kl-split'), options: kl, reward, signal: stop2.signal, onStep: (r) => r.step === 4 && stop2.abort() });
    await runEmbeddedGrpo({ baseDir: join(dir, 'base'), samples, outDir: join(dir, 'kl-split'), options: kl, reward });
    assert.deepEqual((await loadEngineModel(join(dir, 'kl-split'))).model.params, (await loadEngineModel(join(dir, 'kl-whole'))).model.params);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mini-batches split a step into several updates', async () => {
  const b = bundle(7);
  let updating = 0;
  const result = await trainGrpo(b, samples, { epochs: 2, promptsPerStep: 4, groupSize: 6, maxTokens: 4, seed: 9, miniBatches: 3, reward: (t) => (/^[A-Za-z0-9]/.test(t) ? 1 : 0) }, (r) => {
    if (r.solvedGroups > 0) updating++;
  });
  assert.ok(updating > 0);
  assert.equal(result.state.step, 3 * updating);
});
