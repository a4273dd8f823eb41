import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-reward-'));
after(() => rmSync(work, { recursive: true, force: true }));

const call = (args: string): string => `<tool_call>\n{"name": "f", "arguments": ${args}}\n</tool_call>`;
const lines = [
  { response: call('{"a": [2, 1]}'), ground_truth: call('{"a": [1, 2]}') },
  { response: 'Which one?', ground_truth: 'Please say which.' },
  { response: call('{"a": 1}'), ground_truth: 'Please say which.' },
];

test('reward reads stdin and writes one {score, reason} per line, in order', () => {
  const r = spawnSync(process.execPath, [bin, 'reward'], { input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n', encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
    { score: 1, reason: 'match' },
    { score: 1, reason: 'text_match' },
    { score: 0, reason: 'text_expected_got_call' },
  ]);
  assert.match(r.stderr, /3 scored, mean 0\.6667 \(official\)/);
});

test('reward --variant strict with a file in and --out', () => {
  const input = join(work, 'in.jsonl');
  const out = join(work, 'out.jsonl');
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n'));
  const r = spawnSync(process.execPath, [bin, 'reward', input, '--variant', 'strict', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).reason), ['calls_differ', 'text_match', 'text_expected_got_call']);
});

test('a malformed line or a missing field is named with file and line', () => {
  const input = join(work, 'bad.jsonl');
  writeFileSync(input, `${JSON.stringify(lines[0])}\n{"response": "x", "ground_truth": 5}\n`);
  const r = spawnSync(process.execPath, [bin, 'reward', input], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.jsonl:2: ground_truth: /);
  writeFileSync(input, `${JSON.stringify(lines[0])}\n\n{"response": "x",\n`);
  const r2 = spawnSync(process.execPath, [bin, 'reward', input], { encoding: 'utf8' });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /bad\.jsonl:3: not valid JSON/);
});
