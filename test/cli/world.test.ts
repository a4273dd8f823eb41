import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loopToolToSample } from '../../src/core/convert/looptool.ts';
import { sampleToLoopTool } from '../../src/core/convert/looptool.ts';
import { SampleSchema } from '../../src/core/types.ts';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-world-'));
after(() => rmSync(work, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const dir = join(work, 'w');
const jsonl = (name: string) => readFileSync(join(dir, name), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('world generate writes the splits, their LoopTool form, the noise truth and a manifest', () => {
  const r = run('world', 'generate', '--n', '600', '--base', '300', '--test', '200', '--noise', '0.2', '--seed', '4', '--out', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1100 samples \(base 300, seed 600, test 200\)/);
  const seed = jsonl('seed.jsonl').map((x) => SampleSchema.parse(x));
  assert.equal(seed.length, 600);
  const records = jsonl('seed.looptool.jsonl');
  assert.deepEqual(records[7], sampleToLoopTool(seed[7]!));
  assert.deepEqual(loopToolToSample(records[7], 'x').label, seed[7]!.label, 'the LoopTool form reads back to the same label');
  const noise = jsonl('noise.jsonl');
  assert.ok(noise.length > 80 && noise.length < 160, `${noise.length} noisy labels`);
  const manifest = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'));
  assert.deepEqual(manifest.counts, { base: 300, seed: 600, test: 200 });
  assert.equal(manifest.noisyLabels, noise.length);
  const again = join(work, 'again');
  assert.equal(run('world', 'generate', '--n', '600', '--base', '300', '--test', '200', '--noise', '0.2', '--seed', '4', '--out', again).status, 0);
  assert.equal(readFileSync(join(again, 'seed.jsonl'), 'utf8'), readFileSync(join(dir, 'seed.jsonl'), 'utf8'), 'same seed, same bytes');
});

test('world judge measures the rule judge; world stats reads its verdicts back', () => {
  const verdicts = join(work, 'verdicts.jsonl');
  const r = run('world', 'judge', dir, '--out', verdicts);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /noise kind +compared +label blamed/);
  const m = /precision (\d+\.\d)% +recall (\d+\.\d)%/.exec(r.stdout);
  assert.ok(m && Number(m[1]) >= 95 && Number(m[2]) >= 85, r.stdout);
  const s = run('world', 'stats', dir, '--verdicts', verdicts, '--json');
  assert.equal(s.status, 0, s.stderr);
  const stats = JSON.parse(s.stdout);
  assert.equal(stats.splits.seed.samples, 600);
  assert.ok(stats.splits.test.distinctNgrams[0] > 0);
  assert.ok(stats.verdicts.recall >= 0.85, JSON.stringify(stats.verdicts));
  const table = run('world', 'stats', dir);
  assert.match(table.stdout, /distinct 2-grams/);
});

test('world expand reports the share of valid candidates', () => {
  const out = join(work, 'expanded.jsonl');
  const r = run('world', 'expand', dir, '--k', '2', '--limit', '50', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /100 new samples from 50 seeds/);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 100);
});

test('bad input names the file, line and field', () => {
  const bad = join(work, 'bad');
  assert.equal(run('world', 'generate', '--n', '50', '--test', '20', '--base', '20', '--out', bad).status, 0);
  const lines = readFileSync(join(bad, 'seed.jsonl'), 'utf8').split('\n');
  lines[2] = lines[2]!.replace('"messages":', '"mesages":');
  writeFileSync(join(bad, 'seed.jsonl'), lines.join('\n'));
  const r = run('world', 'stats', bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /seed\.jsonl:3: messages/);
  assert.match(run('world', 'generate', '--n', 'many', '--out', bad).stderr, /expected a whole number/);
});
