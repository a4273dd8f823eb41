// `looptool demo --profile smoke` end to end from the shipped base model: both arms,
// evaluation, cleaning figures, report; a rerun continues from the finished state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin } from './fixtures/served-world.ts';

function demo(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'demo', ...args], { encoding: 'utf8', timeout: 600_000 });
}

/** Starts the demo and sends SIGINT once it is training; resolves with its exit code and stderr. */
function interruptWhileTraining(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'demo', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && /grpo: /.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('the smoke demo runs both arms from the shipped base model, stops cleanly, reports and resumes', async () => {
  const work = mkdtempSync(join(tmpdir(), 'looptool-demo-'));
  try {
    const out = join(work, 'run');
    const stopped = await interruptWhileTraining(['--profile', 'smoke', '--seed', '3', '--out', out]);
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /stopped; everything done so far is in .*Run the same command to continue/);
    const first = demo('--profile', 'smoke', '--seed', '3', '--out', out, '--ablations', 'as-probed', '--json');
    assert.equal(first.status, 0, first.stderr);
    const s = JSON.parse(first.stdout) as {
      seconds: number;
      base: number;
      static: number[];
      looptool: number[];
      steps: number[];
      by_kind: Record<string, { base: number; static: number[]; looptool: number[] }>;
      composition: { round: number; samples: number; errorSeeds: number; expanded: number }[];
      cleaning: { wrong_labels: number; reached: number; fixed: number; dropped: number; missed: number; clean_reached: number; clean_changed: number };
      report: string;
      ablations: Record<string, number[]>;
    };
    // the smoke profile has 2 rounds: the base model and one evaluation after each round
    assert.equal(s.looptool.length, 3);
    assert.equal(s.static.length, 3);
    assert.equal(s.looptool[0], s.base);
    assert.equal(s.static[0], s.base);
    for (const a of [...s.looptool, ...s.static]) assert.ok(a >= 0 && a <= 1);
    assert.ok(s.steps[2]! > s.steps[1]! && s.steps[1]! > 0, `steps ${s.steps}`);
    for (const k of Object.values(s.by_kind)) assert.equal(k.looptool.length, 3);
    // the ablation arm starts from the same base model and reports every round
    assert.equal(s.ablations['as-probed']?.length, 3);
    assert.equal(s.ablations['as-probed']![0], s.base);
    assert.equal(s.composition.length, 2);
    for (const c of s.composition) assert.ok(c.samples > 0);
    const c = s.cleaning;
    assert.equal(c.fixed + c.dropped + c.missed, c.reached);
    assert.ok(c.reached <= c.wrong_labels && c.wrong_labels > 0, JSON.stringify(c));
    assert.ok(c.clean_changed <= c.clean_reached);

    // both arms took the same GRPO steps each round
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { looptool: { steps: number }[]; static: { steps: number }[] };
    assert.deepEqual(summary.static.map((r) => r.steps), summary.looptool.map((r) => r.steps));
    assert.ok(existsSync(join(out, 'looptool', 'round-1', 'dataset.jsonl')));
    const html = readFileSync(s.report, 'utf8');
    assert.equal(html.match(/<svg/g)?.length, 3);

    // the loop's new samples offer no more tools than the base model learned on (the shipped model: 2-3)
    const expanded = readFileSync(join(out, 'looptool', 'round-1', 'dataset.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tools: unknown[]; provenance: { source: string } });
    assert.ok(expanded.some((x) => x.provenance.source === 'expanded'), 'round 1 has expanded samples');
    for (const x of expanded) assert.ok(x.tools.length <= 3, `${x.tools.length} tools offered`);

    // a rerun finds every round done, keeps the world data and reports the same figures
    const worldWritten = statSync(join(out, 'world', 'seed.jsonl')).mtimeMs;
    const again = demo('--profile', 'smoke', '--seed', '3', '--out', out, '--ablations', 'as-probed', '--json');
    assert.equal(again.status, 0, again.stderr);
    const s2 = JSON.parse(again.stdout) as typeof s;
    assert.deepEqual([s2.looptool, s2.static, s2.cleaning, s2.ablations], [s.looptool, s.static, s.cleaning, s.ablations]);
    assert.ok(s2.seconds < 20, `a rerun of a finished demo took ${s2.seconds}s`);
    assert.equal(statSync(join(out, 'world', 'seed.jsonl')).mtimeMs, worldWritten, 'the rerun did not write the world again');

    // the directory belongs to its settings
    const other = demo('--profile', 'smoke', '--seed', '4', '--out', out);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /another seed/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('demo --help teaches the profiles and the flags; a bad ablation name is refused', () => {
  const help = demo('--help');
  assert.equal(help.status, 0);
  for (const word of ['smoke', 'quick', 'full', '--ablations', 'report.html', 'static GRPO']) assert.ok(help.stdout.includes(word), word);
  const bad = demo('--ablations', 'no-such', '--profile', 'smoke');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown ablation "no-such"/);
});
