import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { loopToolToSample, renderLoopToolInput, renderLoopToolInstruction, sampleToLoopTool } from '../../../src/core/convert/looptool.ts';
import { stringifyJson } from '../../../src/core/json.ts';
import { seedProvenance, type Sample } from '../../../src/core/types.ts';
import { PyFloat } from '../../../src/core/value.ts';

const sample: Sample = {
  id: 'a',
  tools: [{ name: 'convert', description: 'Convert €, ¥ and more', parameters: { type: 'object', properties: { amount: { type: 'number' }, to: { type: 'string' } }, required: ['amount'] } }],
  messages: [
    { role: 'user', content: '  Convert 5 EUR to yen, café money  ' },
    { role: 'assistant', toolCalls: [{ name: 'convert', arguments: { amount: new PyFloat(5), to: 'JPY', tiny: 1e-5, big: new PyFloat(1e16) } }] },
    { role: 'tool', content: '{"value": 812.5}' },
    { role: 'tool', content: 'second result' },
    { role: 'assistant', content: 'About 812 yen.' },
    { role: 'user', content: 'And 7?' },
  ],
  label: { kind: 'calls', calls: [{ name: 'convert', arguments: { amount: 7, to: 'JPY' } }, { name: 'convert', arguments: { amount: 7, to: 'USD' } }] },
  provenance: seedProvenance(),
  meta: { date: '2025-03-14' },
};

test('the input renders ChatML turns with the leading user marker and final end marker removed', () => {
  assert.equal(
    renderLoopToolInput(sample.messages),
    'Convert 5 EUR to yen, café money<|im_end|>\n' +
      '<|im_start|>assistant\n<tool_call>\n{"name": "convert", "arguments": {"amount": 5.0, "to": "JPY", "tiny": 1e-05, "big": 1e+16}}\n</tool_call><|im_end|>\n' +
      '<|im_start|>user\n<tool_response>\n{"value": 812.5}\n</tool_response>\n<tool_response>\nsecond result\n</tool_response><|im_end|>\n' +
      '<|im_start|>assistant\nAbout 812 yen.<|im_end|>\n' +
      '<|im_start|>user\nAnd 7?',
  );
});

test('records are byte-exact with Python json.dumps rendering of the same data', { skip: spawnSync('python3', ['--version']).status === 0 ? false : 'python3 is not installed' }, () => {
  const record = sampleToLoopTool(sample, { instruction: 'Be helpful.' });
  // Python builds the expected strings with its own json.dumps defaults.
  const script = `
import json, sys
d = json.loads(sys.stdin.read())
tools = d["tools"]
head = "Be helpful.\\n\\nThe current time is 2025-03-14.\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>"
for t in tools: head += "\\n" + json.dumps(t)
head += '\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{"name": <function-name>, "arguments": <args-json-object>}\\n</tool_call>.'
out = "\\n".join("<tool_call>\\n" + json.dumps({"name": c["name"], "arguments": c["arguments"]}) + "\\n</tool_call>" for c in d["calls"])
print(json.dumps({"instruction": head, "output": out}))
`;
  const r = spawnSync('python3', ['-c', script], { input: stringifyJson({ tools: sample.tools, calls: sample.label.kind === 'calls' ? sample.label.calls : [] }), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const expected = JSON.parse(r.stdout) as { instruction: string; output: string };
  assert.equal(record.instruction, expected.instruction);
  assert.equal(record.output, expected.output);
  assert.ok(record.instruction.includes('"Convert \\u20ac, \\u00a5 and more"'), 'non-ASCII is escaped as json.dumps does');
});

test('a record reads back into the same sample, and renders again to the same bytes', () => {
  const record = sampleToLoopTool(sample, { instruction: 'Be helpful.' });
  const back = loopToolToSample(record, 'a');
  assert.deepEqual(back.tools, sample.tools);
  assert.deepEqual(back.label, sample.label);
  assert.equal(back.meta?.['date'], '2025-03-14');
  assert.deepEqual(sampleToLoopTool(back), record);
  // Whitespace around user text is trimmed by the format, the rest of the conversation survives.
  assert.equal(back.messages[0]!.role === 'user' && back.messages[0]!.content, 'Convert 5 EUR to yen, café money');
  assert.deepEqual(back.messages.slice(1), sample.messages.slice(1));
});

test('a text label is written as the text, and the default instruction is looptool\'s own', () => {
  const record = sampleToLoopTool({ ...sample, label: { kind: 'text', text: 'Which currency?' }, meta: {} });
  assert.equal(record.output, 'Which currency?');
  assert.ok(record.instruction.includes('The current time is Unknown.'));
  assert.equal(renderLoopToolInstruction([], 'x', 'I.'), 'I.\n\nThe current time is x.\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>.');
});
