/**
 * The round as TRL's conversational dataset. With python3 and transformers installed
 * (CI installs them), the rows are also tokenized as GRPOTrainer tokenizes its prompts
 * (`apply_chat_template(conversation, add_generation_prompt=True)`) with the shipped base
 * model's tokenizer: the ids must equal the engine's own prompt for the same turns.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderLabelForReward } from '../../../src/check/reward.ts';
import type { Message } from '../../../src/core/types.ts';
import { loadTokenizer } from '../../../src/engine/tokenizer/index.ts';
import { renderChat } from '../../../src/models/chat-template.ts';
import { sampleToTrlRow, writeTrlDataset, type TrlRow } from '../../../src/train/trl/dataset.ts';
import { verlPrompt } from '../../../src/train/verl/rows.ts';
import { generateSplit } from '../../../src/world/generate.ts';

const baseModel = fileURLToPath(new URL('../../../assets/base-model', import.meta.url));
const probe = spawnSync('python3', ['-c', 'import transformers'], { encoding: 'utf8' });
const pythonStack = probe.status === 0;
const skip = pythonStack ? false : 'python3 with transformers is not installed (CI installs it: see .ci/run)';
if (!pythonStack && process.env['CI']) {
  test('python reference stack is installed', () => assert.fail(`cannot import transformers: ${probe.stderr}`));
}

const work = mkdtempSync(join(tmpdir(), 'looptool-trl-dataset-'));
after(() => rmSync(work, { recursive: true, force: true }));

const samples = generateSplit('seed', 14, 3, undefined, { min: 1, max: 3 });

test('a row is the verl prompt, the label as reward text, the sample id and kind', () => {
  for (const sample of samples) {
    const row = sampleToTrlRow(sample);
    assert.deepEqual(row.prompt, verlPrompt(sample));
    assert.equal(row.prompt[0]!.role, 'system');
    assert.match(row.prompt[0]!.content, /<tools>\n\{"name": /);
    assert.equal(row.ground_truth, renderLabelForReward(sample.label));
    assert.equal(row.sample_id, sample.id);
    assert.equal(row.kind, sample.meta?.['kind']);
  }
  assert.ok(samples.some((s) => s.label.kind === 'text') && samples.some((s) => s.label.kind === 'calls'), 'the samples hold both label kinds');
});

test('the file is one JSON row per line, in order', async () => {
  const file = join(work, 'data', 'train.jsonl');
  assert.equal(await writeTrlDataset(samples, file), samples.length);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as TrlRow).sample_id), samples.map((s) => s.id));
});

// Tokenizes each row's prompt the way GRPOTrainer._tokenize_prompts does.
const TOKENIZE = `
import json, sys
from transformers import AutoTokenizer
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
rows = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
out = tokenizer.apply_chat_template(conversation=[r["prompt"] for r in rows], add_generation_prompt=True, tokenize=True, return_dict=True)
print(json.dumps([list(ids) for ids in out["input_ids"]]))
`;

test('TRL\'s prompt tokens are the engine\'s prompt tokens for the same turns', { skip }, async () => {
  const file = join(work, 'tokens.jsonl');
  await writeTrlDataset(samples, file);
  const r = spawnSync('python3', ['-c', TOKENIZE, baseModel, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const theirs = JSON.parse(r.stdout) as number[][];
  const tokenizer = await loadTokenizer(join(baseModel, 'tokenizer.json'));
  samples.forEach((sample, i) => {
    const messages = sampleToTrlRow(sample).prompt as Message[];
    const ours = tokenizer.encode(renderChat(messages, [], true));
    assert.deepEqual(theirs[i], ours, `sample ${sample.id}`);
  });
});
