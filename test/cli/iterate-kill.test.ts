// Kill test: `kill -9` a run at random points of its stages, run it again, and the files
// it ends with equal those of a run that was never interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bin, serveWorld, type ServedWorld } from './fixtures/served-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-kill-'));
let served: ServedWorld;
after(() => {
  served?.stop();
  rmSync(work, { recursive: true, force: true });
});

before(async () => {
  served = await serveWorld(work, 40);
  const config = {
    data: served.seedPath,
    rounds: 1,
    budget: 12,
    model: { provider: 'openai', baseUrls: [served.url], model: 'micro', concurrency: 4 },
    probe: { batchSize: 4, maxTokens: 24 },
    expander: { kind: 'template', perSeed: 3 },
  };
  writeFileSync(join(work, 'config.json'), JSON.stringify(config));
});

const FILES = ['round-0/dataset.jsonl', 'round-0/probe.jsonl', 'round-0/verify.jsonl', 'round-0/expand.jsonl', 'round-1/dataset.jsonl'];
// The server batches concurrent requests, and a different batch sums floats in another
// order: log-probabilities may differ in their last digits between any two runs.
const stable = (line: string): string => JSON.stringify(JSON.parse(line), (k, v) => (k === 'perplexity' && typeof v === 'number' ? Number(v.toPrecision(6)) : v));
const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter((l) => l !== '').map(stable) : []);

function runFor(dir: string, killAfterMs: number | undefined): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, 'iterate', dir, '--config', 'config.json'], { cwd: work, stdio: 'ignore' });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

test('20 runs killed with SIGKILL at random points end with the same files as an uninterrupted run', async () => {
  const started = performance.now();
  assert.equal(await runFor('reference', undefined), 0);
  const full = performance.now() - started;
  process.stderr.write(`uninterrupted run: ${full.toFixed(0)} ms\n`);
  const reference = FILES.map((f) => lines(join(work, 'reference', f)));
  assert.ok(reference.every((l) => l.length > 0), 'the reference run wrote every file');
  let interrupted = 0;
  for (let trial = 0; trial < 20; trial++) {
    const dir = `trial-${trial}`;
    // spread the kills over the whole run, start-up included
    const at = 150 + ((trial * 7919) % 1000) / 1000 * full;
    if ((await runFor(dir, at)) !== 0) interrupted++;
    assert.equal(await runFor(dir, undefined), 0, `trial ${trial}: the resumed run finishes`);
    FILES.forEach((f, i) => {
      const got = lines(join(work, dir, f));
      assert.equal(new Set(got.map((l) => JSON.parse(l).id)).size, got.length, `trial ${trial}: ${f} has no repeated id`);
      assert.deepEqual([...got].sort(), [...reference[i]!].sort(), `trial ${trial}: ${f} differs from the uninterrupted run`);
    });
  }
  assert.ok(interrupted >= 10, `only ${interrupted} of 20 runs were killed before they finished`);
});
