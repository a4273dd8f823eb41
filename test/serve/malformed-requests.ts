/**
 * Requests a broken or hostile client might send the reward server, from a seed, each with
 * the words its refusal must contain; and a client that sends them and reads the answer
 * however the server ends the exchange. Shared by the malformed-body test and
 * `npm run bench -- reward-server`.
 */
import { request, type Agent } from 'node:http';
import { connect } from 'node:net';
import { Rng } from '../../src/core/random.ts';

export const MALFORMED_CATEGORIES = [
  'invalid_json',
  'wrong_types',
  'huge_numbers',
  'deep_nesting',
  'bad_utf8',
  'oversized',
  'empty',
  'wrong_route',
  'broken_http',
] as const;
export type MalformedCategory = (typeof MALFORMED_CATEGORIES)[number];

interface Common {
  category: MalformedCategory;
  /** What the request is, to name a failing case. */
  what: string;
  /** The refusal's `error.message` must match this: it names the problem. */
  expect: RegExp;
}

/** Sent through node:http: a body in one piece, or `times` copies of `chunk` streamed without a length. */
export interface HttpCase extends Common {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | { chunk: Buffer; times: number };
}

/** Bytes node:http's client would not send (broken framing), written on a fresh socket. */
export interface RawCase extends Common {
  raw: Buffer;
  /** Close the sending side after writing, as a client that gives up mid-body does. */
  halfClose: boolean;
}

export type MalformedRequest = HttpCase | RawCase;

const WRONG_FIELD = /^(body|query|prompts|labels)(\[\d+\])?(\.(response|ground_truth|extra_info))?: (expected|has \d+ items|does not contain)/;
const NOT_JSON = /^request body is not valid JSON/;
const NOT_UTF8 = /^request body is not valid UTF-8/;

/** A value of every JSON kind but a string, to put where a string belongs. */
function notAString(rng: Rng): string {
  return rng.pick(['null', 'true', '0', '-1.5', '1e308', '[]', '{}', '["x"]', '{"text": "x"}', '12345678901234567890']);
}

const REPLY = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>';

/** A correct `/reward` item as JSON text. */
function goodItem(rng: Rng): string {
  return JSON.stringify({ response: rng.chance(0.5) ? REPLY : 'Which city?', ground_truth: REPLY, extra_info: { index: rng.int(0, 999) } });
}

/** A `/reward` batch of good items with `bad` (JSON text of one item) somewhere among them. */
function batchWith(bad: string, rng: Rng): string {
  const items = Array.from({ length: rng.int(0, 6) }, () => goodItem(rng));
  items.splice(rng.int(0, items.length), 0, bad);
  return `[${items.join(', ')}]`;
}

function post(category: MalformedCategory, what: string, expect: RegExp, body: Buffer | string, path = '/reward', headers: Record<string, string> = {}): HttpCase {
  return { category, what, expect, method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? Buffer.from(body) : body };
}

function invalidJson(rng: Rng): HttpCase {
  const good = batchWith(goodItem(rng), rng);
  const choices: [string, string][] = [
    ['cut short', good.slice(0, rng.int(1, good.length - 1))],
    ['trailing garbage', `${good}${rng.pick(['x', ',', ']', '}', '[]', ' 1'])}`],
    ['Python repr', good.replaceAll('"', "'").replaceAll('null', 'None')],
    ['trailing comma', good.replace(/\]$/, ',]')],
    ['JavaScript words', rng.pick(['[undefined]', '[NaN]', '{response: "a"}', '[{"response": "a" "ground_truth": "b"}]', '[Infinity]'])],
    ['random ASCII', Array.from({ length: rng.int(1, 300) }, () => String.fromCharCode(rng.int(33, 126))).join('').replace(/^[[{"\d-]/, '?')],
    ['control character in a string', `[{"response": "a\u0001b", "ground_truth": "x"}]`],
  ];
  const [what, body] = rng.pick(choices);
  return post('invalid_json', what, NOT_JSON, body, rng.pick(['/reward', '/get_reward', '/']));
}

function wrongTypes(rng: Rng): HttpCase {
  const v = notAString(rng);
  const rewardCases: [string, string][] = [
    ['not an array', rng.pick(['{}', '"items"', '42', 'null', 'true', `{"response": "a", "ground_truth": "b"}`])],
    ['item not an object', batchWith(rng.pick(['"a"', '1', 'null', '[]', '[{"response": "a"}]']), rng)],
    ['response not a string', batchWith(`{"response": ${v}, "ground_truth": "x"}`, rng)],
    ['ground_truth not a string', batchWith(`{"response": "x", "ground_truth": ${v}}`, rng)],
    ['missing field', batchWith(rng.pick(['{"response": "x"}', '{"ground_truth": "x"}', '{}', '{"Response": "x", "Ground_Truth": "y"}']), rng)],
    ['extra_info not an object', batchWith(`{"response": "x", "ground_truth": "y", "extra_info": ${rng.pick(['"split=train"', '7', 'true', '[1, 2]'])}}`, rng)],
    ['fields behind __proto__', batchWith('{"__proto__": {"response": "x", "ground_truth": "y"}}', rng)],
  ];
  const openRlhfCases: [string, string][] = [
    ['OpenRLHF body not an object', rng.pick(['[]', '"q"', '0', 'null'])],
    ['OpenRLHF query not strings', `{"query": ${rng.pick(['"p r"', '[1]', '[null]', '{}'])}, "prompts": ["p"], "labels": ["x"]}`],
    ['OpenRLHF prompts missing', '{"query": ["p r"], "labels": ["x"]}'],
    ['OpenRLHF labels not strings', `{"query": ["p r"], "prompts": ["p"], "labels": [${v === 'null' ? '1' : v}]}`],
    ['OpenRLHF no labels', '{"query": ["p r"], "prompts": ["p"]}'],
    ['OpenRLHF lengths differ', '{"query": ["p r", "p s"], "prompts": ["p"], "labels": ["x", "y"]}'],
    ['OpenRLHF prompt not in query', '{"query": ["abc"], "prompts": ["zzz"], "labels": ["x"]}'],
  ];
  if (rng.chance(0.6)) {
    const [what, body] = rng.pick(rewardCases);
    return post('wrong_types', what, WRONG_FIELD, body);
  }
  const [what, body] = rng.pick(openRlhfCases);
  return post('wrong_types', what, /^(body|query|prompts|labels)(\[\d+\])?: /, body, rng.pick(['/get_reward', '/']));
}

function hugeNumbers(rng: Rng): HttpCase {
  const huge = rng.pick(['1e99999', '-1e99999', '1e-99999', '9'.repeat(rng.int(20, 5000)), `-${'7'.repeat(400)}.5e308`, '123456789012345678901234567890']);
  const choices: [string, string, string][] = [
    ['huge number as the body', huge, '/reward'],
    ['huge number as an item', batchWith(huge, rng), '/reward'],
    ['huge number as a response', batchWith(`{"response": ${huge}, "ground_truth": "x"}`, rng), '/reward'],
    ['huge number as a label', batchWith(`{"response": "x", "ground_truth": ${huge}}`, rng), '/reward'],
    ['huge number as OpenRLHF labels', `{"query": ["p r"], "prompts": ["p"], "labels": [${huge}]}`, '/get_reward'],
    ['huge number as a batch length', `{"0": {"response": "x", "ground_truth": "y"}, "length": ${huge}}`, '/reward'],
  ];
  const [what, body, path] = rng.pick(choices);
  return post('huge_numbers', what, WRONG_FIELD, body, path);
}

function deepNesting(rng: Rng, limit: number): HttpCase {
  // as deep as the body limit allows (an object level takes 6 bytes), up to 100,000 levels
  const depth = rng.int(1_000, Math.max(1_000, Math.min(100_000, Math.floor(limit / 8))));
  const arrays = '['.repeat(depth) + ']'.repeat(depth);
  const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const choices: [string, string, RegExp][] = [
    ['deep arrays as the body', arrays, WRONG_FIELD],
    ['deep objects as the body', objects, WRONG_FIELD],
    ['deep arrays as a response', batchWith(`{"response": ${arrays}, "ground_truth": "x"}`, rng), WRONG_FIELD],
    ['deep objects as a label', batchWith(`{"response": "x", "ground_truth": ${objects}}`, rng), WRONG_FIELD],
    ['deep arrays never closed', '['.repeat(depth), NOT_JSON],
    ['deep objects never closed', '{"a":'.repeat(depth), NOT_JSON],
  ];
  const [what, body, expect] = rng.pick(choices);
  return post('deep_nesting', `${what} (depth ${depth})`, expect, body, rng.pick(['/reward', '/get_reward']));
}

function badUtf8(rng: Rng): HttpCase {
  const [what, bytes] = rng.pick<[string, number[]]>([
    ['lone continuation byte', [0x80]],
    ['0xff byte', [0xff, 0xfe]],
    ['overlong slash', [0xc0, 0xaf]],
    ['UTF-16 surrogate in UTF-8', [0xed, 0xa0, 0x80]],
    ['code point beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['three-byte character cut short', [0xe2, 0x82]],
  ]);
  const bad = Buffer.from(bytes);
  const good = Buffer.from(batchWith(goodItem(rng), rng));
  if (rng.chance(0.3)) {
    // a body cut in the middle of a multi-byte character, as a client that splits on bytes sends it
    return post('bad_utf8', 'body ending inside a character', NOT_UTF8, Buffer.concat([Buffer.from('[{"response": "Zürich, caf'), Buffer.from([0xc3])]));
  }
  const at = good.indexOf('"response": "') + '"response": "'.length;
  return post('bad_utf8', what, NOT_UTF8, Buffer.concat([good.subarray(0, at), bad, good.subarray(at)]), rng.pick(['/reward', '/get_reward']));
}

function oversized(rng: Rng, limit: number, streamShare: number): HttpCase {
  const exceeds = new RegExp(`^request body exceeds ${limit} bytes`);
  if (rng.chance(streamShare)) {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    return { category: 'oversized', what: 'streamed past the limit', expect: exceeds, method: 'POST', path: '/reward', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: { chunk, times: Math.ceil((limit + 1) / chunk.length) + 1 } };
  }
  const [size, declared] = rng.pick<[string, number]>([
    ['a byte over the limit', limit + 1],
    ['twice the limit', limit * 2],
    ['a terabyte', 2 ** 40],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ]);
  return post('oversized', `Content-Length of ${size}, few bytes sent`, exceeds, '[]', rng.pick(['/reward', '/get_reward']), { 'content-length': String(declared), connection: 'close' });
}

function empty(rng: Rng): HttpCase {
  const [what, body] = rng.pick<[string, string]>([
    ['no bytes', ''],
    ['whitespace', ' \n\t\r '],
    ['newline', '\n'],
  ]);
  const headers: Record<string, string> = rng.chance(0.3) ? { 'transfer-encoding': 'chunked' } : {};
  return post('empty', what, /^request body is empty/, body, rng.pick(['/reward', '/get_reward', '/']), headers);
}

function wrongRoute(rng: Rng): HttpCase {
  const choices: [string, string, RegExp][] = [
    ['GET', '/reward', /^\/reward takes POST, not GET/],
    ['PUT', '/reward', /^\/reward takes POST, not PUT/],
    ['DELETE', '/get_reward', /^\/get_reward takes POST, not DELETE/],
    ['PATCH', '/', /^\/ takes POST, not PATCH/],
    ['OPTIONS', '/reward', /^\/reward takes POST, not OPTIONS/],
    ['POST', '/health', /^\/health takes GET, not POST/],
    ['POST', '/rewards', /^no route \/rewards/],
    ['POST', '/reward/', /^no route \/reward\//],
    ['POST', '/REWARD', /^no route \/REWARD/],
    ['POST', '//reward', /^no route \/\/reward/],
    ['POST', '/v1/../reward', /^no route \/v1\/\.\.\/reward/],
    ['GET', `/${'x'.repeat(rng.int(100, 4000))}`, /^no route \/x+/],
    ['POST', '/reward%00', /^no route \/reward%00/],
  ];
  const [method, path, expect] = rng.pick(choices);
  const body = method === 'GET' ? Buffer.alloc(0) : Buffer.from(batchWith(goodItem(rng), rng));
  return { category: 'wrong_route', what: `${method} ${path.slice(0, 40)}`, expect, method, path, headers: { 'content-type': 'application/json' }, body };
}

function brokenHttp(rng: Rng): RawCase {
  const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;
  const body = batchWith(goodItem(rng), rng);
  const cut = body.slice(0, rng.int(1, body.length - 1));
  const choices: [string, string, boolean, RegExp][] = [
    ['chunk size not hex', head(['POST /reward HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked']) + `zz\r\n${body}\r\n0\r\n\r\n`, false, /not valid HTTP: .*chunk size/],
    ['Content-Length and Transfer-Encoding', head(['POST /reward HTTP/1.1', 'Host: x', `Content-Length: ${body.length}`, 'Transfer-Encoding: chunked']) + `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, false, /not valid HTTP: .*Content-Length/],
    ['Content-Length not a number', head(['POST /reward HTTP/1.1', 'Host: x', `Content-Length: ${rng.pick(['abc', '-1', '1.5', '0x10'])}`]) + body, false, /not valid HTTP: .*Content-Length/],
    ['Content-Length beyond any integer', head(['POST /reward HTTP/1.1', 'Host: x', `Content-Length: ${'9'.repeat(30)}`]) + body, false, /not valid HTTP: Content-Length overflow/],
    ['two different Content-Lengths', head(['POST /reward HTTP/1.1', 'Host: x', 'Content-Length: 2', `Content-Length: ${body.length}`]) + body, false, /not valid HTTP/],
    ['control character in a header name', head(['POST /reward HTTP/1.1', 'Host: x', 'X\u0001Bad: 1', `Content-Length: ${body.length}`]) + body, false, /not valid HTTP: .*header token/],
    ['unknown method', head(['FROB /reward HTTP/1.1', 'Host: x', `Content-Length: ${body.length}`]) + body, false, /not valid HTTP: .*method/],
    ['body cut short, client stops sending', head(['POST /reward HTTP/1.1', 'Host: x', `Content-Length: ${body.length}`]) + cut, true, /not valid HTTP: the client closed its side before the request was complete/],
    ['chunked body cut short, client stops sending', head(['POST /reward HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked']) + `${body.length.toString(16)}\r\n${cut}`, true, /not valid HTTP: the client closed its side before the request was complete/],
    ['headers too large', head(['POST /reward HTTP/1.1', 'Host: x', `X-Padding: ${'p'.repeat(20_000)}`, 'Content-Length: 2']) + '[]', false, /not valid HTTP: .*(overflow|large)/i],
  ];
  const [what, text, halfClose, expect] = rng.pick(choices);
  return { category: 'broken_http', what, expect, raw: Buffer.from(text, 'latin1'), halfClose };
}

export interface MalformedOptions {
  /** The server's body limit in bytes, for requests that exceed it. */
  limit: number;
  /** Share of oversized requests that really stream past the limit rather than only declaring it (default 0.05). */
  streamShare?: number;
}

/** `n` requests, categories in turn, each drawn from its own stream of the seed. */
export function malformedRequests(n: number, seed: number, options: MalformedOptions): MalformedRequest[] {
  const rng = new Rng(seed);
  const streams = new Map(MALFORMED_CATEGORIES.map((c) => [c, rng.fork(c)]));
  const make: Record<MalformedCategory, (r: Rng) => MalformedRequest> = {
    invalid_json: invalidJson,
    wrong_types: wrongTypes,
    huge_numbers: hugeNumbers,
    deep_nesting: (r) => deepNesting(r, options.limit),
    bad_utf8: badUtf8,
    oversized: (r) => oversized(r, options.limit, options.streamShare ?? 0.05),
    empty,
    wrong_route: wrongRoute,
    broken_http: brokenHttp,
  };
  return Array.from({ length: n }, (_, i) => {
    const category = MALFORMED_CATEGORIES[i % MALFORMED_CATEGORIES.length]!;
    return make[category](streams.get(category)!);
  });
}

export interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

/** Sends one case; rejects only when the connection ends without an answer. */
export function sendMalformed(origin: URL, c: MalformedRequest, agent: Agent): Promise<Answer> {
  return 'raw' in c ? sendRaw(origin, c) : sendHttp(origin, c, agent);
}

function sendHttp(origin: URL, c: HttpCase, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: origin.hostname, port: origin.port, method: c.method, path: c.path, headers: c.headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // A server that answers before the upload is done closes the connection under it; that is only a failure without an answer.
    req.on('error', (e) => {
      if (!answered) reject(new Error(`${c.what}: connection ended without an answer (${e.message})`));
    });
    if (Buffer.isBuffer(c.body)) {
      // node:http sends no length for a DELETE or OPTIONS body unless told, and the server would read the body as the next request
      if (req.getHeader('content-length') === undefined && req.getHeader('transfer-encoding') === undefined) req.setHeader('content-length', c.body.length);
      req.end(c.body);
      return;
    }
    const { chunk, times } = c.body;
    let sent = 0;
    const pump = (): void => {
      while (sent < times && !answered && !req.destroyed) {
        sent++;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

function sendRaw(origin: URL, c: RawCase): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(origin.port), origin.hostname, () => {
      socket.write(c.raw);
      if (c.halfClose) socket.end();
    });
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {}); // a reset after the answer is fine; no answer is judged on close
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => {
      const bytes = Buffer.concat(chunks);
      const split = bytes.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(bytes.toString('latin1', 0, 16));
      if (split === -1 || !status) {
        reject(new Error(`${c.what}: connection ended without an answer (${bytes.length} bytes: ${JSON.stringify(bytes.toString('latin1', 0, 80))})`));
        return;
      }
      const head = bytes.toString('latin1', 0, split);
      resolve({ status: Number(status[1]), contentType: /\r\ncontent-type: *([^\r]*)/i.exec(head)?.[1], text: bytes.toString('utf8', split + 4) });
    });
  });
}

/** Why an answer is not the refusal the case wants, or undefined when it is. */
export function refusalProblem(c: MalformedRequest, a: Answer): string | undefined {
  if (a.status < 400 || a.status > 499) return `status ${a.status}, not 4xx: ${a.text.slice(0, 200)}`;
  if (!a.contentType?.startsWith('application/json')) return `content-type ${a.contentType ?? 'missing'}, not JSON`;
  let message: unknown;
  try {
    message = (JSON.parse(a.text) as { error?: { message?: unknown } }).error?.message;
  } catch {
    return `body is not JSON: ${a.text.slice(0, 200)}`;
  }
  if (typeof message !== 'string') return `no error.message in ${a.text.slice(0, 200)}`;
  if (!c.expect.test(message)) return `message ${JSON.stringify(message.slice(0, 200))} does not match ${c.expect}`;
  return undefined;
}
