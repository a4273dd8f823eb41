import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonlStream, readCommitted } from '../../src/store/jsonl-stream.ts';
import { RunStore } from '../../src/store/run-store.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-store-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('a stream keeps what was appended, skips ids it already holds, and reopens with them', () => {
  const path = join(work, 'a', 'probe.jsonl');
  const { stream, records } = JsonlStream.open(path);
  assert.deepEqual(records, []);
  assert.equal(stream.append([{ id: 'a', x: 1 }, { id: 'b', x: 2 }]), 2);
  assert.equal(stream.append([{ id: 'b', x: 3 }, { id: 'c', x: 4 }]), 1);
  stream.close();
  const again = JsonlStream.open(path);
  assert.deepEqual(again.records, [{ id: 'a', x: 1 }, { id: 'b', x: 2 }, { id: 'c', x: 4 }]);
  assert.ok(again.stream.has('c'));
  again.stream.close();
});

test('a torn last line is cut off on reopening; a corrupt complete line is an error naming it', () => {
  const path = join(work, 'torn.jsonl');
  writeFileSync(path, '{"id":"a"}\n{"id":"b"}\n{"id":"c","val');
  const { stream, records, droppedBytes } = JsonlStream.open(path);
  assert.deepEqual(records.map((r) => r.id), ['a', 'b']);
  assert.equal(droppedBytes, '{"id":"c","val'.length);
  stream.append([{ id: 'c', v: 1 }]);
  stream.close();
  assert.equal(readFileSync(path, 'utf8'), '{"id":"a"}\n{"id":"b"}\n{"id":"c","v":1}\n');
  const bad = join(work, 'bad.jsonl');
  writeFileSync(bad, '{"id":"a"}\nnot json\n');
  assert.throws(() => readCommitted(bad), /bad\.jsonl:2: not valid JSON/);
  writeFileSync(bad, '{"id":"a"}\n{"x":1}\n');
  assert.throws(() => readCommitted(bad), /bad\.jsonl:2: id: every record needs a string id/);
});

test('the manifest keeps stage states across reopening and names the field when damaged', () => {
  const dir = join(work, 'run');
  const store = RunStore.open(dir, { config: { rounds: 2 } });
  store.update(0, 'probe', { state: 'running', startedAt: 't0' });
  store.update(0, 'probe', { state: 'done', records: 12 });
  store.updateRound(0, { model: { path: 'm0' } });
  store.writeRecords(0, 'dataset', [{ id: 's1' }, { id: 's2' }]);
  store.close();
  const again = RunStore.open(dir, { config: { ignored: true } });
  assert.deepEqual(again.manifest.config, { rounds: 2 });
  assert.deepEqual(again.stageState(0, 'probe'), { state: 'done', startedAt: 't0', records: 12 });
  assert.deepEqual(again.stageState(1, 'probe'), { state: 'pending' });
  assert.equal(readFileSync(join(dir, 'round-0', 'dataset.jsonl'), 'utf8'), '{"id":"s1"}\n{"id":"s2"}\n');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.rounds[0].stages.probe.state = 'half-done';
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  assert.throws(() => RunStore.open(dir, { config: {} }), /manifest\.json: rounds\[0\]\.stages\.probe\.state/);
});

const child = fileURLToPath(new URL('./appender-child.ts', import.meta.url));
function runChild(path: string, killAfterMs: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, path, '20000', '11'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    p.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(out.includes('finished'));
    });
  });
}

test('kill -9 at random points, then resume: every record exactly once', async () => {
  let killedMidway = 0;
  for (let trial = 0; trial < 8; trial++) {
    const path = join(work, `kill-${trial}.jsonl`);
    // the child starts in ~200 ms and appends for ~500 ms; kill it somewhere in between
    const finished = await runChild(path, 200 + ((trial * 83) % 450));
    if (!finished) killedMidway++;
    if (trial % 2 === 1) appendFileSync(path, '{"id":"r999999","pa'); // a torn write on top
    assert.ok(await runChild(path, undefined));
    const { records, droppedBytes } = readCommitted(path);
    assert.equal(droppedBytes, 0);
    const ids = records.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.equal(ids.length, 20000, `trial ${trial}: ${ids.length} records`);
    assert.deepEqual([...ids].sort(), Array.from({ length: 20000 }, (_, i) => `r${i}`).sort());
  }
  assert.ok(killedMidway >= 3, `only ${killedMidway} of 8 children were killed before finishing`);
});
