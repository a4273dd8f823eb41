import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'looptool.js');
const bfcl = resolve(root, '..', 'shared', 'benchmarks', 'bfcl_v3');
const work = mkdtempSync(join(tmpdir(), 'looptool-convert-'));
after(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'convert', ...args], { encoding: 'utf8', cwd: work });

test('BFCL → samples → LoopTool → OpenAI → ShareGPT → samples keeps every label', () => {
  assert.equal(run('--from', 'bfcl', '--to', 'samples', join(bfcl, 'BFCL_v3_parallel.json'), 's.jsonl').status, 0);
  for (const [from, to, a, b] of [['samples', 'looptool', 's.jsonl', 'l.jsonl'], ['looptool', 'openai', 'l.jsonl', 'o.jsonl'], ['openai', 'sharegpt', 'o.jsonl', 'g.jsonl'], ['sharegpt', 'samples', 'g.jsonl', 'back.jsonl']] as const) {
    const r = run('--from', from, '--to', to, a, b);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /read 200 records \(200 samples\), wrote 200/);
  }
  const labels = (f: string) => readFileSync(join(work, f), 'utf8').trim().split('\n').map((l) => JSON.stringify(JSON.parse(l).label));
  assert.deepEqual(labels('back.jsonl'), labels('s.jsonl'));
});

test('skips are counted and bad input names file, line and field', () => {
  const r = run('--from', 'bfcl', '--to', 'samples', join(bfcl, 'BFCL_v3_multi_turn_base.json'), 'mt.jsonl');
  assert.equal(r.status, 0);
  assert.match(r.stderr, /wrote 0 .*skipped: 200 multi turn entry/);
  writeFileSync(join(work, 'bad.jsonl'), '{"instruction": "x\\n<tools>\\n</tools>", "input": "hi", "output": "ok"}\n{"instruction": "x", "input": 3, "output": "y"}\n');
  const bad = run('--from', 'looptool', '--to', 'samples', 'bad.jsonl', 'out.jsonl');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.jsonl:2: input: must be a string/);
  writeFileSync(join(work, 'bad2.jsonl'), '{"tools": [], "conversations": [{"from": "user", "value": "a"}, {"from": "assistant", "value": "[not json]"}]}\n');
  const bad2 = run('--from', 'sharegpt', '--to', 'samples', 'bad2.jsonl', 'out.jsonl');
  assert.equal(bad2.status, 2);
  assert.match(bad2.stderr, /bad2\.jsonl:1: conversations\[1\]\.value: a call turn is not JSON/);
});
