// Fault test: a proxy in front of `looptool serve` drops connections, answers 500, stalls
// past the timeout or sends malformed JSON for a share of requests; the probe stage still
// ends with every sample accounted for — answered, or recorded as failed with the reason.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Rng } from '../../src/core/random.ts';
import { SampleSchema, type Sample } from '../../src/core/types.ts';
import { probeGreedy, type ProbeRecord } from '../../src/loop/probe.ts';
import { OpenAIChatModel } from '../../src/models/openai-chat-model.ts';
import { JsonlStream } from '../../src/store/jsonl-stream.ts';
import { serveWorld, type ServedWorld } from './fixtures/served-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-faults-'));
let served: ServedWorld;
const proxies: Server[] = [];
let samples: Sample[] = [];
after(() => {
  served?.stop();
  proxies.forEach((p) => p.close());
  rmSync(work, { recursive: true, force: true });
});

before(async () => {
  served = await serveWorld(work, 40);
  samples = readFileSync(served.seedPath, 'utf8').trim().split('\n').slice(0, 24).map((l) => SampleSchema.parse(JSON.parse(l)));
});

type Fault = 'drop' | 'error' | 'stall' | 'malformed';

/** A proxy that injects `fault` into a share `rate` of requests, drawn from a seeded generator. */
async function faultyProxy(target: string, rate: number, faults: readonly Fault[], seed: number): Promise<{ url: string; counts: Record<string, number> }> {
  const rng = new Rng(seed);
  const upstream = new URL(target);
  const counts: Record<string, number> = {};
  const server = createServer((req, res) => {
    const fault = rng.chance(rate) ? rng.pick(faults) : 'pass';
    counts[fault] = (counts[fault] ?? 0) + 1;
    if (fault === 'drop') return void req.socket.destroy();
    if (fault === 'stall') return; // never answers: the client's timeout must fire
    if (fault === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end('{"error": {"message": "injected failure"}}');
    }
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"choices": [{"message": ');
    }
    const fwd = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  proxies.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, counts };
}

function probeThrough(url: string, name: string, maxRetries: number): Promise<{ records: ProbeRecord[]; model: OpenAIChatModel }> {
  const model = new OpenAIChatModel({ baseUrls: [url], model: 'micro', concurrency: 4, timeoutMs: 3000, maxRetries, backoffMs: 20, maxBackoffMs: 100 });
  const { stream } = JsonlStream.open(join(work, `${name}.jsonl`));
  return probeGreedy(samples, model, stream, { batchSize: 6, maxTokens: 16 }).then(() => {
    stream.close();
    return { records: JsonlStream.open(join(work, `${name}.jsonl`)).records as ProbeRecord[], model };
  });
}

test('with a third of requests failing in every way, every sample is answered after retries', async () => {
  const proxy = await faultyProxy(served.url, 0.33, ['drop', 'error', 'stall', 'malformed'], 7);
  const { records, model } = await probeThrough(proxy.url, 'faulty', 6);
  assert.deepEqual(records.map((r) => r.id).sort(), samples.map((s) => s.id).sort(), 'every sample once');
  for (const r of records) assert.ok(r.status === 'done' || (r.status === 'failed' && typeof r.error === 'string' && r.error.length > 0), JSON.stringify(r));
  assert.ok(records.filter((r) => r.status === 'done').length >= samples.length - 1);
  for (const f of ['drop', 'error', 'stall', 'malformed']) assert.ok((proxy.counts[f] ?? 0) > 0, `fault ${f} was injected`);
  assert.ok(model.usage.retries >= Object.entries(proxy.counts).filter(([k]) => k !== 'pass').reduce((s, [, v]) => s + v, 0) - 1);
});

test('when every request fails, every sample is recorded as failed with the reason', async () => {
  const proxy = await faultyProxy(served.url, 1, ['drop', 'error', 'malformed'], 3);
  const { records } = await probeThrough(proxy.url, 'down', 1);
  assert.equal(records.length, samples.length);
  assert.ok(records.every((r) => r.status === 'failed' && /connection|HTTP 500|bad response|Connection error/i.test(r.error ?? '')), JSON.stringify(records.slice(0, 3)));
});
