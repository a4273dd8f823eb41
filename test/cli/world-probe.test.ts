import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
const baseModel = fileURLToPath(new URL('../../assets/base-model', import.meta.url));

function probe(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'world', 'probe', ...args], { encoding: 'utf8' });
}

test('world probe prints the teacher-forced shares as a table, or one JSON object', () => {
  const text = probe('--model', baseModel, '--samples', '12');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /test samples with calls \(of 12, seed 1\)/);
  for (const row of ['name tokens', 'value tokens', 'first value tokens', 'whole values', 'literal values, whole']) assert.match(text.stdout, new RegExp(`${row} +\\d+/\\d+ +\\d+\\.\\d%`));

  const json = probe('--model', baseModel, '--samples', '12', '--json');
  assert.equal(json.status, 0, json.stderr);
  const result = JSON.parse(json.stdout);
  assert.equal(result.model, baseModel);
  assert.ok(result.samples > 0 && result.nameTokens.total >= result.nameTokens.correct);
  // The same samples and model: the table and the JSON agree.
  assert.match(text.stdout, new RegExp(`name tokens +${result.nameTokens.correct}/${result.nameTokens.total} `));
});

test('world probe names a directory that holds no model', () => {
  const run = probe('--model', '/nonexistent/model');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /\/nonexistent\/model.*cannot load an embedded model/);
});
