import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/random.ts';
import { inventLike } from '../../src/world/invent.ts';
import { generateSplit, DEFAULT_KIND_WEIGHTS } from '../../src/world/generate.ts';
import { validateToolCall } from '../../src/check/schema.ts';
import type { Sample } from '../../src/core/types.ts';

const TOOLS = { min: 2, max: 3 };

function labelStrings(samples: readonly Sample[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const s of samples) if (s.label.kind === 'calls') for (const c of s.label.calls) walk(c.arguments);
  return out;
}

test('an invented value keeps the shape of the one it replaces', () => {
  const rng = new Rng(7);
  for (let i = 0; i < 200; i++) {
    const id = inventLike('EV-300', rng);
    assert.match(id, /^EV-[1-9]\d\d$/);
    const name = inventLike('Lumen Park', rng);
    assert.match(name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.match(inventLike('IBM', rng), /^[A-Z]{2,4}$/);
    assert.equal(inventLike('lunch with Maya', rng).split(' ')[1], 'with');
  }
});

test('invented values reach the labels, appear in the request, and keep every call valid', () => {
  const plain = generateSplit('base', 3000, 3, DEFAULT_KIND_WEIGHTS, TOOLS);
  const known = new Set(labelStrings(plain));
  const varied = generateSplit('base', 600, 4, DEFAULT_KIND_WEIGHTS, TOOLS, { invent: 0.7 });
  const strings = labelStrings(varied);
  const novel = strings.filter((s) => !known.has(s));
  assert.ok(novel.length / strings.length > 0.15, `only ${novel.length} of ${strings.length} values invented`);
  for (const s of varied) {
    if (s.label.kind !== 'calls') continue;
    const request = s.messages.filter((m) => m.role === 'user').map((m) => ('content' in m ? m.content : '')).join('\n');
    for (const c of s.label.calls) {
      assert.deepEqual(validateToolCall(c, s.tools), [], `${s.id}: ${JSON.stringify(c)}`);
      for (const v of labelStrings([{ ...s, label: { kind: 'calls', calls: [c] } }])) {
        if (!known.has(v) && /^[A-Za-z ]+$/.test(v)) assert.ok(request.includes(v), `${s.id}: invented ${JSON.stringify(v)} is not in the request`);
      }
    }
  }
});

test('without invention a split is exactly what it was', () => {
  assert.deepEqual(generateSplit('base', 100, 1, DEFAULT_KIND_WEIGHTS, TOOLS, { invent: 0 }), generateSplit('base', 100, 1, DEFAULT_KIND_WEIGHTS, TOOLS));
  assert.notDeepEqual(generateSplit('base', 100, 1, DEFAULT_KIND_WEIGHTS, TOOLS, { invent: 0.7 }), generateSplit('base', 100, 1, DEFAULT_KIND_WEIGHTS, TOOLS));
});
