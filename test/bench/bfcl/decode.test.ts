/** Decoding stored results per format, as the official handlers decode them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBfclResult, decodeHermes, decodeOpenAiFc, decodedFromList } from '../../../src/bench/bfcl/decode.ts';
import type { BfclDecoded } from '../../../src/check/bfcl/entry.ts';

function summary(d: BfclDecoded): string {
  if (d.kind === 'calls') return `calls ${JSON.stringify(d.calls.map((c) => [c.name, c.arguments, c.nameNotString ?? false]))}`;
  return d.kind;
}

test('hermes: blocks need the newlines inside the tags; blocks that are not JSON are skipped', () => {
  const block = (json: string): string => `<tool_call>\n${json}\n</tool_call>`;
  assert.equal(summary(decodeHermes(block('{"name": "f", "arguments": {"a": 1}}'))), 'calls [["f",{"a":1},false]]');
  assert.equal(summary(decodeHermes('<tool_call>{"name": "f", "arguments": {}}</tool_call>')), 'calls []');
  assert.equal(summary(decodeHermes(`${block('{not json')}\n${block('{"name": "g", "arguments": {}}')}`)), 'calls [["g",{},false]]');
  assert.equal(summary(decodeHermes('I cannot help with that.')), 'calls []');
  // The think part is not removed: a call inside it counts.
  assert.equal(summary(decodeHermes(`<think>\n${block('{"name": "f", "arguments": {}}')}\n</think>`)), 'calls [["f",{},false]]');
});

test('hermes: one malformed call object fails the whole output', () => {
  const block = (json: string): string => `<tool_call>\n${json}\n</tool_call>`;
  const ok = block('{"name": "f", "arguments": {}}');
  assert.equal(decodeHermes(`${ok}${block('[1, 2]')}`).kind, 'failed');
  assert.equal(decodeHermes(`${ok}${block('{"name": "g"}')}`).kind, 'failed');
  assert.equal(decodeHermes(block('{"arguments": {}}')).kind, 'failed');
  assert.equal(decodeHermes(block('{"name": "f", "arguments": "{}"}')).kind, 'failed');
  assert.equal(decodeHermes(block('{"name": ["f"], "arguments": {}}')).kind, 'failed');
  // A name that is not a string is kept apart: it can never equal a function name.
  assert.equal(summary(decodeHermes(block('{"name": 5, "arguments": {}}'))), 'calls [["5",{},true]]');
});

test('openai-fc: {name: "json arguments"} items; a text reply does not decode, except the empty string', () => {
  assert.equal(summary(decodeOpenAiFc([{ f: '{"a": 1.0}' }])), 'calls [["f",{"a":1},false]]');
  assert.equal(decodeOpenAiFc('I cannot help with that.').kind, 'failed');
  assert.equal(summary(decodeOpenAiFc('')), 'calls []');
  assert.equal(summary(decodeOpenAiFc([])), 'calls []');
  assert.equal(decodeOpenAiFc([{ f: '{bad json' }]).kind, 'failed');
  assert.equal(decodeOpenAiFc([{}]).kind, 'failed');
  assert.equal(decodeOpenAiFc(['f']).kind, 'failed');
  // Arguments that are JSON but not an object decode, to the wrong output format.
  assert.equal(decodeOpenAiFc([{ f: '[1, 2]' }]).kind, 'wrong_format');
  // An arguments object stands for its JSON string.
  assert.equal(summary(decodeOpenAiFc([{ f: { a: 'x' } }])), 'calls [["f",{"a":"x"},false]]');
});

test('a result that is already a list of {name: {arguments}} is taken as decoded, in every format', () => {
  for (const format of ['python', 'hermes', 'openai-fc'] as const) {
    assert.equal(summary(decodeBfclResult([{ f: { a: 1 } }], format, 'python')), 'calls [["f",{"a":1},false]]', format);
  }
  assert.equal(decodedFromList([{ f: {}, g: {} }]).kind, 'wrong_format');
  assert.equal(decodedFromList([{ f: 'x' }]).kind, 'wrong_format');
  assert.equal(decodedFromList(['f(x=1)']).kind, 'wrong_format');
  assert.equal(decodeBfclResult(null, 'python', 'python').kind, 'failed');
});

test('python results go through the prompt-mode decoder with the category language', () => {
  assert.equal(summary(decodeBfclResult("[f(a='x', b=2.0)]", 'python', 'python')), 'calls [["f",{"a":"x","b":2},false]]');
  assert.equal(decodeBfclResult('```python\n[f(a=1)]\n```', 'python', 'python').kind, 'failed');
  assert.equal(summary(decodeBfclResult('[Cls.m(n=5, s="x y")]', 'python', 'java')), 'calls [["Cls.m",{"n":"5","s":"x y"},false]]');
});
