import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PretrainOptionsSchema } from '../../src/train/pretrain-record.ts';
import { DEFAULT_PRETRAIN, PretrainMismatchError, pretrainReadingSamples, pretrainSamples, pretrainWorldModel, readPretrainRecord, withIrrelevanceTwins, type PretrainOptions, type PretrainStage } from '../../src/train/pretrain-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-pretrain-'));
after(() => rmSync(work, { recursive: true, force: true }));

const OPTIONS: Partial<PretrainOptions> = { size: 'micro', samples: 12, readingSamples: 0, epochs: 2, batchTokens: 2048, maxPositions: 2048, saveEvery: 2, evalSamples: 0 };

test('a stopped pretrain continues to the same bytes and figures as one run straight through', async () => {
  const straight = await pretrainWorldModel({ outDir: join(work, 'straight'), options: OPTIONS });
  assert.equal(straight.status, 'trained');

  const outDir = join(work, 'stopped');
  const controller = new AbortController();
  const first = await pretrainWorldModel({ outDir, options: OPTIONS, signal: controller.signal, onStep: (p) => p.step === 3 && controller.abort() });
  assert.equal(first.status, 'stopped');
  assert.equal(first.status === 'stopped' && first.step, 3);

  // the unfinished run refuses other settings too, naming the first that differs
  await assert.rejects(pretrainWorldModel({ outDir, options: { ...OPTIONS, lr: 1e-3 } }), (e: unknown) => e instanceof PretrainMismatchError && e.setting === 'lr');

  const steps: number[] = [];
  const second = await pretrainWorldModel({ outDir, options: OPTIONS, onStep: (p) => steps.push(p.step) });
  assert.equal(second.status, 'trained');
  assert.equal(second.status === 'trained' && second.resumedFrom, 3);
  assert.equal(steps[0], 4);
  assert.ok(readFileSync(join(work, 'straight', 'model.safetensors')).equals(readFileSync(join(outDir, 'model.safetensors'))));

  const a = (await readPretrainRecord(join(work, 'straight')))!;
  const b = (await readPretrainRecord(outDir))!;
  assert.deepEqual({ ...a.sft, seconds: 0 }, { ...b.sft, seconds: 0 });
  assert.deepEqual(a.settings, { ...DEFAULT_PRETRAIN, ...OPTIONS });
});

test('the reading stage trains on other samples, answered with calls and without tool lists', () => {
  const options = { ...DEFAULT_PRETRAIN, ...OPTIONS, readingSamples: 40 };
  const reading = pretrainReadingSamples(options);
  assert.ok(reading.length > 20 && reading.length < 40, `${reading.length} of 40`);
  assert.ok(reading.every((s) => s.label.kind === 'calls' && s.tools.length === 0));
  const main = new Set(pretrainSamples(options).map((s) => JSON.stringify(s.messages)));
  assert.ok(reading.every((s) => !main.has(JSON.stringify(s.messages))));
});

test("the main stage's twins follow their one-call samples, as many as the share asks, the same each time", () => {
  const options = { ...DEFAULT_PRETRAIN, ...OPTIONS, samples: 300 };
  const base = pretrainSamples(options);
  assert.deepEqual(withIrrelevanceTwins(base, { ...options, irrelevanceTwins: 0 }), base);
  const oneCall = base.filter((s) => s.label.kind === 'calls' && s.label.calls.length === 1 && s.messages.length === 1).length;
  const all = withIrrelevanceTwins(base, { ...options, irrelevanceTwins: 1 });
  assert.equal(all.length, base.length + oneCall);
  all.forEach((s, i) => {
    if (s.id.endsWith('-twin')) assert.equal(all[i - 1]!.id, s.id.slice(0, -'-twin'.length));
  });
  const half = withIrrelevanceTwins(base, { ...options, irrelevanceTwins: 0.5 });
  const twins = half.length - base.length;
  assert.ok(twins > oneCall * 0.3 && twins < oneCall * 0.7, `${twins} twins of ${oneCall}`);
  assert.deepEqual(withIrrelevanceTwins(base, { ...options, irrelevanceTwins: 0.5 }), half);
});

test('settings recorded before irrelevance twins existed read as none, so those runs continue unchanged', () => {
  const { irrelevanceTwins: _, ...before } = DEFAULT_PRETRAIN;
  assert.equal(PretrainOptionsSchema.parse(before).irrelevanceTwins, 0);
});

test('a pretrain stopped in its reading stage continues through both stages to the same bytes', async () => {
  const options = { ...OPTIONS, readingSamples: 40, batchTokens: 1024, epochs: 1 };
  const straightSteps: Array<[PretrainStage, number]> = [];
  const straight = await pretrainWorldModel({ outDir: join(work, 'two-straight'), options, onStep: (p, stage) => straightSteps.push([stage, p.step]) });
  assert.equal(straight.status, 'trained');
  const readingSteps = straightSteps.filter(([stage]) => stage === 'reading').length;
  assert.ok(readingSteps >= 3, `${readingSteps} reading steps`);
  // Every reading step comes before the first main step.
  assert.deepEqual(straightSteps.slice(0, readingSteps).map(([stage]) => stage), Array(readingSteps).fill('reading'));
  const record = straight.status === 'trained' ? straight.record : undefined;
  assert.equal(record?.reading?.sft.steps, readingSteps);
  assert.equal(record?.sft.steps, straightSteps.length - readingSteps);

  const outDir = join(work, 'two-stopped');
  const controller = new AbortController();
  const first = await pretrainWorldModel({ outDir, options, signal: controller.signal, onStep: (p, stage) => stage === 'reading' && p.step === 2 && controller.abort() });
  assert.ok(first.status === 'stopped' && first.stage === 'reading' && first.step === 2, JSON.stringify(first));
  const resumed: Array<[PretrainStage, number]> = [];
  const second = await pretrainWorldModel({ outDir, options, onStep: (p, stage) => resumed.push([stage, p.step]) });
  assert.equal(second.status, 'trained');
  assert.deepEqual(resumed[0], ['reading', 3]);
  assert.ok(readFileSync(join(work, 'two-straight', 'model.safetensors')).equals(readFileSync(join(outDir, 'model.safetensors'))));
  const a = (await readPretrainRecord(join(work, 'two-straight')))!;
  const b = (await readPretrainRecord(outDir))!;
  assert.deepEqual({ ...a.reading!.sft, seconds: 0 }, { ...b.reading!.sft, seconds: 0 });
  assert.deepEqual({ ...a.sft, seconds: 0 }, { ...b.sft, seconds: 0 });
});
