/**
 * The verl export read back the way verl reads it: pyarrow (schema and values) and
 * 🤗 `datasets.load_dataset("parquet")` (what RLHFDataset calls). Needs python3 with
 * pyarrow and datasets; skipped without them outside CI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderLabelForReward } from '../../../src/check/reward.ts';
import { exportVerlParquet, verlRowsOfSplit } from '../../../src/train/verl/export-parquet.ts';
import { sampleToVerlRow } from '../../../src/train/verl/rows.ts';
import { splitTrainValidation } from '../../../src/train/verl/split.ts';
import { generateSplit } from '../../../src/world/generate.ts';

const probe = spawnSync('python3', ['-c', 'import pyarrow, datasets'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'python3 with pyarrow and datasets is not installed';
if (probe.status !== 0 && process.env['CI']) {
  test('python pyarrow and datasets are installed', () => assert.fail(`cannot import pyarrow/datasets: ${probe.stderr}`));
}

// Prints each file's schema as pyarrow spells it and its rows as pyarrow and 🤗 datasets read them.
const READ_BACK = `
import json, sys
import pyarrow.parquet as pq
import datasets
datasets.disable_progress_bars()
files, cache = json.loads(sys.argv[1]), sys.argv[2]
out = {}
for split, path in files.items():
    table = pq.read_table(path)
    loaded = datasets.load_dataset("parquet", data_files={"train": path}, cache_dir=cache)["train"]
    out[split] = {
        "types": {f.name: str(f.type) for f in table.schema},
        "pyarrow": table.to_pylist(),
        "datasets_features": {k: repr(v) for k, v in loaded.features.items()},
        "datasets": [loaded[i] for i in range(len(loaded))],
    }
print(json.dumps(out))
`;

const MESSAGES = 'list<element: struct<role: string not null, content: string not null> not null>';
const EXPECTED_TYPES = {
  data_source: 'string',
  prompt: MESSAGES,
  ability: 'string',
  reward_model: 'struct<style: string not null, ground_truth: string not null>',
  extra_info: 'struct<index: int64 not null, id: string not null, kind: string, split: string not null>',
};

test('a world split exports to train/validation Parquet that pyarrow and datasets read as verl expects', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'looptool-verl-'));
  try {
    const samples = generateSplit('seed', 60, 11);
    const written = exportVerlParquet(samples, dir, { validationShare: 0.2, seed: 5 });
    assert.equal(written.trainRows, 48);
    assert.equal(written.validationRows, 12);
    const parts = splitTrainValidation(samples, 0.2, 5);
    const expected = { train: verlRowsOfSplit(parts.train, 'train', 'looptool'), validation: verlRowsOfSplit(parts.validation, 'validation', 'looptool') };

    const files = { train: written.trainFile, validation: written.validationFile };
    const r = spawnSync('python3', ['-c', READ_BACK, JSON.stringify(files), join(dir, 'hf-cache')], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, HF_DATASETS_OFFLINE: '1', HF_HUB_OFFLINE: '1' },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const read = JSON.parse(r.stdout) as Record<'train' | 'validation', { types: Record<string, string>; pyarrow: unknown[]; datasets_features: Record<string, string>; datasets: unknown[] }>;
    for (const split of ['train', 'validation'] as const) {
      // Every nested column is a real Parquet nested type, not a JSON string.
      assert.deepEqual(read[split].types, EXPECTED_TYPES);
      assert.deepEqual(read[split].pyarrow, expected[split]);
      assert.deepEqual(read[split].datasets, expected[split]);
      assert.match(read[split].datasets_features['prompt']!, /^List\(\{'role': Value\('string'\), 'content': Value\('string'\)\}\)$/);
      assert.match(read[split].datasets_features['reward_model']!, /^\{'style': Value\('string'\), 'ground_truth': Value\('string'\)\}$/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a row holds the LoopTool system prompt with <tools>, the turns, and the label as LoopTool output text', () => {
  const samples = generateSplit('seed', 40, 3);
  const multiTurn = samples.find((s) => s.messages.some((m) => m.role === 'tool'));
  assert.ok(multiTurn, 'the split has a multi-turn sample');
  const row = sampleToVerlRow(multiTurn, 7, 'train');
  assert.equal(row.data_source, 'looptool');
  assert.equal(row.ability, 'tool_calling');
  assert.deepEqual(row.reward_model, { style: 'rule', ground_truth: renderLabelForReward(multiTurn.label) });
  assert.deepEqual(row.extra_info, { index: 7, id: multiTurn.id, kind: multiTurn.meta?.['kind'] as string, split: 'train' });
  assert.equal(row.prompt[0]!.role, 'system');
  assert.match(row.prompt[0]!.content, /\n<tools>\n\{"name": /);
  for (const tool of multiTurn.tools) assert.ok(row.prompt[0]!.content.includes(`{"name": "${tool.name}"`));
  assert.deepEqual(
    row.prompt.slice(1).map((m) => m.role),
    multiTurn.messages.filter((m) => m.role !== 'system').map((m) => m.role),
  );
  const call = row.prompt.find((m) => m.role === 'assistant' && m.content.startsWith('<tool_call>\n'));
  assert.ok(call, 'an earlier assistant call is rendered as a <tool_call> block');
});

test('the split is deterministic for a seed, keeps input order and holds out at least one item when asked to', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  const a = splitTrainValidation(items, 0.1, 42);
  assert.deepEqual(a, splitTrainValidation(items, 0.1, 42));
  assert.notDeepEqual(a.validation, splitTrainValidation(items, 0.1, 43).validation);
  assert.equal(a.validation.length, 10);
  assert.deepEqual([...a.train, ...a.validation].sort((x, y) => x - y), items);
  assert.deepEqual(a.train, [...a.train].sort((x, y) => x - y));
  assert.deepEqual(splitTrainValidation([1, 2], 0.01, 0).validation.length, 1);
  assert.deepEqual(splitTrainValidation([1, 2, 3], 0, 0), { train: [1, 2, 3], validation: [] });
  assert.throws(() => splitTrainValidation(items, 1, 0), /validation share must be in \[0, 1\)/);
});

test('the files are written whole: no temporary file is left beside them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'looptool-verl-'));
  try {
    const written = exportVerlParquet(generateSplit('seed', 5, 1), dir);
    assert.equal(readFileSync(written.trainFile).subarray(0, 4).toString(), 'PAR1');
    assert.equal(readFileSync(written.validationFile).subarray(-4).toString(), 'PAR1');
    assert.deepEqual(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim().split('\n').sort(), ['train.parquet', 'validation.parquet']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
