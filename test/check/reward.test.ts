import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderLabelForReward, scoreAgainstLabel, scoreToolCallReward } from '../../src/check/reward.ts';
import { PyFloat } from '../../src/core/value.ts';

const block = (json: string): string => `<tool_call>\n${json}\n</tool_call>`;
const call = (name: string, args: string): string => block(`{"name": "${name}", "arguments": ${args}}`);
const official = (response: string, gt: string): string => scoreToolCallReward(response, gt).reason;
const score = (response: string, gt: string, variant: 'official' | 'strict' = 'official'): number => scoreToolCallReward(response, gt, { variant }).score;

test('a text label wants a reply with neither tag; any tag fails it', () => {
  assert.equal(official('Which city do you mean?', 'Please tell me the city.'), 'text_match');
  assert.equal(official('I will call <tool_call> now', 'Please tell me the city.'), 'text_expected_got_call');
  assert.equal(official('done </tool_call>', 'Please tell me the city.'), 'text_expected_got_call');
});

test('a call label needs both tags in the reply', () => {
  const gt = call('f', '{}');
  assert.equal(official('{"name": "f", "arguments": {}}', gt), 'missing_tags');
  assert.equal(official('<tool_call>\n{"name": "f", "arguments": {}}', gt), 'missing_tags');
});

test('blocks need the exact newline layout; a block without it is not read', () => {
  const gt = call('f', '{"a": 1}');
  assert.equal(official('<tool_call>{"name": "f", "arguments": {"a": 1}}</tool_call>', gt), 'count_mismatch');
  assert.equal(official('<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>', gt), 'match');
});

test('calls inside <think> count in the official reward, not in the strict one', () => {
  const gt = call('f', '{"a": 1}');
  const reply = `<think>\n${call('f', '{"a": 1}')}\n</think>\n${call('f', '{"a": 1}')}`;
  assert.equal(official(reply, gt), 'count_mismatch');
  assert.equal(scoreToolCallReward(reply, gt, { variant: 'strict' }).reason, 'match');
});

test('the reply is cut out of a transcript after the last assistant marker', () => {
  const gt = call('f', '{}');
  const transcript = `<|im_start|>user\n${call('g', '{}')}<|im_end|>\n<|im_start|>assistant\n${call('f', '{}')}<|im_end|>\n<|im_start|>user\nmore`;
  assert.equal(official(transcript, gt), 'match');
  assert.equal(scoreToolCallReward(transcript, gt, { variant: 'strict' }).reason, 'count_mismatch');
});

test('argument order and call order do not matter', () => {
  const gt = [call('f', '{"a": 1, "b": "x"}'), call('g', '{}')].join('\n');
  assert.equal(score([call('g', '{}'), call('f', '{"b": "x", "a": 1}')].join('\n'), gt), 1);
  assert.equal(score([call('g', '{}'), call('f', '{"b": "x", "a": 1}')].join('\n'), gt, 'strict'), 1);
});

test('official: list arguments compare as sets (order and duplicates ignored); strict keeps order', () => {
  const gt = call('f', '{"ids": [1, 2, 2]}');
  assert.equal(score(call('f', '{"ids": [2, 1]}'), gt), 1);
  assert.equal(score(call('f', '{"ids": [2, 1]}'), gt, 'strict'), 0);
  assert.equal(score(call('f', '{"ids": [1, 2, 2]}'), gt, 'strict'), 1);
});

test('official: 1 == 1.0 == true; strict: numbers by value but booleans are not numbers', () => {
  const gt = call('f', '{"n": 1}');
  assert.equal(score(call('f', '{"n": 1.0}'), gt), 1);
  assert.equal(score(call('f', '{"n": true}'), gt), 1);
  assert.equal(score(call('f', '{"n": "1"}'), gt), 0);
  assert.equal(score(call('f', '{"n": 1.0}'), gt, 'strict'), 1);
  assert.equal(score(call('f', '{"n": true}'), gt, 'strict'), 0);
});

test('official: an empty object equals an empty list (both become an empty set)', () => {
  assert.equal(score(call('f', '{"o": []}'), call('f', '{"o": {}}')), 1);
  assert.equal(score(call('f', '{"o": []}'), call('f', '{"o": {}}'), 'strict'), 0);
});

test('the number of blocks must match; official then compares sets, so duplicate calls collapse', () => {
  const a = call('f', '{"x": 1}');
  const b = call('g', '{}');
  assert.equal(official([a, b].join('\n'), a), 'count_mismatch');
  // [A, A, B] against [A, B, B]: same length, same set — the official reward says match.
  assert.equal(official([a, a, b].join('\n'), [a, b, b].join('\n')), 'match');
  assert.equal(scoreToolCallReward([a, a, b].join('\n'), [a, b, b].join('\n'), { variant: 'strict' }).reason, 'calls_differ');
});

test('a block that is not JSON is compared as its raw text (official) or fails (strict)', () => {
  const gt = block('get_weather(city=Paris)');
  assert.equal(official(block('get_weather(city=Paris)'), gt), 'match');
  assert.equal(official(block('get_weather(city=Rome)'), gt), 'calls_differ');
  assert.equal(scoreToolCallReward(block('get_weather(city=Paris)'), gt, { variant: 'strict' }).reason, 'unparseable_block');
});

test('NaN matches NaN in the official reward, as Python json reads one shared NaN', () => {
  assert.equal(score(call('f', '{"x": NaN}'), call('f', '{"x": NaN}')), 1);
});

test('max and min scores are options; partial credit counts leading matching calls', () => {
  const a = call('f', '{"x": 1}');
  const b = call('g', '{}');
  assert.deepEqual(scoreToolCallReward(a, a, { maxScore: 3, minScore: -3 }), { score: 3, reason: 'match' });
  assert.deepEqual(scoreToolCallReward(b, a, { maxScore: 3, minScore: -3 }), { score: -3, reason: 'calls_differ' });
  assert.deepEqual(scoreToolCallReward([a, b].join('\n'), [a, a].join('\n'), { partialCredit: true }), { score: 0.5, reason: 'partial' });
  assert.deepEqual(scoreToolCallReward([a, b].join('\n'), [a, b].join('\n'), { partialCredit: true }), { score: 1, reason: 'match' });
  // Partial credit is positional: the same calls in another order earn nothing past the first difference.
  assert.equal(scoreToolCallReward([b, a].join('\n'), [a, b].join('\n'), { partialCredit: true }).score, 0);
});

test('a Label renders the way the official data writes labels, so it scores against its own rendering', () => {
  const label = { kind: 'calls' as const, calls: [{ name: 'convert', arguments: { amount: new PyFloat(5), to: 'Zürich' } }] };
  assert.equal(renderLabelForReward(label), '<tool_call>\n{"name": "convert", "arguments": {"amount": 5.0, "to": "Z\\u00fcrich"}}\n</tool_call>');
  assert.equal(scoreAgainstLabel(renderLabelForReward(label), label).score, 1);
  assert.equal(scoreAgainstLabel('Sorry, no.', { kind: 'text', text: 'Which currency?' }).reason, 'text_match');
});

test('hostile replies never throw', () => {
  const gt = call('f', '{}');
  for (const reply of ['', '<tool_call>', '<tool_call>\n\n</tool_call>', '<tool_call>\n{"a": [[[[[[\n</tool_call>', '\u0000<tool_call>\n</tool_call>'.repeat(50), '<|im_start|>assistant']) {
    const r = scoreToolCallReward(reply, gt);
    assert.ok(r.score === 0 || r.score === 1);
  }
});
