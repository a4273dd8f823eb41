/** `looptool serve-reward` as users run it: refusing an open bind without a key, serving, stopping on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/looptool.js', import.meta.url));
// A key in the caller's environment would let the refusal test pass for the wrong reason.
const env: NodeJS.ProcessEnv = { ...process.env };
delete env['LOOPTOOL_API_KEY'];

test('a host beyond loopback without --api-key is refused with exit 2', () => {
  const r = spawnSync(process.execPath, [bin, 'serve-reward', '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /looptool: --host: binding 0\.0\.0\.0 .*give --api-key/);
  assert.equal(r.stdout, '');
});

test('--help teaches the endpoints, a curl call and how each trainer points at the server', () => {
  const r = spawnSync(process.execPath, [bin, 'serve-reward', '--help'], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  for (const needle of ['POST /reward', 'POST /get_reward', 'GET /health', '"format_ok"', '"extra_logs"', 'curl -s', '--remote_rm_url', 'custom_reward_function', 'GRPOTrainer', '--max-body-mb']) {
    assert.ok(r.stdout.includes(needle), `help mentions ${needle}`);
  }
});

test('serves with a key, prints its URL, logs refusals and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [bin, 'serve-reward', '--port', '0', '--variant', 'strict', '--api-key', 'k1'], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        const m = /serving the strict reward on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });
    assert.deepEqual(await (await fetch(`${url}/health`)).json(), { status: 'ok', variant: 'strict' });
    const item = JSON.stringify([{ response: 'Which city?', ground_truth: 'Which city?' }]);
    assert.equal((await fetch(`${url}/reward`, { method: 'POST', body: item })).status, 401);
    const ok = await fetch(`${url}/reward`, { method: 'POST', body: item, headers: { authorization: 'Bearer k1' } });
    assert.equal(await ok.text(), '[{"score":1.0,"format_ok":true,"calls_ok":true,"reason":"text_match"}]');
    const started = Date.now();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.ok(Date.now() - started < 5000, 'stops promptly');
    assert.match(stderr, /serve-reward: 401 POST \/reward: missing or wrong API key/);
  } finally {
    child.kill('SIGKILL');
  }
});
