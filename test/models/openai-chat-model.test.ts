import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelError, type ChatRequest } from '../../src/models/chat-model.ts';
import { OpenAIChatModel, chatMessages } from '../../src/models/openai-chat-model.ts';
import { DiskResponseCache } from '../../src/models/response-cache.ts';

type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;
const servers: ReturnType<typeof createServer>[] = [];
after(() => servers.forEach((s) => s.close()));
const work = mkdtempSync(join(tmpdir(), 'looptool-provider-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (d) => (data += d));
    req.on('end', () => handler(JSON.parse(data || '{}'), req, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const reply = (res: ServerResponse, message: Record<string, unknown>, extra: Record<string, unknown> = {}): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', ...extra }], usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 } }));
};

const request: ChatRequest = {
  tools: [{ name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
  messages: [
    { role: 'user', content: 'Weather in Oslo, then Rome?' },
    { role: 'assistant', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
    { role: 'tool', content: '{"temp": 3}' },
    { role: 'user', content: 'And Rome?' },
  ],
};
const fast = { sleep: async () => {}, random: () => 0.5 };

test('chat mode sends tools and linked tool results, and reads tool_calls back', async () => {
  let seen: Record<string, unknown> = {};
  const url = await serve((body, _req, res) => {
    seen = body;
    reply(res, { content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Rome"}' } }] }, { finish_reason: 'tool_calls' });
  });
  const model = new OpenAIChatModel({ baseUrls: [url], model: 'm', mode: 'chat', ...fast });
  const [r] = await model.generate([request]);
  assert.deepEqual(r!.choices[0]!.toolCalls, { ok: true, calls: [{ name: 'get_weather', arguments: { city: 'Rome' } }], content: '' });
  assert.equal(r!.choices[0]!.text, '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"}}\n</tool_call>');
  assert.equal(r!.choices[0]!.finishReason, 'tool_calls');
  assert.equal(r!.promptTokens, 11);
  const msgs = seen['messages'] as Record<string, unknown>[];
  assert.equal((msgs[1]!['tool_calls'] as { id: string }[])[0]!.id, msgs[2]!['tool_call_id']);
  assert.equal((seen['tools'] as unknown[]).length, 1);
  assert.equal(seen['temperature'], 0);
});

test('hermes mode renders the LoopTool system prompt and parses <tool_call> text; bad arguments are a typed failure', async () => {
  let seen: Record<string, unknown> = {};
  const url = await serve((body, _req, res) => {
    seen = body;
    reply(res, { content: '<think>\nok\n</think>\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"},}\n</tool_call>' }, { logprobs: { content: [{ token: 'a', logprob: -0.5 }, { token: 'b', logprob: -1.5 }] } });
  });
  const model = new OpenAIChatModel({ baseUrls: [url], model: 'm', mode: 'hermes', extraBody: { top_k: 20, chat_template_kwargs: { enable_thinking: false } }, ...fast });
  const [r] = await model.generate([request], { logprobs: true, temperature: 0.7, n: 1 });
  assert.ok(r!.choices[0]!.toolCalls.ok);
  assert.deepEqual(r!.choices[0]!.tokenLogprobs, [-0.5, -1.5]);
  const msgs = seen['messages'] as { role: string; content: string }[];
  assert.equal(msgs[0]!.role, 'system');
  assert.match(msgs[0]!.content, /<tools>\n\{"name": "get_weather"/);
  assert.equal(msgs[2]!.content, '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>');
  assert.equal(msgs[3]!.content, '<tool_response>\n{"temp": 3}\n</tool_response>');
  assert.equal(seen['tools'], undefined);
  assert.equal(seen['top_k'], 20);
  assert.deepEqual(seen['chat_template_kwargs'], { enable_thinking: false });

  const bad = await serve((_b, _q, res) => reply(res, { content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a": ' } }] }));
  const [b] = await new OpenAIChatModel({ baseUrls: [bad], model: 'm', mode: 'chat', ...fast }).generate([request]);
  assert.equal(b!.choices[0]!.toolCalls.ok, false);
});

test('429 and 5xx are retried, 400 is not; a dead endpoint fails over to the next', async () => {
  let calls = 0;
  const flaky = await serve((_b, _q, res) => {
    calls++;
    if (calls <= 2) {
      res.writeHead(calls === 1 ? 429 : 503, { 'content-type': 'application/json' });
      res.end('{"error": {"message": "busy"}}');
    } else reply(res, { content: 'hi' });
  });
  const model = new OpenAIChatModel({ baseUrls: [flaky], model: 'm', ...fast });
  const [r] = await model.generate([request]);
  assert.equal(r!.choices[0]!.text, 'hi');
  assert.equal(model.usage.retries, 2);

  let badCalls = 0;
  const bad = await serve((_b, _q, res) => {
    badCalls++;
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"error": {"message": "bad field"}}');
  });
  const strict = new OpenAIChatModel({ baseUrls: [bad], model: 'm', ...fast });
  await assert.rejects(strict.generate([request]), (e: unknown) => e instanceof ModelError && !e.retryable && e.status === 400);
  assert.equal(badCalls, 1);

  const dead = 'http://127.0.0.1:9/v1';
  const ok = await serve((_b, _q, res) => reply(res, { content: 'from the live one' }));
  const failover = new OpenAIChatModel({ baseUrls: [dead, ok], model: 'm', ...fast });
  const rs = await failover.generate([request, request, request]);
  assert.ok(rs.every((x) => x.choices[0]!.text === 'from the live one'));
});

test('stalls past the timeout and malformed bodies are retried until the retries run out', async () => {
  let n = 0;
  const odd = await serve((_b, _q, res) => {
    n++;
    if (n === 1) return; // never answers
    if (n === 2) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices": [');
      return;
    }
    reply(res, { content: 'finally' });
  });
  const model = new OpenAIChatModel({ baseUrls: [odd], model: 'm', timeoutMs: 300, ...fast });
  const [r] = await model.generate([request]);
  assert.equal(r!.choices[0]!.text, 'finally');
  assert.equal(model.usage.retries, 2);
  const broken = await serve((_b, _q, res) => {
    res.writeHead(500);
    res.end('oops');
  });
  const giveUp = new OpenAIChatModel({ baseUrls: [broken], model: 'm', maxRetries: 2, ...fast });
  await assert.rejects(giveUp.generate([request]), (e: unknown) => e instanceof ModelError && e.retryable);
  assert.equal(giveUp.usage.failures, 1);
  assert.equal(giveUp.usage.requests, 3);
});

test('concurrency is bounded and the disk cache answers a repeated request', async () => {
  let inFlight = 0;
  let peak = 0;
  let hits = 0;
  const url = await serve((body, _q, res) => {
    hits++;
    inFlight++;
    peak = Math.max(peak, inFlight);
    setTimeout(() => {
      inFlight--;
      reply(res, { content: `echo ${(body['messages'] as { content: string }[]).at(-1)!.content}` });
    }, 20);
  });
  const cache = new DiskResponseCache(join(work, 'cache'));
  const model = new OpenAIChatModel({ baseUrls: [url], model: 'm', concurrency: 3, cache, ...fast });
  const many = Array.from({ length: 12 }, (_, i): ChatRequest => ({ tools: [], messages: [{ role: 'user', content: `q${i}` }] }));
  const rs = await model.generate(many);
  assert.deepEqual(rs.map((r) => r.choices[0]!.text), many.map((_, i) => `echo q${i}`));
  assert.equal(peak, 3);
  const again = new OpenAIChatModel({ baseUrls: [url], model: 'm', cache: new DiskResponseCache(join(work, 'cache')), ...fast });
  const rs2 = await again.generate(many.slice(0, 5));
  assert.equal(hits, 12, 'the rerun never reached the server');
  assert.equal(again.usage.cacheHits, 5);
  assert.equal(rs2[4]!.choices[0]!.text, 'echo q4');
});

test('chatMessages links several results to their calls in order', () => {
  const msgs = chatMessages([
    { role: 'user', content: 'x' },
    { role: 'assistant', toolCalls: [{ name: 'a', arguments: {} }, { name: 'b', arguments: {} }] },
    { role: 'tool', content: '1' },
    { role: 'tool', content: '2' },
  ]);
  assert.deepEqual(msgs.slice(2).map((m) => m['tool_call_id']), ['call_0', 'call_1']);
});
