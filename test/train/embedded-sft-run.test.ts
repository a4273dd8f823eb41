import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { seedProvenance, type Sample } from '../../src/core/types.ts';
import { loadCheckpoint } from '../../src/engine/checkpoint.ts';
import type { LlamaConfig } from '../../src/engine/config.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';
import { trainTokenizer } from '../../src/engine/tokenizer/index.ts';
import { saveEngineModel } from '../../src/models/engine-model.ts';
import { runEmbeddedSft, SftRunMismatchError } from '../../src/train/embedded-sft-run.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-sftrun-'));
after(() => rmSync(work, { recursive: true, force: true }));

const samples: Sample[] = ['Paris', 'Oslo', 'Lima', 'Rome', 'Bern', 'Kyiv'].map((city, i) => ({
  id: `s${i}`,
  tools: [],
  messages: [{ role: 'user', content: `weather in ${city}` }],
  label: { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city } }] },
  provenance: seedProvenance(),
}));

async function baseModel(name: string): Promise<string> {
  const tokenizer = trainTokenizer(samples.map((s) => JSON.stringify(s)), { vocabSize: 300 });
  const config: LlamaConfig = { vocabSize: tokenizer.vocabSize, hiddenSize: 16, intermediateSize: 32, numLayers: 1, numHeads: 2, numKvHeads: 1, maxPositions: 128, ropeTheta: 10000, rmsNormEps: 1e-6 };
  const dir = join(work, name);
  await saveEngineModel(dir, config, initParams(paramLayout(config), 3), tokenizer);
  return dir;
}

test('a run stopped midway and resumed ends with exactly the weights of an uninterrupted run', async () => {
  const base = await baseModel('base-a');
  const options = { epochs: 4, batchTokens: 60, lr: 1e-2, warmupSteps: 2, seed: 1, saveEvery: 3 };
  const full = await runEmbeddedSft({ baseDir: base, samples, outDir: join(work, 'full'), options });
  assert.ok(full.totalSteps >= 8, `plan has ${full.totalSteps} steps`);

  const controller = new AbortController();
  const first = await runEmbeddedSft({
    baseDir: base,
    samples,
    outDir: join(work, 'resumed'),
    options,
    signal: controller.signal,
    onStep: (p) => {
      if (p.step === 5) controller.abort();
    },
  });
  assert.equal(first.stopped, true);
  const second = await runEmbeddedSft({ baseDir: base, samples, outDir: join(work, 'resumed'), options });
  assert.equal(second.resumedFrom, 5);
  assert.equal(second.history.length, full.totalSteps - 5);

  const a = await loadCheckpoint(join(work, 'full'));
  const b = await loadCheckpoint(join(work, 'resumed'));
  assert.deepEqual(b.params, a.params);
  assert.deepEqual(second.history.map((p) => p.loss), full.history.slice(5).map((p) => p.loss));
});

test('resuming into a directory of a different run is refused', async () => {
  const base = await baseModel('base-b');
  const options = { epochs: 1, batchTokens: 60, saveEvery: 1 };
  const out = join(work, 'other');
  await runEmbeddedSft({ baseDir: base, samples, outDir: out, options });
  await assert.rejects(runEmbeddedSft({ baseDir: base, samples: samples.slice(1), outDir: out, options }), SftRunMismatchError);
  await assert.rejects(runEmbeddedSft({ baseDir: base, samples, outDir: out, options: { ...options, lr: 0.5 } }), SftRunMismatchError);
});
