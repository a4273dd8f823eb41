import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SPLIT_PATTERNS } from '../../src/engine/tokenizer/index.ts';
import { loadEngineModel } from '../../src/models/engine-model.ts';
import { DEFAULT_PRETRAIN, PretrainRecordSchema } from '../../src/train/pretrain-record.ts';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-cli-pretrain-'));
after(() => rmSync(work, { recursive: true, force: true }));

// A micro model on a few samples: the whole pipeline (data, tokenizer, both SFT stages, evaluation) in seconds.
const SMALL = ['--size', 'micro', '--samples', '30', '--reading-samples', '40', '--eval', '10', '--epochs', '1', '--max-positions', '2048'];

function pretrain(out: string, ...extra: string[]) {
  return spawnSync(process.execPath, [bin, 'world', 'pretrain', '--out', out, ...SMALL, ...extra], { encoding: 'utf8', cwd: work });
}

test('world pretrain makes a loadable model with a pretrain.json of settings, SFT figures and a held-out score', async () => {
  const run = pretrain('a');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /trained a micro model .* on \d+ samples(?: \(\d+ of them irrelevance twins\))?: reading stage on \d+ samples without tool lists: \d+ steps, .*; then \d+ steps/);
  assert.match(run.stdout, /held-out accuracy \(greedy, 10 clean test samples\)/);
  assert.match(run.stderr, /pretrain: \d+\/\d+ steps .*steps\/s .*ETA .*loss .*tokens\/s/);

  const bundle = await loadEngineModel(join(work, 'a'));
  assert.equal(bundle.model.config.maxPositions, 2048);
  const record = PretrainRecordSchema.parse(JSON.parse(readFileSync(join(work, 'a', 'pretrain.json'), 'utf8')));
  assert.deepEqual(record.settings, { ...DEFAULT_PRETRAIN, samples: 30, readingSamples: 40, size: 'micro', maxPositions: 2048, epochs: 1, evalSamples: 10 });
  // The first stage keeps the samples answered with calls (irrelevance and ask-back need the tool list).
  assert.ok(record.reading && record.reading.samples > 0 && record.reading.samples < 40, JSON.stringify(record.reading));
  assert.ok(record.reading.sft.steps > 0 && record.reading.sft.tokens > 0);
  assert.match(record.looptool, /^\d+\.\d+\.\d+/);
  assert.equal(record.data.samples, 30);
  assert.equal(record.data.trainedOn + record.data.leftOutTooLong, 30 + record.data.twins);
  assert.ok(record.sft.steps > 0 && record.sft.tokens > 0 && Number.isFinite(record.sft.finalLoss));
  assert.equal(record.evaluation?.total, 10);
  assert.equal(Object.values(record.evaluation!.byKind).reduce((n, k) => n + k.total, 0), 10);
  // Only the model and its record remain: the work directory goes with the final swap.
  assert.throws(() => statSync(join(work, 'a', 'work')));
});

test('the same command in another directory gives byte-identical weights', () => {
  const run = pretrain('b');
  assert.equal(run.status, 0, run.stderr);
  assert.ok(readFileSync(join(work, 'a', 'model.safetensors')).equals(readFileSync(join(work, 'b', 'model.safetensors'))));
  assert.equal(readFileSync(join(work, 'a', 'tokenizer.json'), 'utf8'), readFileSync(join(work, 'b', 'tokenizer.json'), 'utf8'));
});

test('rerunning over a finished directory neither trains nor evaluates again', () => {
  const weights = join(work, 'a', 'model.safetensors');
  const before = { bytes: readFileSync(weights), mtime: statSync(weights).mtimeMs, record: readFileSync(join(work, 'a', 'pretrain.json'), 'utf8') };
  const run = pretrain('a');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /already holds this pretrain .*not training again/);
  assert.match(run.stdout, /held-out accuracy/);
  assert.doesNotMatch(run.stderr, /pretrain:|evaluating/);
  assert.equal(statSync(weights).mtimeMs, before.mtime);
  assert.ok(readFileSync(weights).equals(before.bytes));
  assert.equal(readFileSync(join(work, 'a', 'pretrain.json'), 'utf8'), before.record);
});

test('another setting over the same directory is refused with the setting named', () => {
  const run = pretrain('a', '--seed', '2');
  assert.equal(run.status, 2);
  assert.match(run.stderr, /holds a pretrain made with --seed 1, but this run asks for --seed 2/);
  const reading = pretrain('a', '--reading-samples', '50');
  assert.equal(reading.status, 2);
  assert.match(reading.stderr, /holds a pretrain made with --reading-samples 40, but this run asks for --reading-samples 50/);
});

test('--split, --format-weight, --prompt-weight, --decision-weight, --irrelevance-twins, --vocab and --values shape the run, are recorded and guarded like any setting', () => {
  // The values other than the defaults, whichever those are.
  const split = DEFAULT_PRETRAIN.split === 'words' ? 'qwen2' : 'words';
  const values = DEFAULT_PRETRAIN.values === 'all' ? 'own' : 'all';
  const run = pretrain('w', '--split', split, '--format-weight', '0.2', '--values', values, '--prompt-weight', '0.05', '--vocab', '600', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, / on \d+ samples \([1-9]\d* of them irrelevance twins\)/);
  // The micro size's own vocabulary is 320; the corpus of 30 samples fills more of 600.
  const vocab = JSON.parse(readFileSync(join(work, 'w', 'config.json'), 'utf8')).vocab_size;
  assert.ok(vocab > 320 && vocab <= 600, `vocab_size ${vocab}`);
  const tokenizer = JSON.parse(readFileSync(join(work, 'w', 'tokenizer.json'), 'utf8'));
  assert.equal(tokenizer.pre_tokenizer.pretokenizers[0].pattern.Regex, SPLIT_PATTERNS[split]);
  const { settings } = PretrainRecordSchema.parse(JSON.parse(readFileSync(join(work, 'w', 'pretrain.json'), 'utf8')));
  assert.deepEqual([settings.split, settings.formatWeight, settings.values, settings.promptWeight, settings.vocab, settings.decisionWeight, settings.irrelevanceTwins], [split, 0.2, values, 0.05, 600, 0.3, 1]);
  const twins = pretrain('w', '--split', split, '--format-weight', '0.2', '--values', values, '--prompt-weight', '0.05', '--vocab', '600', '--decision-weight', '0.3');
  assert.equal(twins.status, 2);
  assert.match(twins.stderr, new RegExp(`holds a pretrain made with --irrelevance-twins 1, but this run asks for --irrelevance-twins ${DEFAULT_PRETRAIN.irrelevanceTwins}`));
  const decision = pretrain('w', '--split', split, '--format-weight', '0.2', '--values', values, '--prompt-weight', '0.05', '--vocab', '600', '--irrelevance-twins', '1');
  assert.equal(decision.status, 2);
  assert.match(decision.stderr, new RegExp(`holds a pretrain made with --decision-weight 0.3, but this run asks for --decision-weight ${DEFAULT_PRETRAIN.decisionWeight}`));
  const sized = pretrain('w', '--split', split, '--format-weight', '0.2', '--values', values, '--prompt-weight', '0.05', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(sized.status, 2);
  assert.match(sized.stderr, /holds a pretrain made with --vocab 600, but this run asks for no --vocab; rerun with --vocab 600/);
  const prompt = pretrain('w', '--split', split, '--format-weight', '0.2', '--values', values, '--vocab', '600', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(prompt.status, 2);
  assert.match(prompt.stderr, new RegExp(`holds a pretrain made with --prompt-weight 0.05, but this run asks for --prompt-weight ${DEFAULT_PRETRAIN.promptWeight}`));
  const other = pretrain('w', '--format-weight', '0.2', '--values', values, '--prompt-weight', '0.05', '--vocab', '600', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(other.status, 2);
  assert.match(other.stderr, new RegExp(`holds a pretrain made with --split ${split}, but this run asks for --split ${DEFAULT_PRETRAIN.split}`));
  const weight = pretrain('w', '--split', split, '--values', values, '--prompt-weight', '0.05', '--vocab', '600', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(weight.status, 2);
  assert.match(weight.stderr, new RegExp(`holds a pretrain made with --format-weight 0.2, but this run asks for --format-weight ${DEFAULT_PRETRAIN.formatWeight}`));
  const drawn = pretrain('w', '--split', split, '--format-weight', '0.2', '--prompt-weight', '0.05', '--vocab', '600', '--decision-weight', '0.3', '--irrelevance-twins', '1');
  assert.equal(drawn.status, 2);
  assert.match(drawn.stderr, new RegExp(`holds a pretrain made with --values ${values}, but this run asks for --values ${DEFAULT_PRETRAIN.values}`));
});

test('a directory holding other files is refused', () => {
  const run = spawnSync(process.execPath, [bin, 'world', 'pretrain', '--out', '.', ...SMALL], { encoding: 'utf8', cwd: join(work, 'a', '..') });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /is not empty and holds no pretrain/);
});

test('--help says what it makes, how long it takes and where it ships', () => {
  const run = spawnSync(process.execPath, [bin, 'world', 'pretrain', '--help'], { encoding: 'utf8' });
  assert.equal(run.status, 0);
  assert.match(run.stdout, /--max-positions/);
  assert.match(run.stdout, /42 minutes on 2 cores/);
  assert.match(run.stdout, /--decision-weight <w>/);
  assert.match(run.stdout, /assets\/base-model/);
  assert.match(run.stdout, /world probe --model DIR .*\n.*DIR\/work\/sft/);
  assert.match(run.stdout, /--reading-samples <n>/);
});
