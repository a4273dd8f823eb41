/** The server against the official `openai` npm client, on a real port on 127.0.0.1. */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { seedProvenance, type Sample } from '../../src/core/types.ts';
import type { LlamaConfig } from '../../src/engine/config.ts';
import { createModel } from '../../src/engine/model.ts';
import { initParams, paramLayout } from '../../src/engine/params.ts';
import { sftTrain } from '../../src/engine/sft.ts';
import { trainTokenizer } from '../../src/engine/tokenizer/index.ts';
import type { EngineBundle } from '../../src/models/engine-model.ts';
import { createOpenAIServer } from '../../src/serve/openai-server.ts';
import { renderChat } from '../../src/models/chat-template.ts';
import { renderLabel, sampleToExample } from '../../src/train/sample-tokens.ts';

const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

// A small model taught one answer: whatever it is asked, it calls get_weather for Paris.
function trainedBundle(): EngineBundle {
  const samples: Sample[] = ['weather?', 'is it raining', 'forecast please', 'how warm is it', 'sunny today?', 'need an umbrella?'].map((q, i) => ({
    id: `s${i}`,
    tools: [{ name: weatherTool.function.name, description: weatherTool.function.description, parameters: weatherTool.function.parameters }],
    messages: [{ role: 'user', content: q }],
    label: { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
    provenance: seedProvenance(),
  }));
  const tokenizer = trainTokenizer(samples.map((s) => renderChat(s.messages, s.tools, true) + renderLabel(s.label)), { vocabSize: 400 });
  const config: LlamaConfig = { vocabSize: tokenizer.vocabSize, hiddenSize: 32, intermediateSize: 64, numLayers: 1, numHeads: 2, numKvHeads: 1, maxPositions: 256, ropeTheta: 10000, rmsNormEps: 1e-6 };
  const model = createModel(config, initParams(paramLayout(config), 1));
  sftTrain(model, samples.map((s) => sampleToExample(tokenizer, s)), { epochs: 60, batchTokens: 400, lr: 1e-2, warmupSteps: 5 });
  return { model, tokenizer };
}

let server: Server;
let secured: Server;
let baseURL: string;
let securedURL: string;

async function listen(s: Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`;
}

before(async () => {
  const bundle = trainedBundle();
  server = createOpenAIServer({ bundle, modelId: 'tiny-test', maxTokensCap: 64, maxBodyBytes: 20_000 });
  secured = createOpenAIServer({ bundle, modelId: 'tiny-test', apiKey: 'sekret' });
  baseURL = await listen(server);
  securedURL = await listen(secured);
});
after(() => {
  server.close();
  secured.close();
});

test('a tool call comes back as tool_calls through the official openai client', async () => {
  const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
  const models = await client.models.list();
  assert.deepEqual(models.data.map((m) => m.id), ['tiny-test']);
  const r = await client.chat.completions.create({
    model: 'tiny-test',
    messages: [{ role: 'user', content: 'will it rain?' }],
    tools: [weatherTool],
    temperature: 0,
    max_tokens: 48,
    logprobs: true,
    top_logprobs: 3,
  });
  const choice = r.choices[0]!;
  assert.equal(choice.finish_reason, 'tool_calls');
  const call = choice.message.tool_calls![0]!;
  assert.equal(call.type, 'function');
  assert.equal(call.type === 'function' && call.function.name, 'get_weather');
  assert.deepEqual(call.type === 'function' && JSON.parse(call.function.arguments), { city: 'Paris' });
  assert.match(call.id, /^call_/);
  const lp = choice.logprobs!.content!;
  assert.equal(lp.length, r.usage!.completion_tokens - 1, 'one entry per generated token, the end-of-turn token excluded');
  for (const t of lp) {
    assert.ok(t.logprob <= 0);
    assert.equal(t.top_logprobs.length, 3);
    assert.ok(t.top_logprobs[0]!.logprob >= t.logprob - 1e-9, 'greedy picks the most likely token');
  }
});

test('n, seed and stop work, and raw completions return legacy logprobs', async () => {
  const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
  const r = await client.chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'hello' }], n: 3, temperature: 1.2, seed: 5, max_tokens: 12, stop: ['city'] });
  assert.equal(r.choices.length, 3);
  const again = await client.chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: 'hello' }], n: 3, temperature: 1.2, seed: 5, max_tokens: 12, stop: ['city'] });
  assert.deepEqual(again.choices.map((c) => c.message.content), r.choices.map((c) => c.message.content));
  for (const c of r.choices) assert.ok(!(c.message.content ?? '').includes('city'));
  const completion = await client.completions.create({ model: 'tiny-test', prompt: ['<|im_start|>user\nweather?<|im_end|>\n<|im_start|>assistant\n'], max_tokens: 5, temperature: 0, logprobs: 2 });
  const lp = completion.choices[0]!.logprobs!;
  assert.equal(lp.tokens!.length, 5);
  assert.equal(lp.token_logprobs!.length, 5);
  assert.equal(Object.keys(lp.top_logprobs![0]!).length, 2);
  assert.equal(completion.choices[0]!.text, lp.tokens!.join(''));
});

test('bad bodies get 400 with an OpenAI error body naming the field', async () => {
  const post = (body: string): Promise<Response> => fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const cases: Array<[string, RegExp]> = [
    ['{not json', /not valid JSON/],
    ['{"messages": []}', /messages/],
    ['{"messages": [{"role": "wizard", "content": "x"}]}', /messages\[0\]\.role/],
    ['{"messages": [{"role": "user", "content": "x"}], "temperature": 7}', /temperature/],
    ['{"messages": [{"role": "user", "content": "x"}], "max_tokens": 100000}', /cap/],
    ['{"messages": [{"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": "[1]"}}]}]}', /arguments/],
    ['{"messages": [{"role": "user", "content": "x"}], "stream": true}', /stream/],
    ['{"messages": [{"role": "user", "content": "x"}], "tool_choice": {"type": "function", "function": {"name": "nope"}}}', /tool_choice/],
  ];
  for (const [body, pattern] of cases) {
    const res = await post(body);
    assert.equal(res.status, 400, body);
    const json = (await res.json()) as { error: { message: string; type: string } };
    assert.equal(json.error.type, 'invalid_request_error');
    assert.match(json.error.message, pattern, body);
  }
  const big = await post(JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(30_000) }] }));
  assert.equal(big.status, 413);
  const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
  await assert.rejects(client.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => e instanceof OpenAI.NotFoundError);
});

test('an API key is enforced when set', async () => {
  const wrong = new OpenAI({ baseURL: securedURL, apiKey: 'guess', maxRetries: 0 });
  await assert.rejects(wrong.models.list(), (e: unknown) => e instanceof OpenAI.AuthenticationError);
  const right = new OpenAI({ baseURL: securedURL, apiKey: 'sekret', maxRetries: 0 });
  assert.equal((await right.models.list()).data.length, 1);
});

test('64 concurrent requests all complete, decoded in shared batches', async () => {
  const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
  const results = await Promise.all(
    Array.from({ length: 64 }, (_, i) => client.chat.completions.create({ model: 'tiny-test', messages: [{ role: 'user', content: `question ${i}` }], tools: [weatherTool], temperature: 0, max_tokens: 40 })),
  );
  assert.equal(results.length, 64);
  for (const r of results) assert.equal(r.choices[0]!.finish_reason, 'tool_calls');
});
