/** The user's own executor as the Tool: an HTTP endpoint on 127.0.0.1 and a JS module. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HttpExecutorTool, ModuleExecutorTool } from '../../src/synth/executor-tool.ts';
import type { ToolInput } from '../../src/synth/roles.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-exec-'));
let server: Server;
let url: string;
const received: unknown[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const call = JSON.parse(body) as { name: string; arguments: { city?: string } };
      received.push(call);
      if (call.arguments.city === 'Stall') {
        // headers, then a body that never ends
        res.writeHead(200, { 'content-type': 'application/json' }).write('{"city": ');
        return;
      }
      if (call.arguments.city === 'Atlantis') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'no such city' }));
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ city: call.arguments.city, temperature: 21 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/run`;
});
after(() => {
  server.close();
  server.closeAllConnections();
  rmSync(dir, { recursive: true, force: true });
});

const input = (calls: ToolInput['calls']): ToolInput => ({ tools: [], calls, messages: [], seed: 0 });

test('an HTTP executor gets each call as {name, arguments}; its answer is the result and an error status is an error result', async () => {
  const tool = new HttpExecutorTool(url);
  const r = await tool.run(input([{ name: 'get_weather', arguments: { city: 'Oslo' } }, { name: 'get_weather', arguments: { city: 'Atlantis' } }]));
  assert.deepEqual(received, [{ name: 'get_weather', arguments: { city: 'Oslo' } }, { name: 'get_weather', arguments: { city: 'Atlantis' } }]);
  assert.deepEqual(r, { ok: true, value: [{ name: 'get_weather', result: { city: 'Oslo', temperature: 21 } }, { name: 'get_weather', result: { error: 'HTTP 404: {"message":"no such city"}' } }] });
});

test('an executor that cannot be reached, or stalls mid-answer, is a role failure, tried again by the dialogue', async () => {
  const r = await new HttpExecutorTool('http://127.0.0.1:1/run', 2000).run(input([{ name: 'f', arguments: {} }]));
  assert.equal(r.ok, false);
  const stalled = await new HttpExecutorTool(url, 300).run(input([{ name: 'get_weather', arguments: { city: 'Stall' } }]));
  assert.equal(stalled.ok, false);
  assert.match(!stalled.ok ? stalled.error : '', /^http:\/\/127\.0\.0\.1:\d+\/run: /);
});

test('a module executor: execute(), a default function or one function per tool; what it throws is the error result', async () => {
  const single = join(dir, 'single.mjs');
  writeFileSync(single, 'export async function execute(call) { if (call.arguments.n < 0) throw new Error("negative"); return { square: call.arguments.n ** 2, tool: call.name }; }\n');
  const r = await new ModuleExecutorTool(single).run(input([{ name: 'square', arguments: { n: 3 } }, { name: 'square', arguments: { n: -1 } }]));
  assert.deepEqual(r, { ok: true, value: [{ name: 'square', result: { square: 9, tool: 'square' } }, { name: 'square', result: { error: 'negative' } }] });
  const table = join(dir, 'table.mjs');
  writeFileSync(table, 'export function add({ a, b }) { return a + b; }\n');
  const t = await new ModuleExecutorTool(table).run(input([{ name: 'add', arguments: { a: 2, b: 5 } }, { name: 'mul', arguments: {} }]));
  assert.deepEqual(t, { ok: true, value: [{ name: 'add', result: 7 }, { name: 'mul', result: { error: 'Unknown tool: mul' } }] });
  const missing = await new ModuleExecutorTool(join(dir, 'nope.mjs')).run(input([{ name: 'x', arguments: {} }]));
  assert.equal(missing.ok, false);
});
