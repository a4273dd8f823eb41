/**
 * The verl plug-in: prepare writes the Parquet data, the reward module and launch scripts that
 * bash accepts, in a folder whose path has a space and a quote; the scripts, run with a stand-in
 * python3 and a live reward server, pass verl exactly the paper's settings; launch streams the
 * output and collect finds the merged model.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRewardServer } from '../../../src/serve/reward-server.ts';
import { listenOnLoopback } from '../fixtures/listen.ts';
import { TrainerConfigError } from '../../../src/train/trainer-config-error.ts';
import type { TrainerRound } from '../../../src/train/trainer-plugin.ts';
import { hydraString } from '../../../src/train/verl/hydra-override.ts';
import { VERL_REWARD_MODULE, verlTrainer } from '../../../src/train/verl/verl-trainer.ts';
import { generateSplit } from '../../../src/world/generate.ts';
import { fakePython, overridesOf, runBash } from '../fixtures/fake-python.ts';

const root = mkdtempSync(join(tmpdir(), 'looptool-verl-trainer-'));
const workDir = join(root, "runs/my run's dir/trainers/verl/round-1");
const datasetPath = join(root, 'dataset.jsonl');
const modelDir = join(root, 'base model');
let server: Server;
let rewardUrl = '';

before(async () => {
  writeFileSync(datasetPath, generateSplit('seed', 40, 4).map((s) => JSON.stringify(s)).join('\n') + '\n');
  mkdirSync(modelDir);
  server = createRewardServer();
  rewardUrl = await listenOnLoopback(server);
});
after(() => {
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

function round(options: Record<string, unknown> = {}, from: TrainerRound['from'] = { kind: 'path', path: modelDir }): TrainerRound {
  return { round: 1, datasetPath, from, workDir, rewardUrl, options, seed: 3 };
}

test('prepare writes the data, the reward module and scripts bash accepts, and names the commands', async () => {
  const prepared = await verlTrainer.prepare(round({ nGpusPerNode: 4, tensorParallelSize: 2 }));
  assert.deepEqual(prepared.files, ['data/train.parquet', 'data/validation.parquet', 'looptool_reward.py', 'train.sh', 'merge.sh'].map((f) => join(workDir, f)));
  for (const f of prepared.files) assert.ok(existsSync(f), f);
  assert.equal(readFileSync(join(workDir, 'looptool_reward.py'), 'utf8'), readFileSync(VERL_REWARD_MODULE, 'utf8'));
  assert.equal(readFileSync(join(workDir, 'data/train.parquet')).subarray(0, 4).toString(), 'PAR1');
  for (const script of ['train.sh', 'merge.sh']) {
    const check = spawnSync('bash', ['-n', join(workDir, script)], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${script}: ${check.stderr}`);
    assert.match(readFileSync(join(workDir, script), 'utf8'), /^#!\/usr\/bin\/env bash\n(#.*\n)*set -euo pipefail\n/);
  }
  assert.deepEqual(prepared.commands.map((c) => [c.label, c.after ?? false]), [['train', false], ['merge FSDP checkpoint', false], ['serve', true]]);
  assert.equal(prepared.commands[0]!.shell, `bash '${workDir.replace("'", "'\\''")}/train.sh'`);
  assert.equal(
    prepared.commands[2]!.shell,
    `vllm serve '${join(workDir, 'checkpoint').replace("'", "'\\''")}' --served-model-name looptool-round-1 --enable-auto-tool-choice --tool-call-parser hermes --port 8000`,
  );
  assert.equal(prepared.checkpointDir, join(workDir, 'checkpoint'));
  // prepare again: the same files, rewritten
  const again = await verlTrainer.prepare(round({ nGpusPerNode: 4, tensorParallelSize: 2 }));
  assert.deepEqual(again, prepared);
});

test('train.sh passes verl the paper\'s GRPO settings as Hydra overrides, paths quoted whole', async () => {
  await verlTrainer.prepare(round({ nGpusPerNode: 4, tensorParallelSize: 2, rewardManager: 'batch', extraOverrides: ['trainer.val_before_train=False'] }));
  const py = fakePython(join(root, 'train-sh'));
  const r = await runBash(join(workDir, 'train.sh'), py.env);
  assert.equal(r.status, 0, r.stderr);
  const calls = py.calls();
  assert.equal(calls.length, 1);
  const args = calls[0]!;
  assert.deepEqual(args.slice(0, 2), ['-m', 'verl.trainer.main_ppo']);
  const o = overridesOf(args.slice(2));
  const q = (path: string) => `"${path}"`;
  const expected: Record<string, string> = {
    'algorithm.adv_estimator': 'grpo',
    'actor_rollout_ref.actor.clip_ratio_low': '0.2',
    'actor_rollout_ref.actor.clip_ratio_high': '0.28',
    'actor_rollout_ref.actor.clip_ratio_c': '3.0',
    'actor_rollout_ref.actor.loss_agg_mode': 'token-mean',
    'actor_rollout_ref.actor.use_kl_loss': 'False',
    'algorithm.use_kl_in_reward': 'False',
    'actor_rollout_ref.actor.optim.lr': '0.000001',
    'actor_rollout_ref.rollout.n': '16',
    'actor_rollout_ref.rollout.temperature': '1.0',
    'actor_rollout_ref.rollout.name': 'vllm',
    'actor_rollout_ref.rollout.tensor_model_parallel_size': '2',
    'data.train_batch_size': '256',
    'actor_rollout_ref.actor.ppo_mini_batch_size': '32',
    'data.max_prompt_length': '4096',
    'data.max_response_length': '1024',
    'trainer.total_epochs': '4',
    'trainer.n_gpus_per_node': '4',
    'trainer.nnodes': '1',
    'trainer.logger': '["console"]',
    'trainer.project_name': '"looptool"',
    'trainer.experiment_name': '"looptool-round-1"',
    'data.train_files': q(join(workDir, 'data/train.parquet')),
    'data.val_files': q(join(workDir, 'data/validation.parquet')),
    'actor_rollout_ref.model.path': q(modelDir),
    'custom_reward_function.path': q(join(workDir, 'looptool_reward.py')),
    'custom_reward_function.name': 'compute_score_batch',
    'reward_model.reward_manager': 'batch',
    'trainer.default_local_dir': q(join(workDir, 'verl-checkpoints')),
    '++ray_kwargs.ray_init.runtime_env.env_vars.LOOPTOOL_REWARD_URL': q(rewardUrl),
    'trainer.val_before_train': 'False',
  };
  for (const [key, value] of Object.entries(expected)) assert.equal(o.get(key), value, key);
  // the user's override comes after looptool's own, so Hydra applies it last
  assert.equal(args.at(-1), 'trainer.val_before_train=False');
  assert.match(r.stdout, /fake python ran: verl\.trainer\.main_ppo/);
});

test('train.sh stops before verl starts when the reward server does not answer', { skip: spawnSync('curl', ['--version']).status === 0 ? false : 'curl is not installed' }, async () => {
  const down = { ...round(), rewardUrl: 'http://127.0.0.1:9' };
  await verlTrainer.prepare(down);
  const py = fakePython(join(root, 'down'));
  const r = spawnSync('bash', [join(workDir, 'train.sh')], { encoding: 'utf8', env: py.env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /reward server does not answer at http:\/\/127\.0\.0\.1:9\/health; start it with: looptool serve-reward --port 9/);
  assert.equal(py.calls().length, 0);
});

test('launch runs train and merge, streaming their lines; collect then finds the merged model', async () => {
  const prepared = await verlTrainer.prepare(round());
  rmSync(prepared.checkpointDir, { recursive: true, force: true });
  assert.equal(await verlTrainer.collect(round(), prepared), undefined, 'nothing trained yet');
  // the stand-in trainer leaves what verl does: its tracker (step 7) and that step's actor shards
  const checkpoints = join(workDir, 'verl-checkpoints');
  rmSync(checkpoints, { recursive: true, force: true });
  const py = fakePython(join(root, 'launch'));
  const lines: string[] = [];
  const path = process.env['PATH'];
  process.env['PATH'] = py.env['PATH'];
  process.env['FAKE_PYTHON_CALLS'] = py.env['FAKE_PYTHON_CALLS'];
  try {
    await verlTrainer.launch(round(), prepared, { log: (l) => lines.push(l) });
  } finally {
    process.env['PATH'] = path;
    delete process.env['FAKE_PYTHON_CALLS'];
  }
  const calls = py.calls();
  assert.equal(calls.length, 2, 'train and merge ran; serve did not');
  assert.deepEqual(calls[1], ['-m', 'verl.model_merger', 'merge', '--backend', 'fsdp', '--local_dir', join(checkpoints, 'global_step_7', 'actor'), '--target_dir', `${prepared.checkpointDir}.partial`]);
  assert.ok(lines.includes('fake python ran: verl.trainer.main_ppo') && lines.includes('a line on stderr'), lines.join('\n'));
  assert.ok(lines.includes(`merged ${join(checkpoints, 'global_step_7', 'actor')} into ${prepared.checkpointDir}`));
  assert.ok(!existsSync(`${prepared.checkpointDir}.partial`));
  assert.deepEqual(await verlTrainer.collect(round(), prepared), { kind: 'path', path: prepared.checkpointDir });
  assert.deepEqual(await verlTrainer.collect(round({ endpoint: 'http://127.0.0.1:8000/v1', servedModelName: 'mine' }), prepared), { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8000/v1', model: 'mine' });
});

test('a failing command stops launch with its name, exit code and last lines', async () => {
  const prepared = await verlTrainer.prepare(round());
  const py = fakePython(join(root, 'fail'));
  const path = process.env['PATH'];
  Object.assign(process.env, { PATH: py.env['PATH'], FAKE_PYTHON_CALLS: py.env['FAKE_PYTHON_CALLS'], FAKE_PYTHON_EXIT: '3' });
  try {
    await assert.rejects(verlTrainer.launch(round(), prepared, { log: () => {} }), /the train command exited with code 3; its last lines:\n(.*\n)*a line on stderr/);
  } finally {
    process.env['PATH'] = path;
    delete process.env['FAKE_PYTHON_CALLS'];
    delete process.env['FAKE_PYTHON_EXIT'];
  }
  assert.equal(py.calls().length, 1, 'merge did not run after a failed training');
});

test('merge.sh refuses when verl left no checkpoint', async () => {
  await verlTrainer.prepare(round());
  rmSync(join(workDir, 'verl-checkpoints'), { recursive: true, force: true });
  const py = fakePython(join(root, 'no-ckpt'));
  const r = spawnSync('bash', [join(workDir, 'merge.sh')], { encoding: 'utf8', env: py.env });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no verl checkpoint in .*verl-checkpoints \(no latest_checkpointed_iteration\.txt\): did training finish\?/);
  assert.equal(py.calls().length, 0);
});

test('bad options name their field under trainer.verl', async () => {
  const field = async (options: Record<string, unknown>, from?: TrainerRound['from']): Promise<string> => {
    const e = await verlTrainer.prepare(round(options, from)).then(
      () => assert.fail('accepted'),
      (x: unknown) => x,
    );
    assert.ok(e instanceof TrainerConfigError, String(e));
    return `${e.field}: ${e.detail}`;
  };
  assert.match(await field({ nGpusPerNode: 0 }), /^trainer\.verl\.nGpusPerNode: /);
  assert.match(await field({ lR: 1e-5 }), /^trainer\.verl\.lR: Unrecognized key/);
  assert.match(await field({ tensorParallelSize: 3 }), /^trainer\.verl\.tensorParallelSize: 3 does not divide the 8 GPUs/);
  assert.match(await field({ loggers: ['wandb; rm -rf'] }), /^trainer\.verl\.loggers\[0\]: /);
  assert.match(await field({ experimentName: 'run-${now:%H}' }), /^trainer\.verl\.experimentName: must not contain "\$\{"/);
  assert.match(await field({}, { kind: 'endpoint', baseUrl: 'http://h:8000/v1', model: 'qwen' }), /^trainer\.verl\.modelPath: round 1 starts from the model served at http:\/\/h:8000\/v1/);
  // a served starting model with modelPath: the hub id is passed as is
  await verlTrainer.prepare(round({ modelPath: 'Qwen/Qwen3-8B' }, { kind: 'endpoint', baseUrl: 'http://h:8000/v1', model: 'qwen' }));
  assert.match(readFileSync(join(workDir, 'train.sh'), 'utf8'), /actor_rollout_ref\.model\.path="Qwen\/Qwen3-8B"/);
});

test('Hydra strings: quotes and the backslashes before them escaped, interpolations refused', () => {
  assert.equal(hydraString('/a b/c'), '"/a b/c"');
  assert.equal(hydraString('say "hi"'), '"say \\"hi\\""');
  assert.equal(hydraString('ends\\'), '"ends\\\\"');
  assert.equal(hydraString('a\\"b'), '"a\\\\\\"b"');
  assert.equal(hydraString('a\\b'), '"a\\b"', 'a backslash before anything else stays single');
  assert.throws(() => hydraString('/x/${HOME}'), /would read as an interpolation/);
});
