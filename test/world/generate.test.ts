import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateToolCall } from '../../src/check/schema.ts';
import { dumpJson } from '../../src/core/json.ts';
import { SampleSchema, type Sample } from '../../src/core/types.ts';
import { executeCall, worldTool } from '../../src/world/catalog.ts';
import { generateWorld, generateSplit } from '../../src/world/generate.ts';
import { NOISE_KINDS } from '../../src/world/noise.ts';
import { wrappersFor } from '../../src/world/phrasing.ts';
import { SAMPLE_KINDS } from '../../src/world/types.ts';

const world = generateWorld({ seed: 11, n: 3000, base: 1500, test: 800, noise: 0.15 });
const noisyIds = new Set(world.noise.map((n) => n.id));

test('generation is deterministic per seed and differs across seeds', () => {
  const again = generateWorld({ seed: 11, n: 3000, base: 1500, test: 800, noise: 0.15 });
  assert.deepEqual(again, world);
  const other = generateSplit('seed', 50, 12);
  assert.notDeepEqual(other, world.seed.slice(0, 50));
  assert.deepEqual(generateSplit('seed', 50, 11), generateSplit('seed', 80, 11).slice(0, 50), 'a sample does not depend on how many follow');
});

test('every sample is a valid looptool Sample with 2–8 offered tools and every kind appears', () => {
  for (const split of ['base', 'seed', 'test'] as const) {
    const kinds = new Set<string>();
    for (const s of world[split]) {
      SampleSchema.parse(s);
      assert.ok(s.tools.length >= 2 && s.tools.length <= 8, `${s.id}: ${s.tools.length} tools`);
      assert.equal(s.meta?.['split'], split);
      kinds.add(String(s.meta?.['kind']));
    }
    assert.deepEqual([...kinds].sort(), [...SAMPLE_KINDS].sort(), split);
  }
});

function checkClean(s: Sample): void {
  if (s.label.kind === 'text') {
    if (s.meta?.['kind'] === 'irrelevance') for (const t of s.tools) assert.ok(worldTool(t.name), `${s.id}: offered tool is in the catalog`);
    return;
  }
  for (const call of s.label.calls) {
    assert.deepEqual(validateToolCall(call, s.tools), [], `${s.id}: ${JSON.stringify(call)}`);
    const run = executeCall(call);
    assert.ok(run.ok, `${s.id}: ${JSON.stringify(call)} → ${run.ok ? '' : run.error}`);
  }
  for (const m of s.messages) {
    if (m.role === 'assistant' && m.toolCalls) for (const c of m.toolCalls) assert.ok(executeCall(c).ok, `${s.id}: history call ${c.name}`);
  }
}

test('every clean label passes the schema validator and executes without error', () => {
  for (const s of [...world.base, ...world.test, ...world.seed.filter((x) => !noisyIds.has(x.id))]) checkClean(s);
  for (const n of world.noise) checkClean({ ...world.seed.find((s) => s.id === n.id)!, label: n.clean });
});

test('the number of offered tools can be narrowed (shorter prompts for small models)', () => {
  const narrow = generateWorld({ seed: 3, n: 400, base: 0, test: 0, noise: 0, tools: { min: 2, max: 3 } });
  for (const s of narrow.seed) assert.ok(s.tools.length >= 2 && s.tools.length <= 3, `${s.id}: ${s.tools.length} tools`);
  for (const s of narrow.seed) if (s.label.kind === 'calls') for (const c of s.label.calls) assert.ok(s.tools.some((t) => t.name === c.name), `${s.id}: ${c.name} is offered`);
});

test('label noise hits about the set rate, with every kind, and the truth records the clean label', () => {
  const rate = world.noise.length / world.seed.length;
  assert.ok(rate > 0.12 && rate < 0.18, `noise rate ${rate}`);
  assert.deepEqual([...new Set(world.noise.map((n) => n.kind))].sort(), [...NOISE_KINDS].sort());
  const byId = new Map(world.seed.map((s) => [s.id, s]));
  for (const n of world.noise) {
    assert.deepEqual(byId.get(n.id)!.label, n.noisy, 'the seed split carries the noisy label');
    assert.notDeepEqual(n.clean, n.noisy);
  }
  assert.equal(generateWorld({ seed: 11, n: 200, noise: 0 }).noise.length, 0);
});

test('no test sample shares its phrasing instance and values with seed or base', () => {
  const userTexts = (samples: readonly Sample[]): Set<string> => new Set(samples.flatMap((s) => s.messages.filter((m) => m.role === 'user').map((m) => m.content)));
  const train = new Set([...userTexts(world.seed), ...userTexts(world.base)]);
  for (const t of userTexts(world.test)) assert.ok(!train.has(t), `test request also in training data: ${t}`);
  const key = (s: Sample): string => `${JSON.stringify(s.meta?.['phrasings'])}|${JSON.stringify(s.label)}`;
  const trainKeys = new Set([...world.seed, ...world.base].map(key));
  for (const s of world.test) assert.ok(!trainKeys.has(key(s)), s.id);
  // greetings and closings belong to one split each
  const texts = (split: 'base' | 'seed' | 'test'): Set<string> => new Set(wrappersFor(split).map((w) => `${w.prefix}|${w.suffix}`));
  for (const [a, b] of [['base', 'seed'], ['base', 'test'], ['seed', 'test']] as const) for (const w of texts(a)) assert.ok(!texts(b).has(w), `${a} and ${b} share ${w}`);
  // the last template of each tool is only used by the test split
  const lastOnly = (s: Sample): boolean => ((s.meta?.['phrasings'] as string[]) ?? []).some((p) => /#(\d+)/.test(p) && isLast(p));
  const isLast = (p: string): boolean => {
    const m = /^([^#|+]+)#(\d+)/.exec(p);
    const tool = m && worldTool(m[1]!);
    return tool !== undefined && tool !== null && tool.templates.length >= 4 && Number(m![2]) === tool.templates.length - 1;
  };
  assert.ok(world.test.some(lastOnly), 'test uses its own templates');
  assert.ok(![...world.seed, ...world.base].some(lastOnly), 'seed and base never use the test-only templates');
});

test('base and seed draw their names and places from disjoint pools', () => {
  const strings = (samples: readonly Sample[], arg: string): Set<string> =>
    new Set(samples.flatMap((s) => (s.label.kind === 'calls' ? s.label.calls.map((c) => c.arguments[arg]).filter((v): v is string => typeof v === 'string') : [])));
  const base = strings(world.base, 'city');
  const seed = strings(world.seed.filter((s) => !noisyIds.has(s.id)), 'city');
  assert.ok(base.size > 5 && seed.size > 5);
  for (const c of base) assert.ok(!seed.has(c), `${c} is in both base and seed`);

  // Pretraining data that draws from every split's values holds the seed's places too,
  // while its phrasings stay the base split's own.
  const everyValue = generateSplit('base', 1500, 11, undefined, undefined, { allValues: true });
  const all = strings(everyValue, 'city');
  assert.ok([...seed].filter((c) => all.has(c)).length >= seed.size - 2, 'nearly every seed city is drawn');
  assert.ok([...base].every((c) => all.has(c)));
  const baseGreetings = new Set(wrappersFor('base').map((w) => w.prefix).filter((p) => p !== ''));
  for (const s of everyValue) assert.equal(s.meta?.['split'], 'base');
  assert.ok(everyValue.some((s) => [...baseGreetings].some((g) => (s.messages[0]?.content ?? '').startsWith(g))));
  assert.deepEqual(generateSplit('base', 50, 11, undefined, undefined, {}), world.base.slice(0, 50), 'no draw options: the base split as before');
});

test('multi-turn samples carry real tool results, and dependent calls take values from them', () => {
  const multi = world.seed.filter((s) => s.meta?.['kind'] === 'multi_turn' && !noisyIds.has(s.id));
  assert.ok(multi.length > 100);
  let dependent = 0;
  for (const s of multi) {
    const results = s.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    assert.ok(results.length > 0, s.id);
    const calls = s.messages.flatMap((m) => (m.role === 'assistant' && m.toolCalls ? m.toolCalls : []));
    const first = executeCall(calls[0]!);
    assert.ok(first.ok, s.id);
    assert.equal(results[0], dumpJson(first.result), `${s.id}: the tool turn is the executor's real result`);
    if (s.label.kind === 'calls') {
      const users = s.messages.filter((m) => m.role === 'user').map((m) => m.content.toLowerCase()).join(' ');
      const fromResult = Object.values(s.label.calls[0]!.arguments).some((v) => typeof v === 'string' && !users.includes(v.toLowerCase()) && results.some((r) => r.includes(JSON.stringify(v))));
      if (fromResult) dependent++;
    }
  }
  assert.ok(dependent > multi.length / 4, `${dependent} of ${multi.length} multi-turn labels use a value from a tool result`);
});
