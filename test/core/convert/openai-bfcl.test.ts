import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bfclToSample, sampleToBfcl } from '../../../src/core/convert/bfcl.ts';
import { FormatError } from '../../../src/core/convert/looptool.ts';
import { openAiToSamples, sampleToOpenAi } from '../../../src/core/convert/openai.ts';
import { parseJson } from '../../../src/core/json.ts';
import type { ValueObject } from '../../../src/core/value.ts';

const shared = resolve(fileURLToPath(new URL('../../../', import.meta.url)), '..', 'shared', 'benchmarks', 'bfcl_v3');

test('OpenAI messages: the last assistant message is the label, or every one with everyTurn', () => {
  const record = parseJson(
    JSON.stringify({
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"x": 1.0}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        { role: 'assistant', content: 'done' },
      ],
    }),
  ) as ValueObject;
  const last = openAiToSamples(record, 'r');
  assert.equal(last.length, 1);
  assert.deepEqual(last[0]!.label, { kind: 'text', text: 'done' });
  assert.deepEqual(last[0]!.messages[3], { role: 'tool', content: 'ok', toolCallId: 'c1' });
  const every = openAiToSamples(record, 'r', { everyTurn: true });
  assert.equal(every.length, 2);
  assert.equal(every[0]!.label.kind === 'calls' && JSON.stringify(every[0]!.label.calls), '[{"name":"f","arguments":{"x":1}}]');
  // And back: the sample's own messages plus its label as the final assistant message.
  const again = openAiToSamples(sampleToOpenAi(every[0]!), 'x');
  assert.deepEqual(again[0]!.label, every[0]!.label);
  assert.throws(() => openAiToSamples({ messages: [{ role: 'assistant', tool_calls: [{ function: { name: 'f', arguments: '[1]' } }] }] } as never, 'r'), (e: unknown) => e instanceof FormatError && e.field === 'messages[0].tool_calls[0].function.arguments');
});

test('BFCL entries become samples with JSON Schema types and the first acceptable values', () => {
  const questions = readFileSync(resolve(shared, 'BFCL_v3_simple.json'), 'utf8').split('\n').map((l) => parseJson(l) as ValueObject);
  const answers = readFileSync(resolve(shared, 'possible_answer', 'BFCL_v3_simple.json'), 'utf8').split('\n').map((l) => parseJson(l) as ValueObject);
  const s = bfclToSample(questions[0]!, answers[0]!);
  assert.equal(s.id, 'simple_0');
  assert.deepEqual(s.label, { kind: 'calls', calls: [{ name: 'calculate_triangle_area', arguments: { base: 10, height: 5, unit: 'units' } }] });
  const types = JSON.stringify(questions.map((q) => bfclToSample(q, undefined).tools.map((t) => t.parameters)));
  for (const bfclOnly of ['"dict"', '"float"', '"tuple"', '"any"']) assert.ok(!types.includes(`"type":${bfclOnly}`), `${bfclOnly} was mapped`);
  // Back to a BFCL entry: the same docs in BFCL's type names.
  const entry = sampleToBfcl(bfclToSample(questions[0]!, answers[0]!));
  assert.deepEqual(entry['function'], questions[0]!['function']);
  const irrelevant = bfclToSample(parseJson(readFileSync(resolve(shared, 'BFCL_v3_irrelevance.json'), 'utf8').split('\n')[0]!) as ValueObject, undefined);
  assert.equal(irrelevant.label.kind, 'text');
});
