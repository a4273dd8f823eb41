import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.ts';
import type { Sample } from '../../src/core/types.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';
import { generateSplit } from '../../src/world/generate.ts';
import { irrelevanceTwin } from '../../src/world/irrelevance-twin.ts';
import { IRRELEVANT_REPLIES } from '../../src/world/phrasing.ts';

const spec = (name: string) => toolSpec(worldTool(name)!);

function oneCall(name: string, tools: string[]): Sample {
  return {
    id: 'base-000001',
    tools: tools.map(spec),
    messages: [{ role: 'user', content: 'Is 97 prime?' }],
    label: { kind: 'calls', calls: [{ name, arguments: { number: 97 } }] },
    provenance: { source: 'seed', round: 0, labelHistory: [] },
    meta: { kind: 'single', split: 'base', date: '2026-03-04', domains: ['maths'], phrasings: [`${name}#0`] },
  };
}

test("a one-call sample's twin keeps the request, drops the needed tool and refuses", () => {
  const sample = oneCall('isPrime', ['list_files', 'isPrime', 'get_weather']);
  const twin = irrelevanceTwin(sample, new Rng(1))!;
  assert.equal(twin.id, 'base-000001-twin');
  assert.deepEqual(twin.messages, sample.messages);
  assert.deepEqual(twin.tools.map((t) => t.name), ['list_files', 'get_weather']);
  assert.equal(twin.label.kind, 'text');
  assert.ok(twin.label.kind === 'text' && IRRELEVANT_REPLIES.includes(twin.label.text));
  assert.equal(twin.meta?.['kind'], 'irrelevance');
  assert.deepEqual(twin.meta?.['domains'], []);
  // the sample itself is left as it was
  assert.deepEqual(sample.tools.map((t) => t.name), ['list_files', 'isPrime', 'get_weather']);
});

test("the twin also drops the needed tool's look-alikes, and offers another domain's tool when nothing is left", () => {
  const withLookAlike = [...generateSplit('base', 400, 3)].find((s) => s.label.kind === 'calls' && s.label.calls.length === 1 && s.messages.length === 1 && worldTool(s.label.calls[0]!.name)?.lookAlike !== undefined && s.tools.some((t) => t.name === worldTool(s.label.kind === 'calls' ? s.label.calls[0]!.name : '')?.lookAlike))!;
  assert.ok(withLookAlike, 'the base split has a one-call sample offering a look-alike');
  const name = withLookAlike.label.kind === 'calls' ? withLookAlike.label.calls[0]!.name : '';
  const twin = irrelevanceTwin(withLookAlike, new Rng(2));
  const offered = twin?.tools.map((t) => t.name) ?? [];
  assert.ok(!offered.includes(name) && !offered.includes(worldTool(name)!.lookAlike!), offered.join(', '));
  assert.ok(offered.length >= 1);

  const alone = irrelevanceTwin(oneCall('isPrime', ['isPrime']), new Rng(3))!;
  assert.equal(alone.tools.length, 1);
  assert.notEqual(worldTool(alone.tools[0]!.name)!.domain, worldTool('isPrime')!.domain);
});

test('samples other than one turn with one call have no twin', () => {
  const two = oneCall('isPrime', ['isPrime']);
  two.label = { kind: 'calls', calls: [{ name: 'isPrime', arguments: { number: 97 } }, { name: 'isPrime', arguments: { number: 91 } }] };
  assert.equal(irrelevanceTwin(two, new Rng(1)), undefined);
  const text = oneCall('isPrime', ['isPrime']);
  text.label = { kind: 'text', text: 'Which number?' };
  assert.equal(irrelevanceTwin(text, new Rng(1)), undefined);
  const turns = oneCall('isPrime', ['isPrime']);
  turns.messages = [...turns.messages, { role: 'assistant', content: 'Yes.' }, { role: 'user', content: 'And 91?' }];
  assert.equal(irrelevanceTwin(turns, new Rng(1)), undefined);
});
