import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CheckpointError, configFromHf, loadCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.ts';
import { MODEL_SIZES } from '../../src/engine/config.ts';
import { createModel, logits } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-ckpt-'));
after(() => rmSync(work, { recursive: true, force: true }));
const config = MODEL_SIZES.micro;

test('save then load gives identical weights and identical logits', async () => {
  const params = initParams(paramLayout(config), 4, 0.1);
  const dir = join(work, 'a');
  await saveCheckpoint(dir, { config, params, files: { 'note.txt': 'hello' } });
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(loaded.config, config);
  assert.deepEqual(loaded.params, params);
  const seq = Int32Array.from([1, 2, 3, 4, 5]);
  assert.deepEqual(logits(createModel(loaded.config, loaded.params), seq, [5]), logits(createModel(config, params), seq, [5]));
  assert.equal(readFileSync(join(dir, 'note.txt'), 'utf8'), 'hello');
  const hf = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(hf['model_type'], 'llama');
  assert.equal(hf['tie_word_embeddings'], true);
});

test('saving over an existing checkpoint replaces it whole', async () => {
  const dir = join(work, 'b');
  await saveCheckpoint(dir, { config, params: initParams(paramLayout(config), 1), files: { 'old.txt': 'x' } });
  const second = initParams(paramLayout(config), 2);
  await saveCheckpoint(dir, { config, params: second });
  assert.deepEqual((await loadCheckpoint(dir)).params, second);
  assert.throws(() => readFileSync(join(dir, 'old.txt')));
});

test('a truncated or foreign weights file gives an error naming the file', async () => {
  const dir = join(work, 'c');
  await saveCheckpoint(dir, { config, params: initParams(paramLayout(config), 1) });
  const weights = join(dir, 'model.safetensors');
  const full = readFileSync(weights);
  writeFileSync(weights, full.subarray(0, full.length - 100));
  await assert.rejects(loadCheckpoint(dir), (e: unknown) => e instanceof CheckpointError && e.message.includes('model.safetensors') && /truncated/.test(e.message));
  writeFileSync(weights, 'PK\u0003\u0004 this is a zip, not safetensors');
  await assert.rejects(loadCheckpoint(dir), (e: unknown) => e instanceof CheckpointError && e.message.includes('model.safetensors'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'gpt2' }));
  await assert.rejects(loadCheckpoint(dir), /model_type is "gpt2"/);
});

test('the rotary base is read where transformers 4 and 5 write it; scaled rotary embeddings are refused', () => {
  const base = { model_type: 'llama', vocab_size: 320, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64 };
  assert.equal(configFromHf({ ...base, rope_theta: 500000 }, 'c.json').ropeTheta, 500000);
  assert.equal(configFromHf({ ...base, rope_parameters: { rope_type: 'default', rope_theta: 250000 } }, 'c.json').ropeTheta, 250000);
  assert.equal(configFromHf(base, 'c.json').ropeTheta, 10000);
  assert.throws(() => configFromHf({ ...base, rope_parameters: { rope_type: 'llama3', rope_theta: 500000, factor: 8 } }, 'c.json'), /c\.json.*llama3/);
  assert.throws(() => configFromHf({ ...base, rope_theta: 1e4, rope_scaling: { type: 'linear', factor: 2 } }, 'c.json'), /linear/);
});
