import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IterateConfigSchema } from '../../src/loop/config.ts';
import { sampleFingerprint } from '../../src/loop/expander.ts';
import { expanderFactory } from '../../src/loop/factory.ts';
import { generateWorld } from '../../src/world/generate.ts';

const world = generateWorld({ seed: 5, n: 120, base: 0, test: 0, noise: 0, tools: { min: 2, max: 3 } });
const avoid = new Set(world.seed.map(sampleFingerprint));
const noModel = async (): Promise<never> => {
  throw new Error('the template expander needs no model');
};

async function toolCounts(expander: Record<string, unknown>): Promise<number[]> {
  const config = IterateConfigSchema.parse({ data: 'seed.jsonl', model: { provider: 'engine', path: 'm' }, expander });
  const expanderFor = await expanderFactory(config, noModel, avoid);
  const counts: number[] = [];
  for (const seed of world.seed.slice(0, 60)) for (const s of (await expanderFor(1).expand({ sample: seed }, 2)).samples) counts.push(s.tools.length);
  return counts;
}

test('expander.tools bounds the tools a new sample offers, as the world the model learned on did', async () => {
  const bounded = await toolCounts({ kind: 'template', tools: { min: 2, max: 3 } });
  assert.equal(bounded.length, 120);
  assert.ok(Math.max(...bounded) <= 3, `at most 3 tools, saw ${Math.max(...bounded)}`);
  // without it the expander offers up to the world's 8, most of them out of a 2-3-tool model's reach
  const unbounded = await toolCounts({ kind: 'template' });
  assert.ok(unbounded.filter((n) => n > 3).length > 30, `${unbounded.filter((n) => n > 3).length} of 120 over 3 tools`);
});

test('expander.tools must be a range', () => {
  const parsed = IterateConfigSchema.safeParse({ data: 'seed.jsonl', model: { provider: 'engine', path: 'm' }, expander: { tools: { min: 4, max: 2 } } });
  assert.equal(parsed.success, false);
  assert.match(JSON.stringify(parsed.error?.issues), /tools\.min must not exceed tools\.max/);
});
