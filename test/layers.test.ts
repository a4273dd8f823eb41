import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// DESIGN.md's layer table: which folders each folder of src/ may import.
const lower = (...names: string[]): Set<string> => new Set(names);
const L1 = ['core', 'toolcall'];
const L2 = [...L1, 'check', 'engine'];
const L3 = [...L2, 'models', 'world', 'store'];
const L4 = [...L3, 'loop', 'train', 'bench'];
const L5 = [...L4, 'serve', 'report'];
const ALLOWED: Record<string, Set<string>> = {
  core: lower(),
  toolcall: lower('core'),
  check: lower('core', 'toolcall'),
  engine: lower('core'),
  models: lower('core', 'toolcall', 'engine'),
  world: lower('core', 'check'),
  store: lower('core'),
  loop: lower(...L3),
  train: lower(...L3),
  bench: lower(...L3),
  serve: lower(...L4),
  report: lower(...L4),
  // synthesis runs the world's roles and the loop's judges, so it sits above them as serve and report do
  synth: lower(...L4),
  // the demo runs the loop and the trainer side by side and hands its summary to the report
  demo: lower(...L5),
  cli: lower(...L5, 'demo', 'synth'),
};

const src = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('imports point downward only, as the layer table in DESIGN.md says', () => {
  const violations: string[] = [];
  for (const file of files(src)) {
    const from = relative(src, file).split('/')[0]!;
    if (from.endsWith('.ts')) continue; // src/index.ts is the public face and may import anything
    assert.ok(ALLOWED[from], `src/${from} is not in the layer table`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
      const to = relative(src, resolve(dirname(file), m[1]!)).split('/')[0]!;
      if (to !== from && !ALLOWED[from]!.has(to)) violations.push(`${relative(src, file)} imports ${m[1]} (${from} → ${to})`);
    }
  }
  assert.deepEqual(violations, []);
});
