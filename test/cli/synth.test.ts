/**
 * `looptool synth` as a user runs it: help with an example, a run killed with SIGKILL
 * midway and run again ends with every dialogue once, other settings over the same
 * directory are refused by field, and a broken tool file is named by pointer.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bin } from './fixtures/served-world.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-synth-'));
after(() => rmSync(work, { recursive: true, force: true }));

const ARGS = ['synth', '--tools', 'world', '--n', '6', '--model', 'embedded', '--concurrency', '1', '--seed', '4'];

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });
}

function recorded(dir: string): string[] {
  const path = join(work, dir, 'round-0', 'dialogues.jsonl');
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
}

/** Starts a run and SIGKILLs it once `dialogues` are recorded. */
function killAfter(dir: string, dialogues: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...ARGS, '--out', dir], { cwd: work, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (recorded(dir).length >= dialogues) p.kill('SIGKILL');
    }, 20);
    p.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal !== 'SIGKILL') reject(new Error(`the run ended by itself (code ${code}) before it could be killed`));
      else resolve(recorded(dir).length);
    });
  });
}

test('--help explains the roles and gives an example', () => {
  const r = run(['synth', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:\n\s+looptool synth --tools world --n 20 --model embedded/);
  assert.match(r.stdout, /--policy <cut\|drop>/);
});

test('killed with SIGKILL midway and run again, it finishes with every dialogue once', async () => {
  const killedAt = await killAfter('run', 2);
  assert.ok(killedAt >= 2 && killedAt < 6, `killed with ${killedAt} dialogues recorded`);
  const again = run([...ARGS, '--out', 'run']);
  assert.equal(again.status, 0, again.stderr);
  const ids = recorded('run').map((l) => (JSON.parse(l) as { id: string }).id);
  assert.deepEqual([...ids].sort(), ['d000000', 'd000001', 'd000002', 'd000003', 'd000004', 'd000005']);
  const summary = JSON.parse(readFileSync(join(work, 'run', 'summary.json'), 'utf8'));
  assert.equal(summary.dialogues.recorded, 6);
  assert.match(again.stdout, /dialogues\s+6\/6 recorded/);
  const samples = readFileSync(join(work, 'run', 'samples.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  assert.equal(samples.length, summary.samples.total);
  assert.equal(new Set(samples.map((l) => JSON.parse(l).id)).size, samples.length);
});

test('the same directory with other settings is refused, naming the setting', () => {
  const r = run(['synth', '--tools', 'world', '--n', '6', '--model', 'embedded', '--seed', '5', '--out', 'run']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /manifest\.json: config\.seed: this run was made with 4, the command asks for 5/);
});

test('a tool file with a broken tool is refused with its file, line and pointer', () => {
  writeFileSync(join(work, 'tools.json'), JSON.stringify([{ name: 'ok_tool', parameters: { type: 'object', properties: {} } }, { description: 'no name', parameters: { type: 'object' } }], null, 2));
  const r = run(['synth', '--tools', 'tools.json', '--model', 'embedded', '--out', 'bad']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /tools\.json:\d+: \/1/);
  assert.ok(!existsSync(join(work, 'bad')), 'nothing is written for a refused tool set');
});
