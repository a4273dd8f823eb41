import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleToLoopTool } from '../../../src/core/convert/looptool.ts';
import { sampleToShareGpt, shareGptToSamples } from '../../../src/core/convert/sharegpt.ts';
import type { ValueObject } from '../../../src/core/value.ts';

const tools = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
const conversation = (turns: Array<[string, string]>): ValueObject => ({ tools, date: '2025-01-02', conversations: turns.map(([from, value]) => ({ from, value })) });

test('one sample per assistant call turn, with the history before it', () => {
  const { samples, skipped } = shareGptToSamples(
    conversation([
      ['user', 'Weather in Oslo?'],
      ['assistant', '[{"name": "get_weather", "arguments": {"city": "Oslo"}}]'],
      ['tool', '[{"name": "get_weather", "results": {"temp": 3}}]'],
      ['assistant', 'It is 3 degrees.'],
      ['user', 'And Rome?'],
      ['assistant', '[{"name": "get_weather", "arguments": {"city": "Rome"}}]'],
    ]),
    'c1',
  );
  assert.deepEqual(skipped, {});
  assert.deepEqual(samples.map((s) => s.id), ['c1-t1', 'c1-t5']);
  assert.equal(samples[1]!.messages.length, 5);
  assert.deepEqual(samples[1]!.messages[2], { role: 'tool', name: 'get_weather', content: '{"temp": 3}' });
  assert.deepEqual(samples[1]!.label, { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] });
  // The history renders the tool turn as the release does: json.dumps of the results.
  assert.ok(sampleToLoopTool(samples[1]!).input.includes('<|im_start|>user\n<tool_response>\n{"temp": 3}\n</tool_response><|im_end|>'));
});

test('a call turn followed by a tool error is skipped; text turns only when asked', () => {
  const conv = conversation([
    ['user', 'Weather?'],
    ['assistant', '[{"name": "get_weather", "arguments": {}}]'],
    ['tool', '[{"name": "get_weather", "results": {"Error": "city missing"}}]'],
    ['assistant', 'Which city?'],
  ]);
  const plain = shareGptToSamples(conv, 'c');
  assert.equal(plain.samples.length, 0);
  assert.deepEqual(plain.skipped, { tool_error_followed: 1 });
  const withText = shareGptToSamples(conv, 'c', { textTurns: true });
  assert.deepEqual(withText.samples.map((s) => s.label), [{ kind: 'text', text: 'Which city?' }]);
});

test('history is cut to the last maxTurns user messages', () => {
  const turns: Array<[string, string]> = [];
  for (let i = 0; i < 7; i++) turns.push(['user', `q${i}`], ['assistant', `a${i}`]);
  turns.push(['user', 'last'], ['assistant', '[{"name": "get_weather", "arguments": {"city": "X"}}]']);
  const [s] = shareGptToSamples(conversation(turns), 'c', { maxTurns: 3 }).samples;
  assert.deepEqual(s!.messages.filter((m) => m.role === 'user').map((m) => m.content), ['q5', 'q6', 'last']);
});

test('samples → ShareGPT → samples keeps tools, history and label', () => {
  const { samples } = shareGptToSamples(
    conversation([
      ['user', 'Weather in Oslo?'],
      ['assistant', '[{"name": "get_weather", "arguments": {"city": "Oslo"}}]'],
      ['tool', '[{"name": "get_weather", "results": {"temp": 3}}]'],
      ['user', 'thanks, and Rome?'],
      ['assistant', '[{"name": "get_weather", "arguments": {"city": "Rome"}}]'],
    ]),
    'c',
  );
  const again = shareGptToSamples(sampleToShareGpt(samples[1]!), 'c').samples;
  assert.deepEqual(again.at(-1)!.messages, samples[1]!.messages);
  assert.deepEqual(again.at(-1)!.label, samples[1]!.label);
  assert.deepEqual(again.at(-1)!.tools, samples[1]!.tools);
});
