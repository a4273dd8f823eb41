/** The reward server on real ports on 127.0.0.1: each endpoint, each refusal, and garbage it must survive. */
import { seededRandom } from '../../src/core/random.ts';
import assert from 'node:assert/strict';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { dumpJson } from '../../src/core/json.ts';
import { createRewardServer } from '../../src/serve/reward-server.ts';

const call = (name: string, args: string): string => `<tool_call>\n{"name": "${name}", "arguments": ${args}}\n</tool_call>`;
const WEATHER_PARIS = call('get_weather', '{"city": "Paris", "unit": "celsius"}');

const servers: Server[] = [];
const logs: string[] = [];
let official: string;
let strict: string;
let secured: string;
let tiny: string;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  official = await listen(createRewardServer({ log: (line) => logs.push(line) }));
  strict = await listen(createRewardServer({ variant: 'strict' }));
  secured = await listen(createRewardServer({ apiKey: 'sekret' }));
  tiny = await listen(createRewardServer({ maxBodyBytes: 1024 }));
});
after(() => {
  for (const s of servers) {
    s.close();
    s.closeAllConnections();
  }
});

interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const r = await fetch(url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } });
  const text = await r.text();
  return { status: r.status, text, json: JSON.parse(text), headers: r.headers };
}

function errorMessage(a: Answer): string {
  return (a.json as { error: { message: string } }).error.message;
}

test('GET /health answers ok with the variant', async () => {
  assert.deepEqual(await (await fetch(`${official}/health`)).json(), { status: 'ok', variant: 'official' });
  assert.deepEqual(await (await fetch(`${strict}/health`)).json(), { status: 'ok', variant: 'strict' });
});

test('POST /reward scores real replies, in order, with format_ok and calls_ok', async () => {
  const a = await post(`${official}/reward`, [
    // same call, arguments in another order and 1 == 1.0: right
    { response: call('get_weather', '{"unit": "celsius", "city": "Paris"}'), ground_truth: WEATHER_PARIS, extra_info: { index: 0, split: 'train' } },
    // another city: wrong
    { response: call('get_weather', '{"city": "Rome", "unit": "celsius"}'), ground_truth: WEATHER_PARIS },
    // the call without its tags: malformed
    { response: '{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}', ground_truth: WEATHER_PARIS, extra_info: null },
    // a text label answered with text
    { response: 'Which city do you mean?', ground_truth: 'Which city?' },
    // a text label answered with a call
    { response: WEATHER_PARIS, ground_truth: 'Which city?' },
  ]);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, [
    { score: 1, format_ok: true, calls_ok: true, reason: 'match' },
    { score: 0, format_ok: true, calls_ok: false, reason: 'calls_differ' },
    { score: 0, format_ok: false, calls_ok: false, reason: 'missing_tags' },
    { score: 1, format_ok: true, calls_ok: true, reason: 'text_match' },
    { score: 0, format_ok: true, calls_ok: false, reason: 'text_expected_got_call' },
  ]);
  // Python readers turn scores into tensors; integers there cannot be averaged.
  assert.match(a.text, /^\[\{"score":1\.0,/);
  assert.deepEqual((await post(`${official}/reward`, [])).json, []);
});

test('the strict variant names a block that is not JSON', async () => {
  const a = await post(`${strict}/reward`, [
    { response: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"\n</tool_call>', ground_truth: WEATHER_PARIS },
    { response: WEATHER_PARIS, ground_truth: WEATHER_PARIS },
  ]);
  assert.deepEqual(a.json, [
    { score: 0, format_ok: false, calls_ok: false, reason: 'unparseable_block' },
    { score: 1, format_ok: true, calls_ok: true, reason: 'match' },
  ]);
});

// A Qwen-style prompt as OpenRLHF renders it with --apply_chat_template: the system part
// shows the call format, <tool_call> tags included, so a server that scored the whole
// query instead of the reply would see a call block that is not JSON.
const PROMPT =
  '<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
  '<tools>\n{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}\n</tools>\n\n' +
  'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n' +
  '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
  '<|im_start|>user\nWeather in Paris, in celsius?<|im_end|>\n<|im_start|>assistant\n';

/** The body as OpenRLHF's `remote_rm_fn_ray` posts it: Python's `json.dumps` of {query, prompts, labels}. */
function openRlhfBody(replies: string[], labels: string[], pad = ''): string {
  return dumpJson({ query: replies.map((r) => pad + PROMPT + r + '<|im_end|>'), prompts: replies.map(() => PROMPT), labels });
}

test('POST /get_reward answers an OpenRLHF request as OpenRLHF reads it', async () => {
  const body = openRlhfBody(
    [WEATHER_PARIS, call('get_weather', '{"city": "Rome", "unit": "celsius"}'), 'It is sunny.'],
    [WEATHER_PARIS, WEATHER_PARIS, WEATHER_PARIS],
  );
  const expected = { rewards: [1, 0, 0], scores: [1, 0, 0], extra_logs: { format_ok: [1, 1, 0], calls_ok: [1, 0, 0] } };
  for (const base of [official, strict]) {
    for (const path of ['/get_reward', '/']) {
      const a = await post(base + path, body);
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(a.json, expected, `${base === strict ? 'strict' : 'official'} ${path}`);
      assert.equal(a.text, '{"rewards":[1.0,0.0,0.0],"scores":[1.0,0.0,0.0],"extra_logs":{"format_ok":[1.0,1.0,0.0],"calls_ok":[1.0,0.0,0.0]}}');
    }
  }
  // releases that decoded padded batches put the padding in front of the prompt
  const padded = await post(`${strict}/get_reward`, openRlhfBody([WEATHER_PARIS], [WEATHER_PARIS], '<|endoftext|><|endoftext|>'));
  assert.deepEqual((padded.json as { rewards: number[] }).rewards, [1]);
});

test('400s name the item and the field', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['/reward', { response: 'x', ground_truth: 'y' }, /^body: expected a JSON array/],
    ['/reward', [{ response: 'a', ground_truth: 'b' }, 'oops'], /^body\[1\]: expected an object/],
    ['/reward', [0, 1, 2].map(() => ({ response: 'a', ground_truth: 'b' })).concat([{ response: 'a', ground_truth: 5 as unknown as string }]), /^body\[3\]\.ground_truth: expected a string, got a number$/],
    ['/reward', [{ ground_truth: 'b' }], /^body\[0\]\.response: expected a string, got nothing$/],
    ['/reward', [{ response: 'a', ground_truth: 'b', extra_info: 'split=train' }], /^body\[0\]\.extra_info: expected an object, got a string$/],
    ['/get_reward', [], /^body: expected an object \{"query"/],
    ['/get_reward', { query: ['p r'], prompts: ['p'] }, /^labels: expected an array of strings, got nothing \(start OpenRLHF with --label_key/],
    ['/get_reward', { query: ['p r'], prompts: ['p'], labels: [null] }, /^labels\[0\]: expected a string, got null \(start OpenRLHF with --label_key/],
    ['/get_reward', { query: ['p r', 'p s'], prompts: ['p'], labels: ['x', 'y'] }, /^prompts: has 1 items; query has 2$/],
    ['/get_reward', { query: ['p r', 7], prompts: ['p', 'p'], labels: ['x', 'y'] }, /^query\[1\]: expected a string, got a number$/],
    ['/get_reward', { query: ['p r', 'q s'], prompts: ['p', 'p'], labels: ['x', 'y'] }, /^query\[1\]: does not contain prompts\[1\]/],
  ];
  for (const [path, body, message] of cases) {
    const a = await post(official + path, body);
    assert.equal(a.status, 400, `${path} ${JSON.stringify(body)}`);
    assert.match(errorMessage(a), message);
  }
  const badJson = await post(`${official}/reward`, '[{"response": "a",');
  assert.equal(badJson.status, 400);
  assert.match(errorMessage(badJson), /not valid JSON/);
  const notUtf8 = await post(`${official}/reward`, Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]));
  assert.equal(notUtf8.status, 400);
  assert.match(errorMessage(notUtf8), /not valid UTF-8/);
  assert.ok(logs.some((l) => l.startsWith('400 POST /reward: body[3].ground_truth')), 'refusals are logged on the server side');
});

test('with an API key every route but /health needs it: Bearer, or Basic with the key as password', async () => {
  const item = [{ response: WEATHER_PARIS, ground_truth: WEATHER_PARIS }];
  assert.equal((await fetch(`${secured}/health`)).status, 200);
  const none = await post(`${secured}/reward`, item);
  assert.equal(none.status, 401);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  assert.equal((await post(`${secured}/reward`, item, { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await post(`${secured}/nowhere`, item)).status, 401, 'unknown routes do not leak past the key');
  assert.deepEqual((await post(`${secured}/reward`, item, { authorization: 'Bearer sekret' })).json, [{ score: 1, format_ok: true, calls_ok: true, reason: 'match' }]);
  // what Python requests sends for --remote_rm_url http://looptool:sekret@host/get_reward
  const basic = `Basic ${Buffer.from('looptool:sekret').toString('base64')}`;
  assert.equal((await post(`${secured}/get_reward`, openRlhfBody([WEATHER_PARIS], [WEATHER_PARIS]), { authorization: basic })).status, 200);
  assert.equal((await post(`${secured}/get_reward`, openRlhfBody([WEATHER_PARIS], [WEATHER_PARIS]), { authorization: `Basic ${Buffer.from('looptool:nope').toString('base64')}` })).status, 401);
});

test('unknown paths are 404, wrong methods 405 with Allow', async () => {
  const missing = await post(`${official}/v1/rewards`, []);
  assert.equal(missing.status, 404);
  assert.match(errorMessage(missing), /no route \/v1\/rewards/);
  const get = await fetch(`${official}/reward`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal((await post(`${official}/health`, {})).status, 405);
  assert.equal((await fetch(`${official}/get_reward`, { method: 'PUT', body: '{}' })).status, 405);
});

/** Streams a body without a content-length, so the limit must be enforced while reading. */
function postChunked(url: string, chunks: Buffer[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('a body over the limit is a 413, declared or streamed, and the server goes on', async () => {
  const big = JSON.stringify([{ response: 'x'.repeat(2000), ground_truth: 'y' }]);
  const declared = await post(`${tiny}/reward`, big);
  assert.equal(declared.status, 413);
  assert.match(errorMessage(declared), /exceeds 1024 bytes/);
  const streamed = await postChunked(`${tiny}/reward`, Array.from({ length: 8 }, () => Buffer.alloc(512, 0x20)));
  assert.equal(streamed.status, 413);
  assert.equal((await post(`${tiny}/reward`, [{ response: 'a', ground_truth: 'a' }])).status, 200);
});

/** Bodies a broken or hostile client might send, reproducible from the seed. */
function garbageBodies(n: number): { path: string; body: Buffer }[] {
  const r = seededRandom(7);
  const int = (k: number): number => Math.floor(r() * k);
  const paths = ['/reward', '/get_reward', '/'];
  const junk = (): unknown[] => [null, true, 1e308, -0, 'x', [], {}, [[]], { response: 1 }, 12345678901234567890];
  const makers: (() => Buffer)[] = [
    () => Buffer.from(Array.from({ length: int(200) }, () => int(256))),
    () => Buffer.from('['.repeat(int(100_000) + 1)),
    () => Buffer.from(`{"a":`.repeat(int(20_000) + 1)),
    () => Buffer.from(JSON.stringify(junk()[int(10)])),
    () => Buffer.from(JSON.stringify(Array.from({ length: int(5) + 1 }, () => ({ response: junk()[int(10)], ground_truth: junk()[int(10)] })))),
    () => Buffer.from(JSON.stringify({ query: junk()[int(10)], prompts: junk()[int(10)], labels: junk()[int(10)] })),
    () => Buffer.from(JSON.stringify({ query: ['abc'], prompts: ['zzz'], labels: ['x'] })),
    () => Buffer.from(`[{"response": "${'9'.repeat(400)}", "ground_truth": 1e99999}]`),
    () => Buffer.concat([Buffer.from('[{"response": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('", "ground_truth": "x"}]')]),
  ];
  return Array.from({ length: n }, () => ({ path: paths[int(paths.length)]!, body: makers[int(makers.length)]!() }));
}

test('300 garbage bodies get 200s or JSON 400s, never a 500 or a dead server', async () => {
  const bodies = garbageBodies(300);
  const statuses = new Map<number, number>();
  for (let i = 0; i < bodies.length; i += 8) {
    await Promise.all(
      bodies.slice(i, i + 8).map(async ({ path, body }, j) => {
        const a = await post(official + path, body);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        assert.ok(a.status === 200 || a.status === 400, `case ${i + j} (${path} ${body.subarray(0, 80).toString('latin1')}): ${a.status} ${a.text.slice(0, 200)}`);
        if (a.status === 400) assert.equal(typeof errorMessage(a), 'string');
      }),
    );
  }
  assert.ok((statuses.get(400) ?? 0) > 100 && (statuses.get(200) ?? 0) > 0, `a mix of answers: ${JSON.stringify([...statuses])}`);
  assert.deepEqual(await (await fetch(`${official}/health`)).json(), { status: 'ok', variant: 'official' });
});

test('a batch of 10,000 items is answered in one request, in order', async () => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    response: i % 4 === 3 ? 'Which city?' : call('get_weather', `{"city": "${i % 4 === 0 ? 'Paris' : 'Rome'}", "unit": "celsius"}`),
    ground_truth: WEATHER_PARIS,
  }));
  const body = JSON.stringify(items);
  const started = performance.now();
  const a = await post(`${official}/reward`, body);
  const ms = performance.now() - started;
  assert.equal(a.status, 200);
  const scores = (a.json as { score: number }[]).map((v) => v.score);
  assert.equal(scores.length, 10_000);
  assert.deepEqual(scores.slice(0, 4), [1, 0, 0, 0]);
  assert.equal(scores.reduce((x, y) => x + y, 0), 2500);
  console.log(`# 10,000 rewards in one request: ${ms.toFixed(0)} ms`);
});
