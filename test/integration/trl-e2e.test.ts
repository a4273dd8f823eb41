/**
 * TRL end to end on CPU: the shipped base model (an engine checkpoint in 🤗 format)
 * trained for 2 GRPO steps by `trl.GRPOTrainer` through the trlTrainer plug-in, its
 * reward asked of a real `serve-reward` on 127.0.0.1, the saved model collected and
 * loaded back into the engine, which generates with it.
 *
 * Needs python3 with torch, transformers, datasets and trl (CI installs them with
 * scripts/install-python-reference.sh); without them the test fails in CI and is
 * skipped, saying why, elsewhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scoreToolCallReward } from '../../src/check/reward.ts';
import type { Message, Sample } from '../../src/core/types.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import { EngineChatModel, loadEngineModel } from '../../src/models/engine-model.ts';
import { createRewardServer } from '../../src/serve/reward-server.ts';
import { listenOnLoopback } from '../train/fixtures/listen.ts';
import { TrainerCommandError } from '../../src/train/run-commands.ts';
import { sampleToTrlRow } from '../../src/train/trl/dataset.ts';
import { trlTrainer } from '../../src/train/trl/trl-trainer.ts';
import { generateSplit } from '../../src/world/generate.ts';

const baseModel = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
const probe = spawnSync('python3', ['-c', 'import torch, transformers, datasets, trl'], { encoding: 'utf8' });
const pythonStack = probe.status === 0;
const skip = pythonStack ? false : 'python3 with torch, transformers, datasets and trl is not installed (CI installs them: see .ci/run)';
if (!pythonStack && process.env['CI']) {
  test('python training stack is installed', () => assert.fail(`cannot import torch/transformers/datasets/trl: ${probe.stderr}`));
}

const work = mkdtempSync(join(tmpdir(), 'looptool-trl-e2e-'));
after(() => rmSync(work, { recursive: true, force: true }));

let server: Server;
let rewardUrl: string;
let rewardRequests = 0;
before(async () => {
  server = createRewardServer();
  server.on('request', (req) => {
    if (req.method === 'POST' && req.url === '/reward') rewardRequests++;
  });
  rewardUrl = await listenOnLoopback(server);
});
after(() => {
  server.close();
  server.closeAllConnections();
});

const STEPS = 2;

/**
 * GRPO learns only from a group whose rewards differ: a prompt the model always gets right
 * (or always wrong) gives no gradient, and two steps of those would leave the weights as
 * they were. So the round holds requests the base model sometimes gets right, found by
 * sampling it with the engine on the prompts TRL will see. Asking back and declining are
 * where it wavers; few tools keep the prompts short.
 */
async function requestsTheModelWaversOn(): Promise<Sample[]> {
  const candidates = generateSplit('seed', 12, 21, { single: 0, parallel: 0, multiple: 0, parallel_multiple: 0, ask_back: 1, irrelevance: 1, multi_turn: 0 }, { min: 1, max: 2 });
  const rows = candidates.map(sampleToTrlRow);
  const model = new EngineChatModel(await loadEngineModel(baseModel));
  const answers = await model.generate(rows.map((r) => ({ messages: r.prompt as Message[], tools: [] })), { n: 4, temperature: 1, maxTokens: 16, seed: 1 });
  const wavering = candidates.filter((_, i) => new Set(answers[i]!.choices.map((c) => scoreToolCallReward(c.text, rows[i]!.ground_truth).score)).size > 1);
  assert.ok(wavering.length >= 2, `the base model wavers on ${wavering.length} of ${candidates.length} requests; GRPO needs at least 2`);
  return wavering.slice(0, 4);
}

test('2 GRPO steps with TRL on CPU, rewarded by serve-reward, collected and loaded back into the engine', { skip, timeout: 600_000 }, async (t) => {
  const samples = await requestsTheModelWaversOn();
  const datasetPath = join(work, 'round-1.jsonl');
  writeFileSync(datasetPath, samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  const round = {
    round: 1,
    datasetPath,
    from: { kind: 'path' as const, path: baseModel },
    workDir: join(work, 'trainers', 'trl', 'round-1'),
    rewardUrl,
    seed: 0,
    options: { numGenerations: 4, perDeviceTrainBatchSize: 8, maxSteps: STEPS, maxCompletionLength: 32, learningRate: 1e-3, extra: { use_cpu: true } },
  };

  const started = performance.now();
  const prepared = await trlTrainer.prepare(round);
  assert.equal(await trlTrainer.collect(round, prepared), undefined);
  const lines: string[] = [];
  await trlTrainer.launch(round, prepared, { log: (line) => lines.push(line) });
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(`prepare + ${STEPS} TRL GRPO steps + save: ${seconds.toFixed(1)} s`);

  // Every step's completions went to the reward server (one request per generation batch).
  assert.ok(rewardRequests >= STEPS, `${rewardRequests} POST /reward for ${STEPS} steps`);
  assert.ok(lines.some((l) => l.includes('rewards/looptool_tool_call_reward/mean')), `TRL logged the looptool reward:\n${lines.slice(-20).join('\n')}`);

  const collected = await trlTrainer.collect(round, prepared);
  assert.deepEqual(collected, { kind: 'path', path: prepared.checkpointDir });

  // The engine loads TRL's save: same shapes, moved weights.
  const start = await loadCheckpoint(baseModel);
  const trained = await loadCheckpoint(prepared.checkpointDir);
  assert.deepEqual(trained.config, start.config);
  assert.equal(trained.params.length, start.params.length);
  let changed = 0;
  let largest = 0;
  for (let i = 0; i < start.params.length; i++) {
    const d = Math.abs(trained.params[i]! - start.params[i]!);
    if (d > 0) changed++;
    largest = Math.max(largest, d);
  }
  t.diagnostic(`${changed} of ${start.params.length} weights changed, by up to ${largest.toExponential(2)}`);
  assert.ok(changed > start.params.length / 2 && largest > 1e-5, `${changed} weights changed, by up to ${largest}`);

  // transformers re-saved the tokenizer; the engine reads it and tokenizes as before.
  const base = await loadEngineModel(baseModel);
  const bundle = await loadEngineModel(prepared.checkpointDir);
  const text = '<|im_start|>user\nWhat is the weather in Lisbon?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n{"name": "get_weather"}';
  assert.deepEqual(bundle.tokenizer.encode(text), base.tokenizer.encode(text));

  const model = new EngineChatModel(bundle);
  const request = { messages: samples[0]!.messages, tools: samples[0]!.tools };
  const [answer] = await model.generate([request], { temperature: 0, maxTokens: 32 });
  const choice = answer!.choices[0]!;
  assert.ok(choice.completionTokens > 0 && choice.text.length > 0, 'the trained model generates');
  const [again] = await model.generate([request], { temperature: 0, maxTokens: 32 });
  assert.equal(again!.choices[0]!.text, choice.text, 'greedy decoding is repeatable');
});

test('a GRPOConfig setting the installed TRL lacks stops the run before the model loads, named', { skip, timeout: 120_000 }, async () => {
  const sample = generateSplit('seed', 1, 4, undefined, { min: 1, max: 1 })[0]!;
  const datasetPath = join(work, 'unknown-setting.jsonl');
  writeFileSync(datasetPath, `${JSON.stringify(sample)}\n`);
  const round = { round: 1, datasetPath, from: { kind: 'path' as const, path: baseModel }, workDir: join(work, 'unknown-setting'), rewardUrl, seed: 0, options: { numGenerations: 2, perDeviceTrainBatchSize: 2, extra: { no_such_setting: 1 } } };
  const prepared = await trlTrainer.prepare(round);
  const lines: string[] = [];
  await assert.rejects(trlTrainer.launch(round, prepared, { log: (line) => lines.push(line) }), (e: unknown) => e instanceof TrainerCommandError && /trl-run\.json: grpo\.no_such_setting: trl\.GRPOConfig has no such setting/.test(e.message));
  assert.ok(!lines.some((l) => l.includes('Loading weights')), 'the model was not loaded');
  assert.equal(await trlTrainer.collect(round, prepared), undefined);
});
