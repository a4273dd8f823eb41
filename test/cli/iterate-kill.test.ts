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

// Ten trials, each killed twice before it may finish, two trials at a time: twenty kills,
// half of them landing in a run that was itself resumed, in 100 s on 2 cores where twenty
// one-kill trials in a row took 175 s. A third trial at a time gains nothing more there.
const TRIALS = 10;
const AT_ONCE = 2;

test('20 SIGKILLs at random points, two per run, end with the same files as an uninterrupted run', async () => {
  const started = performance.now();
  assert.equal(await runFor('reference', undefined), 0);
  const full = performance.now() - started;
  process.stderr.write(`uninterrupted run: ${full.toFixed(0)} ms\n`);
  const reference = FILES.map((f) => lines(join(work, 'reference', f)));
  assert.ok(reference.every((l) => l.length > 0), 'the reference run wrote every file');
  let interrupted = 0;
  const runTrial = async (trial: number): Promise<void> => {
    const dir = `trial-${trial}`;
    // spread the kills over the whole run, start-up included; the second lands half a run
    // away from the first
    for (const shift of [0, 500]) {
      const at = 150 + ((trial * 7919 + shift) % 1000) / 1000 * full;
      if ((await runFor(dir, at)) !== 0) interrupted++;
    }
    assert.equal(await runFor(dir, undefined), 0, `trial ${trial}: the resumed run finishes`);
    FILES.forEach((f, i) => {
      const got = lines(join(work, dir, f));
      assert.equal(new Set(got.map((l) => JSON.parse(l).id)).size, got.length, `trial ${trial}: ${f} has no repeated id`);
      assert.deepEqual([...got].sort(), [...reference[i]!].sort(), `trial ${trial}: ${f} differs from the uninterrupted run`);
    });
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < TRIALS) await runTrial(next++);
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
  process.stderr.write(`runs killed before they finished: ${interrupted} of ${2 * TRIALS}\n`);
  assert.ok(interrupted >= 10, `only ${interrupted} of ${2 * TRIALS} runs were killed before they finished`);
});
