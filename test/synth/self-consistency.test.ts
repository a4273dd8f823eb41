/** The assistant's self-consistency rule: two samples, a third on disagreement, a majority settles it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssistantReply } from '../../src/synth/roles.ts';
import { decideConsistency, sampleConsistently } from '../../src/synth/self-consistency.ts';

const call = (city: string, units?: string): AssistantReply => ({ kind: 'calls', calls: [{ name: 'get_weather', arguments: units ? { city, units } : { city } }], text: '' });
const text = (t: string): AssistantReply => ({ kind: 'text', text: t });
const broken: AssistantReply = { kind: 'unparsed', text: '<tool_call>{"name"', error: 'bad JSON' };

test('two text replies agree, and the first is kept', () => {
  const o = decideConsistency([text('Which city?'), text('What city do you mean?')])!;
  assert.equal(o.consistent, true);
  assert.deepEqual(o.chosen, text('Which city?'));
});

test('two identical call lists agree whatever the order of their calls and arguments', () => {
  const a: AssistantReply = { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo', units: 'celsius' } }, { name: 'get_time', arguments: { zone: 'CET' } }], text: '' };
  const b: AssistantReply = { kind: 'calls', calls: [{ name: 'get_time', arguments: { zone: 'CET' } }, { name: 'get_weather', arguments: { units: 'celsius', city: 'Oslo' } }], text: '' };
  assert.equal(decideConsistency([a, b])?.consistent, true);
});

test('different calls, a call against text, or an unparsed reply need a third sample', () => {
  assert.equal(decideConsistency([call('Oslo'), call('Rome')]), undefined);
  assert.equal(decideConsistency([call('Oslo'), text('Sure.')]), undefined);
  assert.equal(decideConsistency([broken, broken]), undefined);
});

test('of three, two equal call lists win; two text replies win; otherwise the turn is inconsistent', () => {
  const calls = decideConsistency([call('Oslo'), call('Rome'), call('Rome')])!;
  assert.deepEqual([calls.consistent, calls.chosen], [true, call('Rome')]);
  assert.deepEqual(calls.runnerUp, call('Oslo'), 'the disagreeing sample is kept for the judge');
  const texts = decideConsistency([text('a'), call('Oslo'), text('b')])!;
  assert.deepEqual([texts.consistent, texts.chosen], [true, text('a')]);
  const none = decideConsistency([call('Oslo'), call('Rome'), text('c')])!;
  assert.deepEqual([none.consistent, none.chosen], [false, call('Oslo')]);
  assert.equal(decideConsistency([broken, call('Oslo'), broken])!.consistent, false);
});

test('a third sample is drawn only on disagreement, each sample with its own index', async () => {
  const asked: number[] = [];
  const agree = await sampleConsistently(async (i) => (asked.push(i), call('Oslo')));
  assert.deepEqual([agree.candidates.length, asked.sort()], [2, [0, 1]]);
  asked.length = 0;
  const replies = [call('Oslo'), call('Rome'), call('Oslo')];
  const settled = await sampleConsistently(async (i) => (asked.push(i), replies[i]!));
  assert.deepEqual([settled.candidates.length, settled.consistent, asked.sort()], [3, true, [0, 1, 2]]);
});
