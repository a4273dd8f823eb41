import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ToolCall } from '../../src/core/types.ts';
import { PyFloat, PyTuple } from '../../src/core/value.ts';
import { detectToolCallFormat, parseToolCalls } from '../../src/toolcall/detect.ts';
import { parseHermesToolCalls } from '../../src/toolcall/hermes.ts';
import { parseJsonToolCalls } from '../../src/toolcall/json-calls.ts';
import { renderPythonToolCalls } from '../../src/toolcall/pyrepr.ts';
import { parsePythonToolCalls } from '../../src/toolcall/python.ts';
import { fromOpenAIToolCalls, renderHermesToolCalls, renderJsonToolCalls, toOpenAIToolCalls } from '../../src/toolcall/render.ts';

const calls: ToolCall[] = [
  { name: 'convert', arguments: { amount: new PyFloat(5), to: 'Zürich "quoted"', n: 3, ok: true, none: null, list: [1, 2.5e-7, 'x'] } },
  { name: 'mod.g', arguments: { nested: { a: [{ b: 1 }] } } },
];

test('JSON calls: a list, one object, OpenAI items, a fence with prose around it', () => {
  const listed = parseJsonToolCalls(`Here you go:\n${renderJsonToolCalls(calls)}\nDone.`);
  assert.ok(listed.ok);
  assert.deepEqual(listed.calls, calls);
  assert.equal(listed.content, 'Here you go:\n\nDone.');
  const one = parseJsonToolCalls('```json\n{"name": "f", "arguments": {"a": 1}}\n```');
  assert.ok(one.ok && one.calls[0]!.name === 'f');
  const openai = parseJsonToolCalls(JSON.stringify({ tool_calls: [{ id: '1', type: 'function', function: { name: 'f', arguments: '{"a": 2}' } }] }));
  assert.ok(openai.ok && openai.calls[0]!.arguments['a'] === 2);
  const broken = parseJsonToolCalls('{"name": "f", "arguments": {"a": }');
  assert.equal(!broken.ok && broken.failure.kind, 'syntax');
  assert.equal((parseJsonToolCalls('[]') as { failure: { kind: string } }).failure.kind, 'no_calls');
});

test('every renderer round-trips through its parser with int/float and tuple kept', () => {
  const hermes = parseHermesToolCalls(renderHermesToolCalls(calls), { mode: 'official' });
  assert.ok(hermes.ok);
  assert.deepEqual(hermes.calls, calls);
  const json = parseJsonToolCalls(renderJsonToolCalls(calls));
  assert.ok(json.ok);
  assert.deepEqual(json.calls, calls);
  const withTuple: ToolCall[] = [{ name: 'f', arguments: { t: PyTuple.fromItems([1, 'a']), x: new PyFloat(1) } }];
  const python = parsePythonToolCalls(renderPythonToolCalls(withTuple));
  assert.ok(python.ok);
  assert.deepEqual(python.calls, withTuple);
  assert.ok(python.calls[0]!.arguments['t'] instanceof PyTuple);
  assert.deepEqual(fromOpenAIToolCalls(toOpenAIToolCalls(calls)), calls);
  assert.equal(toOpenAIToolCalls(calls)[0]!.function.arguments.includes('"amount":5.0'), true);
  assert.equal(typeof fromOpenAIToolCalls([{ id: 'x', type: 'function', function: { name: 'f', arguments: '[1]' } }]), 'string');
});

test('format detection and the auto entry point', () => {
  assert.equal(detectToolCallFormat(renderHermesToolCalls(calls)), 'hermes');
  assert.equal(detectToolCallFormat('<think>hmm</think>[get_weather(city="Oslo")]'), 'python');
  assert.equal(detectToolCallFormat('get_weather(city="Oslo")'), 'python');
  assert.equal(detectToolCallFormat('```json\n[{"name": "f", "arguments": {}}]\n```'), 'json');
  assert.equal(detectToolCallFormat('The weather is fine.'), undefined);
  for (const text of [renderHermesToolCalls(calls), renderJsonToolCalls(calls), renderPythonToolCalls(calls)]) {
    const r = parseToolCalls(text);
    assert.ok(r.ok, text);
    assert.deepEqual(r.calls, calls);
  }
  assert.equal((parseToolCalls('No tool fits.') as { failure: { kind: string } }).failure.kind, 'no_calls');
});
