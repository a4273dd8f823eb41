import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../src/core/types.ts';
import { loadTokenizer } from '../../src/engine/tokenizer/index.ts';
import { loadEngineModel } from '../../src/models/engine-model.ts';
import { probeCopying, probeCopyingWith, type NextTokenPredictor } from '../../src/train/copy-probe.ts';
import { sampleToExample } from '../../src/train/sample-tokens.ts';
import { generateSplit } from '../../src/world/generate.ts';

const baseModel = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
const tokenizer = await loadTokenizer(`${baseModel}/tokenizer.json`);

/** Predicts every next token right, except where `wrong(targetText, inAnswer)` says. */
function predictor(sample: Sample, wrong: (text: string) => boolean): NextTokenPredictor {
  const { lossMask } = sampleToExample(tokenizer, sample);
  const promptLength = lossMask.indexOf(1);
  return (tokens) =>
    Int32Array.from(tokens, (_, t) => {
      const next = tokens[t + 1] ?? 0;
      return t + 1 >= promptLength && wrong(tokenizer.decode([next])) ? (next + 1) % tokenizer.vocabSize : next;
    });
}

function leafCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + leafCount(v), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + leafCount(v), 0);
  return 1;
}

test('a predictor that is always right scores every name and value token of world calls right', () => {
  const samples = generateSplit('test', 60, 3);
  const withCalls = samples.filter((s) => s.label.kind === 'calls');
  const perfect: NextTokenPredictor = (tokens) => Int32Array.from(tokens, (_, t) => tokens[t + 1] ?? 0);
  const probe = probeCopyingWith(perfect, tokenizer, samples, 100_000);
  assert.equal(probe.samples, withCalls.length);
  const values = withCalls.reduce((n, s) => n + (s.label.kind === 'calls' ? s.label.calls.reduce((m, c) => m + leafCount(c.arguments), 0) : 0), 0);
  assert.equal(probe.wholeValues.total, values, 'every value of every call is found in the rendered answer');
  assert.equal(probe.firstValueTokens.total, values);
  for (const tally of [probe.nameTokens, probe.valueTokens, probe.firstValueTokens, probe.wholeValues, probe.literalValues, probe.uniqueFirstTokens, probe.uniqueContinuations]) {
    assert.ok(tally.total > 0);
    assert.equal(tally.correct, tally.total);
  }
  assert.ok(probe.valueTokens.total > values, 'values span several tokens');
  assert.ok(probe.literalValues.total < values, 'dates and spelled numbers are not literal');
});

test('a miss on the first token of each value counts against first tokens and whole values only', () => {
  const sample: Sample = {
    id: 'probe-1',
    tools: [{ name: 'play_song', description: 'Play a song', parameters: { type: 'object', properties: { title: { type: 'string' }, volume: { type: 'string' } }, required: ['title'] } }],
    messages: [{ role: 'user', content: 'Play Midnight Run please, not too quiet.' }],
    label: { kind: 'calls', calls: [{ name: 'play_song', arguments: { title: 'Midnight Run', volume: 'loud' } }] },
    provenance: { source: 'seed', round: 0, labelHistory: [] },
  };
  const startsAValue = (text: string): boolean => text.length > 0 && ['Midnight Run', 'loud'].some((v) => v.startsWith(text));
  const probe = probeCopyingWith(predictor(sample, startsAValue), tokenizer, [sample], 100_000);
  assert.deepEqual(probe.firstValueTokens, { correct: 0, total: 2 });
  assert.deepEqual(probe.wholeValues, { correct: 0, total: 2 });
  // "Midnight Run" is in the request as written; "loud" is not.
  assert.deepEqual(probe.literalValues, { correct: 0, total: 1 });
  assert.equal(probe.valueTokens.total - probe.valueTokens.correct, 2);
  assert.equal(probe.nameTokens.correct, probe.nameTokens.total);

  const nameTokenTexts = new Set(Array.from(tokenizer.encode('play_song'), (id) => tokenizer.decode([id])));
  const namesWrong = probeCopyingWith(predictor(sample, (text) => nameTokenTexts.has(text)), tokenizer, [sample], 100_000);
  assert.equal(namesWrong.nameTokens.correct, 0);
  assert.deepEqual(namesWrong.wholeValues, { correct: 2, total: 2 });
});

test('a predictor blind to tokens that stand once in the prompt scores 0 on the copy rows and not on the others', () => {
  const samples = generateSplit('test', 60, 3);
  // Right everywhere, except on answer tokens the prompt holds once (only copying finds
  // them) and on tokens after a prompt token always followed by the same one.
  const promptLengths = new Map(samples.map((s) => {
    const { tokens, lossMask } = sampleToExample(tokenizer, s);
    return [tokens.join(','), lossMask.indexOf(1)];
  }));
  const recaller: NextTokenPredictor = (tokens) => {
    const promptLength = promptLengths.get(tokens.join(','))!;
    const prompt = Array.from(tokens.subarray(0, promptLength));
    const times = (t: number): number => prompt.filter((p) => p === t).length;
    const soleFollower = (t: number): boolean => new Set(prompt.flatMap((p, i) => (p === t && i + 1 < promptLength ? [prompt[i + 1]] : []))).size === 1;
    return Int32Array.from(tokens, (_, t) => {
      const next = tokens[t + 1] ?? 0;
      const blind = t + 1 >= promptLength && (times(next) === 1 || soleFollower(tokens[t]!));
      return blind ? (next + 1) % tokenizer.vocabSize : next;
    });
  };
  const probe = probeCopyingWith(recaller, tokenizer, samples, 100_000);
  assert.ok(probe.uniqueFirstTokens.total > 0 && probe.uniqueContinuations.total > 0);
  assert.equal(probe.uniqueFirstTokens.correct, 0);
  assert.equal(probe.uniqueContinuations.correct, 0);
  assert.ok(probe.firstValueTokens.correct > 0 && probe.valueTokens.correct > 0);
});

test('samples without calls and samples longer than the context are not probed', () => {
  const samples = generateSplit('test', 40, 4);
  const perfect: NextTokenPredictor = (tokens) => Int32Array.from(tokens, (_, t) => tokens[t + 1] ?? 0);
  assert.equal(probeCopyingWith(perfect, tokenizer, samples, 10).samples, 0);
  const texts = samples.filter((s) => s.label.kind === 'text');
  assert.ok(texts.length > 0);
  assert.equal(probeCopyingWith(perfect, tokenizer, texts, 100_000).samples, 0);
});

test('the shipped base model names the right function and reads values out of the request', async () => {
  const bundle = await loadEngineModel(baseModel);
  const probe = probeCopying(bundle.model, bundle.tokenizer, generateSplit('test', 24, 1));
  assert.ok(probe.samples > 10);
  const share = (t: { correct: number; total: number }): number => t.correct / t.total;
  assert.ok(share(probe.nameTokens) > 0.8, `name tokens ${share(probe.nameTokens)}`);
  // Recall alone gets a first token that only the request shows about one time in ten.
  assert.ok(share(probe.uniqueFirstTokens) > 0.6, `first tokens only in the request ${share(probe.uniqueFirstTokens)}`);
  assert.ok(share(probe.wholeValues) > 0.6, `whole values ${share(probe.wholeValues)}`);
});
