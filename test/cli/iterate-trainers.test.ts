// `looptool iterate` with the external trainers on a world run probed by the shipped base
// model: --dry-run writes each trainer's files and prints the commands; without it the
// commands run (here with a stand-in python3 that leaves verl's checkpoints and a 🤗 model)
// against a live reward server, and the trained model is taken back for the next round.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRewardServer } from '../../src/serve/reward-server.ts';
import { listenOnLoopback } from '../train/fixtures/listen.ts';
import { fakePython } from '../train/fixtures/fake-python.ts';
import { bin, looptool } from './fixtures/served-world.ts';

const BASE_MODEL = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'looptool-iterate-trainers-'));
const run = (...args: string[]) => looptool(work, ...args);
const verlDir = join(work, 'runs/v/trainers/verl/round-1');
const openRlhfDir = join(work, 'runs/v/trainers/openrlhf/round-1');
let server: Server;
let rewardUrl = '';

before(async () => {
  assert.equal(run('world', 'generate', '--n', '40', '--base', '10', '--test', '10', '--noise', '0.2', '--seed', '2', '--out', 'world').status, 0);
  const config = {
    data: join(work, 'world', 'seed.jsonl'),
    rounds: 2,
    budget: 8,
    model: { provider: 'engine', path: BASE_MODEL },
    probe: { batchSize: 8, maxTokens: 16 },
    expander: { kind: 'template', perSeed: 1 },
    trainer: { kind: 'none', verl: { nGpusPerNode: 2, tensorParallelSize: 2 }, openrlhf: { nGpusPerNode: 2, tensorParallelSize: 1 } },
  };
  writeFileSync(join(work, 'c.json'), JSON.stringify(config));
  server = createRewardServer();
  rewardUrl = await listenOnLoopback(server);
});
after(() => {
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

const roundOneIds = (): string[] =>
  readFileSync(join(work, 'runs/v/round-1/dataset.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);

const pyarrow = spawnSync('python3', ['-c', 'import pyarrow'], { encoding: 'utf8' }).status === 0;

test('iterate --trainer verl --dry-run writes the Parquet data, the reward module and launch scripts, and prints the commands', () => {
  const r = run('iterate', 'runs/v', '--config', 'c.json', '--trainer', 'verl', '--dry-run');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /round 1: verl training, in .*runs\/v\/trainers\/verl\/round-1\n/);
  assert.ok(r.stdout.includes(`    bash ${join(verlDir, 'train.sh')}\n`) && r.stdout.includes(`    bash ${join(verlDir, 'merge.sh')}\n`), r.stdout);
  assert.match(r.stdout, /  then:\n    # serve\n    vllm serve \S+checkpoint --served-model-name looptool-round-1 --enable-auto-tool-choice --tool-call-parser hermes --port 8000\n/);
  assert.match(r.stdout, /reward: looptool serve-reward must answer at http:\/\/127\.0\.0\.1:8300/);
  assert.match(r.stdout, /--dry-run, nothing launched/);
  assert.match(r.stdout, /round 1 waits for its trained model \(verl\)/);
  for (const f of ['data/train.parquet', 'data/validation.parquet', 'looptool_reward.py', 'train.sh', 'merge.sh']) assert.ok(existsSync(join(verlDir, f)), f);
  for (const f of ['train.sh', 'merge.sh']) assert.equal(spawnSync('bash', ['-n', join(verlDir, f)]).status, 0, f);
  const script = readFileSync(join(verlDir, 'train.sh'), 'utf8');
  assert.ok(script.includes(`actor_rollout_ref.model.path="${BASE_MODEL}"`), 'round 1 trains from the probed model');
  assert.ok(script.includes('trainer.n_gpus_per_node=2 \\\n') && script.includes('actor_rollout_ref.rollout.tensor_model_parallel_size=2 \\\n'));
  const m = JSON.parse(readFileSync(join(work, 'runs/v/manifest.json'), 'utf8'));
  assert.equal(m.rounds[0].stages.train.state, 'done');
  assert.equal(m.rounds[1].model, undefined, 'the run waits for a trained model');
  if (pyarrow) {
    const read = spawnSync('python3', ['-c', 'import sys, json, pyarrow.parquet as pq; print(json.dumps([r["extra_info"]["id"] for f in sys.argv[1:] for r in pq.read_table(f).to_pylist()]))', join(verlDir, 'data/train.parquet'), join(verlDir, 'data/validation.parquet')], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    assert.deepEqual((JSON.parse(read.stdout) as string[]).sort(), roundOneIds().sort(), 'every sample of round 1, once');
  }
});

test('the waiting round, rerun with --trainer openrlhf --dry-run, gets OpenRLHF\'s JSONL and train.sh', () => {
  const r = run('iterate', 'runs/v', '--trainer', 'openrlhf', '--dry-run');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /round 1: openrlhf training, in .*runs\/v\/trainers\/openrlhf\/round-1\n/);
  assert.ok(r.stdout.includes(`    bash ${join(openRlhfDir, 'train.sh')}\n`), r.stdout);
  assert.equal(spawnSync('bash', ['-n', join(openRlhfDir, 'train.sh')]).status, 0);
  const rows = readFileSync(join(openRlhfDir, 'data/train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; messages: unknown[]; ground_truth: string });
  assert.deepEqual(rows.map((x) => x.id), roundOneIds());
  assert.ok(rows.every((x) => x.messages.length >= 2 && typeof x.ground_truth === 'string'));
  assert.match(readFileSync(join(openRlhfDir, 'train.sh'), 'utf8'), /--remote_rm_url http:\/\/127\.0\.0\.1:8300\/get_reward/);
});

test('without --dry-run verl\'s commands run, and the trained model (an engine directory here) is probed next round', async () => {
  const py = fakePython(join(work, 'py'));
  const child = spawn(process.execPath, [bin, 'iterate', 'runs/v', '--trainer', 'verl', '--reward-url', rewardUrl], { cwd: work, env: { ...py.env, FAKE_MODEL_SOURCE: BASE_MODEL } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 0, stderr);
  assert.match(stdout, /finished 2 rounds/);
  assert.match(stderr, /\[verl\] fake python ran: verl\.trainer\.main_ppo/);
  assert.match(stderr, /\[verl\] merged .*global_step_7\/actor into .*round-1\/checkpoint/);
  const m = JSON.parse(readFileSync(join(work, 'runs/v/manifest.json'), 'utf8'));
  assert.equal(m.rounds[1].model.provider, 'engine');
  assert.equal(m.rounds[1].model.path, join(verlDir, 'checkpoint'));
  assert.equal(m.rounds[1].stages.probe.state, 'done', 'round 1 probed the trained model');
  assert.equal(m.rounds[2].model.path, join(work, 'runs/v/trainers/verl/round-2/checkpoint'));
  // round 2 trained from round 1's checkpoint
  assert.ok(readFileSync(join(work, 'runs/v/trainers/verl/round-2/train.sh'), 'utf8').includes(`actor_rollout_ref.model.path="${join(verlDir, 'checkpoint')}"`));
  const calls = py.calls().map((c) => c[1]);
  assert.deepEqual(calls, ['verl.trainer.main_ppo', 'verl.model_merger', 'verl.trainer.main_ppo', 'verl.model_merger']);
});

test('a bad trainer option stops the run before it starts, naming the config file and the field', () => {
  const r = run('iterate', 'runs/bad', '--config', 'c.json', '--trainer', 'verl', '--set', 'trainer.verl.nGpusPerNode=0');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /c\.json: trainer\.verl\.nGpusPerNode: /);
  assert.ok(!existsSync(join(work, 'runs/bad')), 'no run directory is made for a config that is refused');
  const typo = run('iterate', 'runs/bad', '--config', 'c.json', '--trainer', 'openrlhf', '--set', 'trainer.openrlhf.learningRate=1e-5');
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /c\.json: trainer\.openrlhf\.learningRate: Unrecognized key/);
});
