import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractHermesBlocks, parseHermesToolCalls, removeTrailingCommas } from '../../src/toolcall/hermes.ts';
import { splitThink } from '../../src/toolcall/think.ts';

const block = (json: string): string => `<tool_call>\n${json}\n</tool_call>`;

test('official mode: the newlines around the JSON are required', () => {
  assert.equal(extractHermesBlocks('<tool_call>{"name": "f", "arguments": {}}</tool_call>', 'official').length, 0);
  assert.equal(extractHermesBlocks(block('{"name": "f", "arguments": {}}'), 'official').length, 1);
});

test('official mode: blocks inside <think> count, and a block missing its newline swallows up to the next closing tag', () => {
  const text = `<think>\n${block('{"name": "a", "arguments": {}}')}\n</think>\n${block('{"name": "b", "arguments": {}}')}`;
  assert.deepEqual(extractHermesBlocks(text, 'official').map((b) => (b.json as { name: string }).name), ['a', 'b']);
  const swallowing = '<tool_call>\n{"name": "a", "arguments": {}}</tool_call>\n<tool_call>\n{"name": "b", "arguments": {}}\n</tool_call>';
  const blocks = extractHermesBlocks(swallowing, 'official');
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0]!.json, undefined, 'the swallowed text is not JSON');
});

test('lenient mode: loose whitespace, think ignored, trailing commas, arguments as a string, an unclosed last block', () => {
  const r = parseHermesToolCalls(
    '<think>maybe <tool_call>{"name": "x", "arguments": {}}</tool_call></think>Sure.<tool_call> {"name": "f", "arguments": {"a": [1, 2,],},} </tool_call><tool_call>{"name": "g", "arguments": "{\\"b\\": 2}"}<tool_call>{"name": "h", "parameters": {"c": 3}}',
  );
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.calls, [
    { name: 'f', arguments: { a: [1, 2] } },
    { name: 'g', arguments: { b: 2 } },
    { name: 'h', arguments: { c: 3 } },
  ]);
  assert.equal(r.content, 'Sure.');
});

test('failures are typed, never thrown', () => {
  const none = parseHermesToolCalls('Just text.');
  assert.equal(!none.ok && none.failure.kind, 'no_calls');
  const syntax = parseHermesToolCalls(block('{"name": "f", "arguments": {'));
  assert.equal(!syntax.ok && syntax.failure.kind, 'syntax');
  const shape = parseHermesToolCalls(block('{"arguments": {}}'));
  assert.equal(!shape.ok && shape.failure.kind, 'shape');
  const partial = parseHermesToolCalls(`${block('{"name": "ok", "arguments": {}}')}\n${block('[1]')}`);
  assert.ok(!partial.ok && partial.partial.length === 1 && partial.failure.kind === 'shape');
});

test('trailing commas are removed only outside strings', () => {
  assert.equal(removeTrailingCommas('{"a": "x,}", "b": [1,],}'), '{"a": "x,}", "b": [1]}');
});

test('think splitting: closed block, lone closing tag, unclosed block, none', () => {
  assert.deepEqual(splitThink('<think>plan</think>answer'), { reasoning: 'plan', answer: 'answer' });
  assert.deepEqual(splitThink('plan</think>answer'), { reasoning: 'plan', answer: 'answer' });
  assert.deepEqual(splitThink('pre<think>still thinking'), { reasoning: 'still thinking', answer: 'pre' });
  assert.deepEqual(splitThink('plain'), { reasoning: undefined, answer: 'plain' });
});
