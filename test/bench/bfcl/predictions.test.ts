/** Loading a data folder and predictions, with errors that name file and line; scoring a subset. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../../src/core/records.ts';
import { loadBfclData } from '../../../src/bench/bfcl/data.ts';
import { readBfclPredictions } from '../../../src/bench/bfcl/predictions.ts';
import { scoreBfcl } from '../../../src/bench/bfcl/score.ts';

const CATEGORIES = ['simple', 'irrelevance', 'multi_turn_base'];

function weatherDoc(): object {
  return { name: 'get_weather', description: 'Weather', parameters: { type: 'dict', properties: { city: { type: 'string' } }, required: ['city'] } };
}

/** A three-category data folder: 3 simple entries, 2 irrelevance, 1 multi-turn. */
function makeDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bfcl-data-'));
  mkdirSync(path.join(dir, 'possible_answer'));
  const cities = ['Paris', 'Rome', 'Oslo'];
  const lines = (records: object[]): string => records.map((r) => JSON.stringify(r)).join('\n');
  writeFileSync(path.join(dir, 'BFCL_v3_simple.json'), lines(cities.map((c, i) => ({ id: `simple_${i}`, question: [[{ role: 'user', content: `Weather in ${c}?` }]], function: [weatherDoc()] }))));
  writeFileSync(path.join(dir, 'possible_answer', 'BFCL_v3_simple.json'), lines(cities.map((c, i) => ({ id: `simple_${i}`, ground_truth: [{ get_weather: { city: [c] } }] }))));
  writeFileSync(path.join(dir, 'BFCL_v3_irrelevance.json'), lines([0, 1].map((i) => ({ id: `irrelevance_${i}`, question: [[{ role: 'user', content: 'Tell a joke' }]], function: [weatherDoc()] }))));
  writeFileSync(path.join(dir, 'BFCL_v3_multi_turn_base.json'), lines([{ id: 'multi_turn_base_0', question: [[{ role: 'user', content: 'ls' }]], initial_config: {}, path: [], involved_classes: ['GorillaFileSystem'] }]));
  return dir;
}

function expectInputError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  return assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

test('a data folder loads per category with questions paired to answers by line', async () => {
  const data = await loadBfclData(makeDataDir(), CATEGORIES);
  assert.equal(data.entries.size, 6);
  assert.deepEqual(data.entries.get('simple_1')!.answers, [{ name: 'get_weather', params: { city: ['Rome'] } }]);
  assert.equal(data.entries.get('irrelevance_0')!.answers, undefined);
  assert.equal(data.byCategory.get('multi_turn_base')!.length, 1);
});

test('bad data files are reported with file, line and field', async () => {
  const dir = makeDataDir();
  writeFileSync(path.join(dir, 'possible_answer', 'BFCL_v3_simple.json'), '{"id": "simple_0", "ground_truth": [{"get_weather": {"city": ["Paris"]}}]}\n{"id": "simple_1", "ground_truth": [{"get_weather": {"city": "Rome"}}]}\n{"id": "simple_2", "ground_truth": []}');
  await expectInputError(loadBfclData(dir, CATEGORIES), /possible_answer\/BFCL_v3_simple\.json:2: ground_truth\[0\]\.get_weather\.city/);
  await expectInputError(loadBfclData(path.join(dir, 'nowhere'), CATEGORIES), /no such data folder/);
});

test('predictions in the official result layout: one file per category', async () => {
  const data = await loadBfclData(makeDataDir(), CATEGORIES);
  const results = mkdtempSync(path.join(tmpdir(), 'bfcl-results-'));
  writeFileSync(path.join(results, 'BFCL_v3_simple_result.json'), `${JSON.stringify({ id: 'simple_0', result: "[get_weather(city='paris')]" })}\n${JSON.stringify({ id: 'simple_2', result: "[get_weather(city='Lima')]", latency: 1.5 })}\n`);
  writeFileSync(path.join(results, 'BFCL_v3_irrelevance_result.json'), `${JSON.stringify({ id: 'irrelevance_0', result: 'Here is a joke.' })}\n`);
  writeFileSync(path.join(results, 'BFCL_v3_multi_turn_base_result.json'), `${JSON.stringify({ id: 'multi_turn_base_0', result: [[]] })}\n`);
  writeFileSync(path.join(results, 'notes.txt'), 'not a result file');
  const predictions = await readBfclPredictions(results, data);
  assert.deepEqual(predictions.map((p) => p.id).sort(), ['irrelevance_0', 'multi_turn_base_0', 'simple_0', 'simple_2']);

  const score = scoreBfcl(data, predictions, { format: 'python', underscoreToDot: false });
  const simple = score.categories.find((c) => c.category === 'simple')!;
  // simple_1 has no prediction: counted as missing, not as wrong.
  assert.deepEqual({ scored: simple.scored, correct: simple.correct, missing: simple.missing, accuracy: simple.accuracy }, { scored: 2, correct: 1, missing: 1, accuracy: 0.5 });
  const irrelevance = score.categories.find((c) => c.category === 'irrelevance')!;
  assert.deepEqual({ scored: irrelevance.scored, correct: irrelevance.correct, missing: irrelevance.missing }, { scored: 1, correct: 1, missing: 1 });
  const multiTurn = score.categories.find((c) => c.category === 'multi_turn_base')!;
  assert.deepEqual({ status: multiTurn.status, predicted: multiTurn.predicted, scored: multiTurn.scored, accuracy: multiTurn.accuracy }, { status: 'not_scored', predicted: 1, scored: 0, accuracy: null });
  assert.deepEqual(score.items.map((i) => [i.id, i.valid, i.errorType]), [
    ['irrelevance_0', true, null],
    ['simple_0', true, null],
    ['simple_2', false, 'value_error:string'],
  ]);
});

test('a JSONL file of {id, result} for any mix of categories', async () => {
  const data = await loadBfclData(makeDataDir(), CATEGORIES);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bfcl-preds-')), 'preds.jsonl');
  writeFileSync(file, [{ id: 'simple_1', result: "[get_weather(city='Rome')]" }, { id: 'irrelevance_1', result: "[get_weather(city='Rome')]" }].map((r) => JSON.stringify(r)).join('\n'));
  const score = scoreBfcl(data, await readBfclPredictions(file, data), { format: 'python', underscoreToDot: false });
  assert.deepEqual(score.items.map((i) => [i.id, i.valid, i.errorType]), [
    ['irrelevance_1', false, 'irrelevance_error:decoder_success'],
    ['simple_1', true, null],
  ]);
});

test('unknown ids, malformed lines, repeated ids and misfiled entries are errors naming file and line', async () => {
  const data = await loadBfclData(makeDataDir(), CATEGORIES);
  const dir = mkdtempSync(path.join(tmpdir(), 'bfcl-bad-'));
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const ok = JSON.stringify({ id: 'simple_0', result: '' });
  await expectInputError(readBfclPredictions(write('a.jsonl', `${ok}\n${JSON.stringify({ id: 'simple_99', result: '' })}`), data), /a\.jsonl:2: id: unknown id "simple_99"/);
  await expectInputError(readBfclPredictions(write('b.jsonl', `${ok}\n\n{"id": "simple_1", "result": `), data), /b\.jsonl:3: not valid JSON/);
  await expectInputError(readBfclPredictions(write('c.jsonl', `${ok}\n${ok}`), data), /c\.jsonl:2: id: simple_0 is predicted twice/);
  await expectInputError(readBfclPredictions(write('d.jsonl', `{"id": "simple_1"}`), data), /d\.jsonl:1: result: missing/);
  await expectInputError(readBfclPredictions(write('e.jsonl', `["simple_1", ""]`), data), /e\.jsonl:1: expected an object/);
  const results = mkdtempSync(path.join(tmpdir(), 'bfcl-misfiled-'));
  writeFileSync(path.join(results, 'BFCL_v3_simple_result.json'), JSON.stringify({ id: 'irrelevance_0', result: '' }));
  await expectInputError(readBfclPredictions(results, data), /BFCL_v3_simple_result\.json:1: id: irrelevance_0 belongs to irrelevance/);
  await expectInputError(readBfclPredictions(mkdtempSync(path.join(tmpdir(), 'bfcl-empty-')), data), /no BFCL_v3_<category>_result\.json files/);
  // The official layout has one folder per model: the error points at them.
  const layout = mkdtempSync(path.join(tmpdir(), 'bfcl-layout-'));
  mkdirSync(path.join(layout, 'my-model'));
  writeFileSync(path.join(layout, 'my-model', 'BFCL_v3_simple_result.json'), ok);
  await expectInputError(readBfclPredictions(layout, data), /the subfolders my-model have some: pass one of them/);
});
