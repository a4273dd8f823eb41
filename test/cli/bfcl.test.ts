/** `looptool bfcl score` end to end: a small predictions folder made here, the shared BFCL v3 data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dataDir = path.resolve(repoRoot, '..', 'shared', 'benchmarks', 'bfcl_v3');
const cli = path.join(repoRoot, 'bin', 'looptool.js');
const skip = !existsSync(dataDir) && 'shared BFCL data not found';

function run(args: string[], cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'bfcl', 'score', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** simple_0 and simple_1 right, simple_2 with a wrong value; live_irrelevance_0 answered in prose (right). */
function makeResults(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bfcl-cli-'));
  writeFileSync(
    path.join(dir, 'BFCL_v3_simple_result.json'),
    lines([
      { id: 'simple_0', result: "[calculate_triangle_area(base=10, height=5, unit='units')]" },
      { id: 'simple_1', result: '[math.factorial(number=5)]' },
      { id: 'simple_2', result: '[math.hypot(x=4, y=6)]' },
    ]),
  );
  writeFileSync(path.join(dir, 'BFCL_v3_live_irrelevance_result.json'), lines([{ id: 'live_irrelevance_0-0-0', result: 'I cannot do that with these tools.' }]));
  return dir;
}

test('prints a table per category and per leaderboard row, and writes the details file', { skip }, () => {
  const results = makeResults();
  const details = path.join(results, 'details.jsonl');
  const r = run(['--predictions', results, '--data', dataDir, '--details', details]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^simple\s+2\s+3\s+397\s+66\.67%$/m);
  assert.match(r.stdout, /^live_irrelevance\s+1\s+1\s+881\s+100\.00%$/m);
  assert.match(r.stdout, /^multiple\s+0\s+0\s+200\s+N\/A$/m);
  assert.match(r.stdout, /^multi_turn_base\s+-\s+-\s+200\s+not scored$/m);
  assert.match(r.stdout, /^Non-Live\s+Overall Acc\s+4\.44%\s+unweighted mean$/m);
  assert.match(r.stdout, /Python Simple AST\s+66\.67%/);
  assert.match(r.stdout, /^overall: /m);
  const records = readFileSync(details, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    records.map((d) => [d['id'], d['category'], d['valid'], d['error_type']]),
    [
      ['live_irrelevance_0-0-0', 'live_irrelevance', true, null],
      ['simple_0', 'simple', true, null],
      ['simple_1', 'simple', true, null],
      ['simple_2', 'simple', false, 'value_error:others'],
    ],
  );
  assert.ok(Array.isArray(records[3]!['errors']) && (records[3]!['errors'] as string[])[0]!.startsWith('y: 6 '));
});

test('--json prints the same figures as JSON', { skip }, () => {
  const r = run(['--predictions', makeResults(), '--data', dataDir, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    scored: number;
    correct: number;
    categories: { category: string; scored: number; correct: number; missing: number; accuracy: number | null; status: string }[];
    leaderboard: { key: string; accuracy: number; display: string }[];
    overall: { accuracy: number; display: string };
  };
  assert.equal(report.scored, 4);
  assert.equal(report.correct, 3);
  const simple = report.categories.find((c) => c.category === 'simple')!;
  assert.deepEqual([simple.scored, simple.correct, simple.missing, simple.status], [3, 2, 397, 'scored']);
  const row = (key: string) => report.leaderboard.find((l) => l.key === key)!;
  // Non-live overall: unweighted mean of Simple AST (2/3, java and javascript 0), multiple, parallel, parallel multiple (0) and irrelevance (0).
  assert.ok(Math.abs(row('overall_non_live').accuracy - (2 / 3 / 3) / 5) < 1e-12);
  assert.equal(row('summary_ast_non_live').display, 'N/A');
  assert.ok(Math.abs(report.overall.accuracy - (row('overall_live').accuracy + row('overall_non_live').accuracy) / 3) < 1e-12);
});

test('other formats: hermes text in one JSONL file', { skip }, () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bfcl-cli-')), 'preds.jsonl');
  const call = '<tool_call>\n{"name": "calculate_triangle_area", "arguments": {"base": 10, "height": 5}}\n</tool_call>';
  writeFileSync(file, lines([{ id: 'simple_0', result: call }, { id: 'irrelevance_0', result: call }]));
  const r = run(['--predictions', file, '--data', dataDir, '--format', 'hermes', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { format: string; categories: { category: string; correct: number; scored: number }[] };
  assert.equal(report.format, 'hermes');
  const get = (c: string) => report.categories.find((x) => x.category === c)!;
  assert.deepEqual([get('simple').correct, get('simple').scored], [1, 1]);
  assert.deepEqual([get('irrelevance').correct, get('irrelevance').scored], [0, 1]);
});

test('bad input: an unknown id names file and line; exit code 2', { skip }, () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bfcl-cli-')), 'preds.jsonl');
  writeFileSync(file, lines([{ id: 'simple_0', result: '' }, { id: 'simple_4000', result: '' }]));
  const r = run(['--predictions', file, '--data', dataDir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^looptool: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: id: unknown id "simple_4000"`));
  const format = run(['--predictions', file, '--data', dataDir, '--format', 'xml']);
  assert.notEqual(format.status, 0);
  assert.match(format.stderr, /python, hermes, openai-fc|"python", "hermes", "openai-fc"/);
});

test('--data defaults to ../shared/benchmarks/bfcl_v3 when it exists, else a clear error', { skip }, () => {
  const results = makeResults();
  const here = run(['--predictions', results, '--json'], repoRoot);
  assert.equal(here.status, 0, here.stderr);
  const elsewhere = run(['--predictions', results], mkdtempSync(path.join(tmpdir(), 'bfcl-cwd-')));
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /--data: not given, and the default \.\.\/shared\/benchmarks\/bfcl_v3/);
});

test('--help teaches with examples', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:/);
  assert.match(r.stdout, /looptool bfcl score --predictions/);
  assert.match(r.stdout, /--underscore-to-dot/);
});
