/** Running a prepared training's commands: lines streamed in order, `after` commands left alone, a signal stopping the whole process group. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCommands, TrainerCommandError } from '../../src/train/run-commands.ts';

test('commands run in order from the folder, their lines streamed; after-commands are not run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looptool-run-commands-'));
  try {
    const lines: string[] = [];
    await runCommands(
      [
        { label: 'one', shell: 'echo first; echo "on stderr" >&2; pwd' },
        { label: 'serve', shell: 'touch served', after: true },
        { label: 'two', shell: 'printf "a\\nb"' },
      ],
      dir,
      { log: (l) => lines.push(l) },
    );
    assert.deepEqual(lines.filter((l) => l !== 'on stderr'), ['first', dir, 'a', 'b']);
    assert.ok(lines.includes('on stderr'));
    assert.ok(!existsSync(join(dir, 'served')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a signal stops the running command and every process it started', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'looptool-run-commands-'));
  try {
    const abort = new AbortController();
    const started = Date.now();
    // a child that outlives its shell unless the whole group is stopped, writing its pid first
    const running = runCommands([{ label: 'train', shell: '(sleep 30; touch survived) & echo $! > child.pid; echo started; wait' }], dir, {
      signal: abort.signal,
      log: (l) => {
        if (l === 'started') abort.abort();
      },
    });
    await assert.rejects(running, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    assert.ok(Date.now() - started < 5000, 'stopped at once, not after the sleep');
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    const alive = (): boolean => existsSync(`/proc/${pid}`);
    // an orphan is reaped by init a moment after it dies
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!alive(), 'the background child is gone too');
    assert.ok(!existsSync(join(dir, 'survived')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing command is named with its exit code', async () => {
  await assert.rejects(runCommands([{ label: 'merge FSDP checkpoint', shell: 'echo broken >&2; exit 4' }], tmpdir(), { log: () => {} }), (e: unknown) => e instanceof TrainerCommandError && /^the merge FSDP checkpoint command exited with code 4; its last lines:\nbroken$/.test(e.message));
});
