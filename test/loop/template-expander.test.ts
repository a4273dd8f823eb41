import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateToolCall } from '../../src/check/schema.ts';
import { sampleFingerprint } from '../../src/loop/expander.ts';
import { TemplateExpander, inferKind } from '../../src/loop/template-expander.ts';
import { labelDefects } from '../../src/loop/rule-judge.ts';
import { executeCall } from '../../src/world/catalog.ts';
import { generateWorld } from '../../src/world/generate.ts';

const world = generateWorld({ seed: 21, n: 800, base: 0, test: 300, noise: 0 });
const avoid = new Set([...world.seed, ...world.test].map(sampleFingerprint));
const testTexts = new Set(world.test.flatMap((s) => s.messages.filter((m) => m.role === 'user').map((m) => m.content)));

test('expanded samples keep the seed kind, pass validation ≥ 95% of the time and repeat nothing', async () => {
  const expander = new TemplateExpander({ seed: 3, avoid, round: 2 });
  let attempts = 0;
  let made = 0;
  const seen = new Set<string>();
  for (const seed of world.seed.slice(0, 400)) {
    const report = await expander.expand({ sample: seed }, 4);
    attempts += report.attempts;
    made += report.samples.length;
    assert.equal(report.samples.length, 4, `${seed.id}: ${JSON.stringify(report.rejected)}`);
    for (const s of report.samples) {
      assert.equal(inferKind(s), inferKind(seed), `${s.id} kind`);
      assert.deepEqual(s.provenance, { source: 'expanded', round: 2, parentId: seed.id, labelHistory: [] });
      const texts = s.messages.filter((m) => m.role === 'user').map((m) => m.content);
      for (const t of texts) assert.ok(!testTexts.has(t), `${s.id} repeats a test request: ${t}`);
      const fp = sampleFingerprint(s);
      assert.ok(!avoid.has(fp), `${s.id} repeats a seed or test sample`);
      assert.ok(!seen.has(fp), `${s.id} repeats another expansion`);
      seen.add(fp);
      if (s.label.kind === 'calls') {
        for (const c of s.label.calls) assert.deepEqual(validateToolCall(c, s.tools), []);
        assert.deepEqual(labelDefects(s, s.label, { execute: executeCall }), []);
      }
    }
  }
  assert.ok(made / attempts >= 0.95, `${made} valid of ${attempts} candidates`);
});

test('the error pattern is kept: the look-alike the model chose is offered again, and the same tools are mostly reused', async () => {
  const seed = world.seed.find((s) => s.meta?.['kind'] === 'single' && s.label.kind === 'calls' && s.label.calls[0]!.name === 'get_weather')!;
  assert.ok(seed, 'a single get_weather sample');
  const prediction = { kind: 'calls' as const, calls: [{ name: 'get_forecast', arguments: { city: 'Oslo' } }] };
  const report = await new TemplateExpander({ seed: 1, shapeShift: 0 }).expand({ sample: seed, prediction }, 6);
  assert.equal(report.samples.length, 6);
  for (const s of report.samples) {
    assert.ok(s.tools.some((t) => t.name === 'get_forecast'), `${s.id} offers the look-alike`);
    assert.equal(s.label.kind === 'calls' && s.label.calls[0]!.name, 'get_weather');
    assert.notEqual(s.messages[0]!.role === 'user' && s.messages[0]!.content, seed.messages[0]!.role === 'user' && seed.messages[0]!.content);
  }
});

test('expansion is deterministic for a seed', async () => {
  const a = await new TemplateExpander({ seed: 9 }).expand({ sample: world.seed[3]! }, 3);
  const b = await new TemplateExpander({ seed: 9 }).expand({ sample: world.seed[3]! }, 3);
  assert.deepEqual(a, b);
});
