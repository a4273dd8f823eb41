import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_PRETRAIN, PretrainMismatchError, pretrainWorldModel, readPretrainRecord, type PretrainOptions } from '../../src/train/pretrain-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-pretrain-'));
after(() => rmSync(work, { recursive: true, force: true }));

const OPTIONS: Partial<PretrainOptions> = { size: 'micro', samples: 12, epochs: 2, batchTokens: 2048, maxPositions: 2048, saveEvery: 2, evalSamples: 0 };

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
