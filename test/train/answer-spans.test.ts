import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Sample } from '../../src/core/types.ts';
import { loadTokenizer } from '../../src/engine/tokenizer/index.ts';
import { answerTokens, weightedExample } from '../../src/train/answer-spans.ts';
import { sampleToExample } from '../../src/train/sample-tokens.ts';

const tokenizer = await loadTokenizer(fileURLToPath(new URL('../../assets/base-model/tokenizer.json', import.meta.url)));

const sample: Sample = {
  id: 'spans-1',
  tools: [{ name: 'play_song', description: 'Play a song', parameters: { type: 'object', properties: { title: { type: 'string' }, volume: { type: 'number' } }, required: ['title'] } }],
  messages: [{ role: 'user', content: 'Play Midnight Run at 7, please.' }],
  label: { kind: 'calls', calls: [{ name: 'play_song', arguments: { title: 'Midnight Run', volume: 7 } }] },
  provenance: { source: 'seed', round: 0, labelHistory: [] },
};

test('the spans hold exactly the tokens of the name and of each value', () => {
  const { tokens, promptLength, spans } = answerTokens(tokenizer, sample);
  assert.deepEqual(tokens, sampleToExample(tokenizer, sample).tokens);
  const text = (s: (typeof spans)[number]): string => tokenizer.decode(Array.from(tokens.subarray(promptLength + s.first, promptLength + s.end)));
  assert.deepEqual(spans.map((s) => [s.kind, text(s), s.literal]), [
    ['name', 'play_song', false],
    ['value', 'Midnight Run', true],
    ['value', '7', true],
  ]);
  const reply: Sample = { ...sample, label: { kind: 'text', text: 'Which song?' } };
  assert.deepEqual(answerTokens(tokenizer, reply).spans, []);
});

test('a weighted example keeps the prompt out of the loss and weighs the JSON around names and values less', () => {
  const { promptLength, spans } = answerTokens(tokenizer, sample);
  const ex = weightedExample(tokenizer, sample, 0.1);
  assert.deepEqual(ex.lossMask, sampleToExample(tokenizer, sample).lossMask);
  const inSpan = (i: number): boolean => spans.some((s) => i >= promptLength + s.first && i < promptLength + s.end);
  for (let i = 0; i < ex.tokens.length; i++) {
    const want = i < promptLength ? 0 : inSpan(i) ? 1 : 0.1;
    assert.equal(ex.weights![i], Math.fround(want), `token ${i} (${tokenizer.decode([ex.tokens[i]!])})`);
  }
  assert.ok(spans.length === 3 && ex.weights!.filter((w) => w === 1).length > 3);
});

test('the decision tokens are the first answer token and the one after each call; a decision weight weighs them alone', () => {
  const twoCalls: Sample = {
    ...sample,
    label: { kind: 'calls', calls: [{ name: 'play_song', arguments: { title: 'Midnight Run' } }, { name: 'play_song', arguments: { title: 'Blue Hour', volume: 7 } }] },
  };
  const { tokens, promptLength, decisions } = answerTokens(tokenizer, twoCalls);
  const at = (i: number): string => tokenizer.decode([tokens[promptLength + i]!]);
  // Another call follows the first; the turn ends after the second.
  assert.deepEqual(decisions.map(at), ['<tool_call>', '\n', '<|im_end|>']);
  assert.equal(at(decisions[1]! + 1), '<tool_call>');
  assert.equal(decisions.at(-1), tokens.length - promptLength - 1);

  const reply: Sample = { ...sample, label: { kind: 'text', text: 'Which song?' } };
  assert.deepEqual(answerTokens(tokenizer, reply).decisions, [0]);

  const plain = weightedExample(tokenizer, twoCalls, 0.1, 0, 0.1);
  assert.deepEqual(plain, weightedExample(tokenizer, twoCalls, 0.1));
  const weighted = weightedExample(tokenizer, twoCalls, 0.1, 0, 0.7);
  for (let i = 0; i < tokens.length; i++) {
    const want = decisions.includes(i - promptLength) ? 0.7 : plain.weights![i];
    assert.equal(weighted.weights![i], Math.fround(want!), `token ${i} (${tokenizer.decode([tokens[i]!])})`);
  }
  assert.equal(weightedExample(tokenizer, reply, 0.1, 0, 1).weights![answerTokens(tokenizer, reply).promptLength], 1);
});

test('a prompt weight trains every prompt token after the first at that weight and leaves the answer as it was', () => {
  const { promptLength } = answerTokens(tokenizer, sample);
  const answerOnly = weightedExample(tokenizer, sample, 0.1);
  const ex = weightedExample(tokenizer, sample, 0.1, 0.05);
  assert.deepEqual(ex.tokens, answerOnly.tokens);
  // Token 0 has nothing before it to be predicted from.
  assert.equal(ex.lossMask[0], 0);
  assert.equal(ex.weights![0], 0);
  for (let i = 1; i < promptLength; i++) {
    assert.equal(ex.lossMask[i], 1, `prompt token ${i}`);
    assert.equal(ex.weights![i], Math.fround(0.05), `prompt token ${i}`);
  }
  assert.deepEqual(ex.lossMask.subarray(promptLength), answerOnly.lossMask.subarray(promptLength));
  assert.deepEqual(ex.weights!.subarray(promptLength), answerOnly.weights!.subarray(promptLength));
  assert.deepEqual(weightedExample(tokenizer, sample, 0.1, 0), answerOnly);
});

test('a value spelled like a key, or a number inside another, is found where it stands as a value', () => {
  const tricky: Sample = {
    ...sample,
    messages: [{ role: 'user', content: 'title 12 and 2' }],
    label: { kind: 'calls', calls: [{ name: 'play_song', arguments: { title: 'title', volume: 2, list: [12, 2], flag: true } }] },
  };
  const { tokens, promptLength, spans } = answerTokens(tokenizer, tricky);
  const answer = tokenizer.decode(Array.from(tokens.subarray(promptLength)));
  const ends: number[] = [];
  for (let i = 1; i <= tokens.length - promptLength; i++) ends.push(tokenizer.decode(Array.from(tokens.subarray(promptLength, promptLength + i))).length);
  const where = spans.map((s) => [s.kind, answer.slice(s.first === 0 ? 0 : ends[s.first - 1], ends[s.end - 1]), s.literal]);
  assert.deepEqual(where, [
    ['name', 'play_song', false],
    ['value', 'title', true],
    ['value', '2', true],
    ['value', '12', true],
    ['value', '2', true],
    // The shipped tokenizer's split (words) keeps a word apart from the space before it.
    ['value', 'true', false],
  ]);
  // The first "title" in the answer is the key: the value's span starts after it.
  assert.ok(ends[spans[1]!.first]! > answer.indexOf('"title": "') + 10);
});

test('values after characters of several bytes still cover their own tokens', () => {
  const wide: Sample = {
    ...sample,
    messages: [{ role: 'user', content: 'Play Café Über 🎵 at 3' }],
    label: { kind: 'calls', calls: [{ name: 'play_song', arguments: { title: 'Café Über 🎵', volume: 3 } }] },
  };
  const { tokens, promptLength, spans } = answerTokens(tokenizer, wide);
  const text = (s: (typeof spans)[number]): string => tokenizer.decode(Array.from(tokens.subarray(promptLength + s.first, promptLength + s.end)));
  assert.deepEqual(spans.map((s) => [s.kind, text(s)]), [
    ['name', 'play_song'],
    ['value', 'Café Über 🎵'],
    ['value', '3'],
  ]);
});
