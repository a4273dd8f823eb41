/**
 * The shipped verl reward module (assets/verl/looptool_reward.py), run by python3 against a
 * live `looptool serve-reward`: its scores equal the TypeScript matcher's case by case,
 * and it fails with a clear error when the server is down. Needs only python3 (the module
 * uses the standard library).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scoreToolCallReward, type RewardVariant } from '../../../src/check/reward.ts';
import { generateSplit } from '../../../src/world/generate.ts';
import { rewardCases } from './reward-cases.ts';

const bin = fileURLToPath(new URL('../../../bin/looptool.js', import.meta.url));
const moduleDir = fileURLToPath(new URL('../../../assets/verl/', import.meta.url));
const API_KEY = 'verl-test-key';

const probe = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : 'python3 is not installed';

interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

async function startServer(variant: RewardVariant): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['LOOPTOOL_API_KEY'];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, 'serve-reward', '--port', '0', '--variant', variant, '--api-key', API_KEY], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /serving the \w+ reward on (http:\/\/\S+)\n/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve-reward exited before listening: ${stderr}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// Scores every case one call at a time (compute_score) and in batches (compute_score_batch).
const SCORE_ALL = `
import json, sys
sys.path.insert(0, sys.argv[1])
import looptool_reward as lr
cases = json.load(sys.stdin)
single = [lr.compute_score("looptool", c["response"], c["ground_truth"], {"index": i, "id": c["name"]}) for i, c in enumerate(cases)]
batch = lr.compute_score_batch(["looptool"] * len(cases), [c["response"] for c in cases], [c["ground_truth"] for c in cases], [None] * len(cases))
print(json.dumps({"single": single, "batch": batch}))
`;

function runPython(script: string, env: NodeJS.ProcessEnv, input = ''): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('python3', ['-c', script, moduleDir], { input, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26, timeout: 60_000 });
}

for (const variant of ['official', 'strict'] as const) {
  test(`the Python module scores ≥ 1,000 replies exactly as the TypeScript matcher (${variant})`, { skip }, async () => {
    const cases = rewardCases(generateSplit('seed', 90, 21), 4);
    assert.ok(cases.length >= 1000, `${cases.length} cases`);
    const server = await startServer(variant);
    try {
      const r = runPython(SCORE_ALL, { LOOPTOOL_REWARD_URL: server.url, LOOPTOOL_API_KEY: API_KEY, LOOPTOOL_REWARD_CHUNK: '256' }, JSON.stringify(cases));
      assert.equal(r.status, 0, r.stderr);
      const scored = JSON.parse(r.stdout) as { single: number[]; batch: number[] };
      const expected = cases.map((c) => scoreToolCallReward(c.response, c.ground_truth, { variant }).score);
      for (let i = 0; i < cases.length; i++) {
        assert.equal(scored.single[i], expected[i], `compute_score, ${cases[i]!.name}`);
        assert.equal(scored.batch[i], expected[i], `compute_score_batch, ${cases[i]!.name}`);
      }
      // The cases are worth comparing only if both outcomes and most reasons occur.
      const reasons = new Set(cases.map((c) => scoreToolCallReward(c.response, c.ground_truth, { variant }).reason));
      assert.ok(expected.includes(1) && expected.includes(0));
      assert.ok(reasons.size >= 6, [...reasons].join(', '));
      // …and if the variants disagree on some, so a server running the other variant would fail this test.
      const other = variant === 'official' ? 'strict' : 'official';
      const disagreements = cases.filter((c, i) => scoreToolCallReward(c.response, c.ground_truth, { variant: other }).score !== expected[i]).length;
      assert.ok(disagreements >= 50, `${disagreements} cases where the variants disagree`);
    } finally {
      await server.stop();
    }
  });
}

test('a refused key is reported at once with the server\'s reason, not retried', { skip }, async () => {
  const server = await startServer('official');
  try {
    const started = Date.now();
    const r = runPython('import sys; sys.path.insert(0, sys.argv[1]); import looptool_reward as lr; lr.compute_score("looptool", "hi", "hi")', {
      LOOPTOOL_REWARD_URL: server.url,
      LOOPTOOL_API_KEY: 'wrong',
      LOOPTOOL_REWARD_BACKOFF: '5',
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /looptool_reward\.LooptoolRewardError: POST http:\/\/127\.0\.0\.1:\d+\/reward answered 401/);
    assert.ok(Date.now() - started < 4000, 'no backoff on a 4xx');
  } finally {
    await server.stop();
  }
});

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('with the server down, the module retries, then names the URL and how to start the server', { skip }, async () => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const r = runPython('import sys; sys.path.insert(0, sys.argv[1]); import looptool_reward as lr; lr.compute_score_batch(["looptool"], ["hi"], ["hi"])', {
    LOOPTOOL_REWARD_URL: url,
    LOOPTOOL_REWARD_RETRIES: '2',
    LOOPTOOL_REWARD_BACKOFF: '0.05',
  });
  assert.notEqual(r.status, 0);
  const lastLine = r.stderr.trim().split('\n').at(-1)!;
  assert.match(lastLine, /^looptool_reward\.LooptoolRewardUnavailable: POST http:\/\/127\.0\.0\.1:\d+\/reward failed after 3 attempts \(last: .*refused.*\)/i);
  assert.ok(lastLine.includes(url), 'names the URL');
  assert.match(lastLine, /`looptool serve-reward --port 8300`/);
  assert.match(lastLine, /LOOPTOOL_REWARD_URL/);
});
