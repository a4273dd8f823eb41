// `looptool bfcl run` against a real `looptool serve`: replies land in the official result
// layout, are scored, and a rerun continues without asking again.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { looptool, serveWorld, type ServedWorld } from './fixtures/served-world.ts';

const data = fileURLToPath(new URL('../../../shared/benchmarks/bfcl_v3', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-bfcl-run-'));
let served: ServedWorld;
after(() => {
  served?.stop();
  rmSync(work, { recursive: true, force: true });
});
before(async () => {
  served = await serveWorld(work, 20);
});

test('bfcl run writes BFCL_v3_<category>_result.json files, scores them, and resumes', () => {
  const args = ['bfcl', 'run', '--endpoint', served.url, '--model', 'micro', '--data', data, '--categories', 'simple,irrelevance', '--limit', '6', '--max-tokens', '16', '--out', 'results', '--json'];
  const r = looptool(work, ...args);
  assert.equal(r.status, 0, r.stderr);
  for (const c of ['simple', 'irrelevance']) {
    const file = join(work, 'results', `BFCL_v3_${c}_result.json`);
    assert.ok(existsSync(file), file);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), Array.from({ length: 6 }, (_, i) => `${c}_${i}`));
    assert.ok(lines.every((l) => typeof l.result === 'string'));
  }
  const report = JSON.parse(r.stdout);
  const simple = report.categories.find((c: { category: string }) => c.category === 'simple');
  assert.equal(simple.scored, 6);
  const again = looptool(work, ...args);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(join(work, 'results', 'BFCL_v3_simple_result.json'), 'utf8').trim().split('\n').length, 6, 'nothing asked twice');
  assert.match(looptool(work, 'bfcl', 'run', '--endpoint', served.url, '--model', 'm', '--data', data, '--categories', 'multi_turn_base', '--out', 'x').stderr, /not a single-turn category/);
});
