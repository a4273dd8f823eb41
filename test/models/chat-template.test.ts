import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { stringifyJson } from '../../src/core/json.ts';
import type { Message, Tool } from '../../src/core/types.ts';
import { PyFloat } from '../../src/core/value.ts';
import { CHAT_TEMPLATE_JINJA, renderAssistantTurn, renderChat, toHfMessages, toHfTools } from '../../src/models/chat-template.ts';

const weather: Tool = {
  name: 'get_weather',
  description: 'Current weather for a city — «live» data',
  parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', default: 1 } }, required: ['city'] },
};
const convert: Tool = { name: 'convert', parameters: { type: 'object', properties: { amount: { type: 'number' } } } };

const cases: Array<{ name: string; messages: Message[]; tools: Tool[]; gen: boolean }> = [
  { name: 'plain chat', messages: [{ role: 'user', content: 'Hi there' }], tools: [], gen: true },
  { name: 'system without tools', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], tools: [], gen: true },
  { name: 'tools without system', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather, convert], gen: true },
  {
    name: 'full tool round trip',
    messages: [
      { role: 'system', content: 'You help with travel.' },
      { role: 'user', content: 'Weather in Zürich and 5.0 EUR in USD?' },
      {
        role: 'assistant',
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Zürich' } },
          { name: 'convert', arguments: { amount: new PyFloat(5) } },
        ],
      },
      { role: 'tool', content: '{"temp": 21}' },
      { role: 'tool', content: '{"usd": 5.4}' },
      { role: 'assistant', content: 'It is 21 °C; that is 5.40 USD.' },
      { role: 'user', content: 'Thanks' },
    ],
    tools: [weather, convert],
    gen: false,
  },
  {
    name: 'assistant text with a call',
    messages: [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: 3 } }] },
    ],
    tools: [weather],
    gen: true,
  },
];

test('the TypeScript renderer lays out turns, tools and calls as documented', () => {
  const text = renderChat(cases[3]!.messages, cases[3]!.tools, true);
  assert.ok(text.startsWith('<|im_start|>system\nYou help with travel.\n\n# Tools\n'));
  assert.ok(text.includes('{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city — «live» data", "parameters":'));
  assert.ok(text.includes('<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Zürich"}}\n</tool_call>\n<tool_call>\n{"name": "convert", "arguments": {"amount": 5.0}}\n</tool_call><|im_end|>\n'));
  assert.ok(text.includes('<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response>\n<tool_response>\n{"usd": 5.4}\n</tool_response><|im_end|>\n'));
  assert.ok(text.endsWith('<|im_start|>user\nThanks<|im_end|>\n<|im_start|>assistant\n'));
  assert.equal(renderAssistantTurn(undefined, [{ name: 'f', arguments: {} }]), '<tool_call>\n{"name": "f", "arguments": {}}\n</tool_call>');
});

const script = fileURLToPath(new URL('./fixtures/render_chat_template.py', import.meta.url));
const hasTransformers = spawnSync('python3', ['-c', 'import transformers'], { encoding: 'utf8' }).status === 0;
if (!hasTransformers && process.env['CI']) test('python transformers is installed', () => assert.fail('cannot import transformers (see scripts/install-python-reference.sh)'));

test('🤗 transformers renders the Jinja template byte for byte like the TypeScript renderer', { skip: hasTransformers ? false : 'python3 with transformers is not installed' }, () => {
  const request = {
    template: CHAT_TEMPLATE_JINJA,
    cases: cases.map((c) => ({ messages: toHfMessages(c.messages), tools: toHfTools(c.tools), add_generation_prompt: c.gen })),
  };
  // stringifyJson keeps 5.0 a float, so Python sees the same values.
  const r = spawnSync('python3', [script], { input: stringifyJson(request), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rendered = JSON.parse(r.stdout) as string[];
  cases.forEach((c, i) => assert.equal(rendered[i], renderChat(c.messages, c.tools, c.gen), c.name));
});
