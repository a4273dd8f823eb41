/**
 * Malformed requests of every kind against a real reward server on 127.0.0.1: each gets a
 * JSON 4xx whose message names the problem (the field, the byte problem, the route, the
 * broken HTTP framing), no connection ends unanswered, and the server goes on scoring.
 */
import assert from 'node:assert/strict';
import { Agent, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createRewardServer } from '../../src/serve/reward-server.ts';
import { MALFORMED_CATEGORIES, malformedRequests, refusalProblem, sendMalformed, type MalformedCategory } from './malformed-requests.ts';

const LIMIT = 1024 * 1024;
const PER_CATEGORY = 200;

const STATUSES: Record<MalformedCategory, readonly number[]> = {
  invalid_json: [400],
  wrong_types: [400],
  huge_numbers: [400],
  deep_nesting: [400],
  bad_utf8: [400],
  oversized: [413],
  empty: [400],
  wrong_route: [404, 405],
  broken_http: [400, 431],
};

const logs: string[] = [];
let server: Server;
let origin: URL;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

before(async () => {
  server = createRewardServer({ maxBodyBytes: LIMIT, log: (line) => logs.push(line) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
after(() => {
  agent.destroy();
  server.close();
  server.closeAllConnections();
});

const call = (city: string): string => `<tool_call>\n{"name": "get_weather", "arguments": {"city": "${city}", "days": 3}}\n</tool_call>`;

test(`${PER_CATEGORY} seeded malformed requests of each kind get a JSON 4xx naming the problem`, async () => {
  const cases = malformedRequests(PER_CATEGORY * MALFORMED_CATEGORIES.length, 11, { limit: LIMIT, streamShare: 0.05 });
  const seen = new Map<MalformedCategory, Set<string>>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const a = await sendMalformed(origin, c, agent);
        const problem = refusalProblem(c, a);
        assert.equal(problem, undefined, `${c.category} (${c.what}): ${problem}`);
        assert.ok(STATUSES[c.category].includes(a.status), `${c.category} (${c.what}): status ${a.status}`);
        seen.set(c.category, (seen.get(c.category) ?? new Set()).add(c.what.replace(/\d+/g, 'N')));
      }
    }),
  );
  // the seed reaches the variety each kind has, not one case over and over
  for (const category of MALFORMED_CATEGORIES) assert.ok((seen.get(category)?.size ?? 0) >= 3, `${category}: ${[...(seen.get(category) ?? [])].join('; ')}`);
  assert.ok(seen.get('oversized')!.has('streamed past the limit'), 'some bodies really stream past the limit');
  // every refusal is logged as a refusal; none as a server failure
  assert.deepEqual(logs.filter((l) => l.startsWith('5')), []);
  assert.ok(logs.length >= cases.length, `${logs.length} log lines for ${cases.length} requests`);
});

test('afterwards the server answers /health and scores a valid batch correctly', async () => {
  assert.deepEqual(await (await fetch(new URL('/health', origin))).json(), { status: 'ok', variant: 'official' });
  const r = await fetch(new URL('/reward', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { response: call('Oslo'), ground_truth: call('Oslo') },
      { response: call('Lima'), ground_truth: call('Oslo') },
      { response: `<think>\nOslo it is.\n</think>\n${call('Oslo')}`, ground_truth: call('Oslo'), extra_info: { index: 2 } },
      { response: 'Which city?', ground_truth: call('Oslo') },
      { response: 'Which city?', ground_truth: 'Which city do you mean?' },
    ]),
  });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), [
    { score: 1, format_ok: true, calls_ok: true, reason: 'match' },
    { score: 0, format_ok: true, calls_ok: false, reason: 'calls_differ' },
    { score: 1, format_ok: true, calls_ok: true, reason: 'match' },
    { score: 0, format_ok: false, calls_ok: false, reason: 'missing_tags' },
    { score: 1, format_ok: true, calls_ok: true, reason: 'text_match' },
  ]);
});

test('a body the client stops sending halfway is a 400 naming that, not a 500', async () => {
  const [cut] = malformedRequests(MALFORMED_CATEGORIES.length * 40, 3, { limit: LIMIT }).filter((c) => c.what === 'body cut short, client stops sending');
  assert.ok(cut, 'the generator makes this case');
  const before = logs.length;
  const a = await sendMalformed(origin, cut, agent);
  assert.equal(a.status, 400);
  assert.match((JSON.parse(a.text) as { error: { message: string; code: string } }).error.message, /client closed its side before the request was complete/);
  await new Promise((r) => setTimeout(r, 50));
  const lines = logs.slice(before);
  assert.ok(lines.length > 0 && lines.every((l) => l.startsWith('400 ')), lines.join('\n'));
});

test('a broken request on a connection that already had an answer still gets a JSON 400', async () => {
  const socket = connect(Number(origin.port), origin.hostname);
  let received = '';
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.setEncoding('latin1');
  await new Promise<void>((resolve) => {
    socket.on('data', (d: string) => {
      received += d;
      if (received.endsWith('\r\n\r\n[]')) resolve();
    });
    socket.write('POST /reward HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]');
  });
  assert.match(received, /^HTTP\/1\.1 200 /);
  // the second request breaks in its headers, before node:http makes it a request object
  socket.write('POST /reward HTTP/1.1\r\nHost: x\r\nX\u0001Bad: 1\r\nContent-Length: 2\r\n\r\n[]');
  await closed;
  const second = received.slice(received.indexOf('[]') + 2);
  assert.match(second, /^HTTP\/1\.1 400 /);
  assert.match(second, /\r\n\r\n\{"error":\{"message":"the request is not valid HTTP: Invalid header token/);
});
