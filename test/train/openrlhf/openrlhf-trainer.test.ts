/**
 * The OpenRLHF plug-in: prepare writes the round as the JSONL OpenRLHF's prompt dataset reads
 * (read back by python3, and by 🤗 datasets when installed) and a train.sh bash accepts, in a
 * folder whose path has a space and a quote; run with a stand-in python3 and a live reward
 * server, the script passes OpenRLHF the paper's GRPO settings, and collect finds the model.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { renderLabelForReward } from '../../../src/check/reward.ts';
import { InputError } from '../../../src/core/records.ts';
import { createRewardServer } from '../../../src/serve/reward-server.ts';
import { listenOnLoopback } from '../fixtures/listen.ts';
import { openRlhfTrainer } from '../../../src/train/openrlhf/openrlhf-trainer.ts';
import { TrainerConfigError } from '../../../src/train/trainer-config-error.ts';
import type { TrainerRound } from '../../../src/train/trainer-plugin.ts';
import { verlPrompt } from '../../../src/train/verl/rows.ts';
import { generateSplit } from '../../../src/world/generate.ts';
import { fakePython, runBash } from '../fixtures/fake-python.ts';

const root = mkdtempSync(join(tmpdir(), 'looptool-openrlhf-'));
const workDir = join(root, "runs/my run's dir/trainers/openrlhf/round-1");
const datasetPath = join(root, 'dataset.jsonl');
const modelDir = join(root, 'base model');
const samples = generateSplit('seed', 30, 6);
let server: Server;
let rewardUrl = '';

before(async () => {
  writeFileSync(datasetPath, samples.map((s) => JSON.stringify(s)).join('\n') + '\n');
  mkdirSync(modelDir);
  server = createRewardServer();
  rewardUrl = await listenOnLoopback(server);
});
after(() => {
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

function round(options: Record<string, unknown> = {}, dir = workDir): TrainerRound {
  return { round: 1, datasetPath, from: { kind: 'path', path: modelDir }, workDir: dir, rewardUrl, options, seed: 9 };
}

const READ_BACK = `
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
out = {"rows": rows}
try:
    import datasets
    datasets.disable_progress_bars()
    loaded = datasets.load_dataset("json", data_files=sys.argv[1], cache_dir=sys.argv[2], split="train")
    out["datasets"] = [loaded[i] for i in range(len(loaded))]
except ImportError:
    pass
print(json.dumps(out))
`;

test('prepare writes the round as OpenRLHF prompt JSONL and a train.sh bash accepts', async () => {
  const prepared = await openRlhfTrainer.prepare(round());
  assert.deepEqual(prepared.files, [join(workDir, 'data/train.jsonl'), join(workDir, 'train.sh')]);
  assert.equal(spawnSync('bash', ['-n', join(workDir, 'train.sh')]).status, 0);
  assert.deepEqual(prepared.commands.map((c) => [c.label, c.after ?? false]), [['train', false], ['serve', true]]);
  assert.equal(prepared.checkpointDir, join(workDir, 'checkpoint'));
  const r = spawnSync('python3', ['-c', READ_BACK, prepared.files[0]!, join(root, 'hf-cache')], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, HF_DATASETS_OFFLINE: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const read = JSON.parse(r.stdout) as { rows: Record<string, unknown>[]; datasets?: Record<string, unknown>[] };
  assert.equal(read.rows.length, samples.length);
  read.rows.forEach((row, i) => {
    assert.deepEqual(row['messages'], verlPrompt(samples[i]!));
    assert.equal(row['ground_truth'], renderLabelForReward(samples[i]!.label));
    assert.equal(row['datasource'], 'looptool');
    assert.equal(row['id'], samples[i]!.id);
  });
  // 🤗 datasets, which OpenRLHF loads the file with, reads the same rows
  if (read.datasets) assert.deepEqual(read.datasets, read.rows);
});

test('train.sh passes OpenRLHF GRPO with the paper\'s settings and the reward server, then collect finds the model', async () => {
  const prepared = await openRlhfTrainer.prepare(round({ nGpusPerNode: 4, tensorParallelSize: 2, extraArgs: ['--use_tensorboard', 'logs dir'] }));
  assert.equal(await openRlhfTrainer.collect(round(), prepared), undefined);
  const py = fakePython(join(root, 'train'));
  const r = await runBash(join(workDir, 'train.sh'), py.env);
  assert.equal(r.status, 0, r.stderr);
  const calls = py.calls();
  assert.equal(calls.length, 1);
  const args = calls[0]!;
  assert.deepEqual(args.slice(0, 2), ['-m', 'openrlhf.cli.train_ppo_ray']);
  const after = (flag: string, n = 1): string[] => {
    const i = args.indexOf(`--${flag}`);
    assert.ok(i >= 0, `--${flag} is passed`);
    return args.slice(i + 1, i + 1 + n);
  };
  assert.deepEqual(after('pretrain'), [modelDir]);
  assert.deepEqual(after('prompt_data'), [join(workDir, 'data/train.jsonl')]);
  assert.deepEqual(after('input_key'), ['messages']);
  assert.deepEqual(after('label_key'), ['ground_truth']);
  assert.ok(args.includes('--apply_chat_template'));
  assert.deepEqual(after('remote_rm_url'), [`${rewardUrl}/get_reward`]);
  assert.deepEqual(after('advantage_estimator'), ['group_norm']);
  assert.deepEqual(after('n_samples_per_prompt'), ['16']);
  assert.deepEqual(after('init_kl_coef'), ['0']);
  assert.deepEqual(after('eps_clip_low_high', 2), ['0.2', '0.28']);
  assert.deepEqual(after('dual_clip'), ['3']);
  assert.deepEqual(after('actor_learning_rate'), ['0.000001']);
  assert.deepEqual(after('temperature'), ['1']);
  assert.deepEqual(after('rollout_batch_size'), ['256']);
  assert.deepEqual(after('train_batch_size'), ['512']);
  assert.deepEqual(after('num_episodes'), ['4']);
  assert.deepEqual(after('prompt_max_len'), ['4096']);
  assert.deepEqual(after('generate_max_len'), ['1024']);
  assert.deepEqual(after('actor_num_gpus_per_node'), ['4']);
  assert.deepEqual(after('vllm_num_engines'), ['2']);
  assert.deepEqual(after('vllm_tensor_parallel_size'), ['2']);
  assert.deepEqual(after('seed'), ['9']);
  assert.deepEqual(after('save_path'), [`${prepared.checkpointDir}.partial`]);
  assert.ok(!args.includes('--ref_num_nodes'), 'no reference model without a KL term');
  assert.deepEqual(args.slice(-2), ['--use_tensorboard', 'logs dir']);
  assert.match(r.stdout, /saved the trained model to .*checkpoint\n$/);
  assert.ok(!existsSync(`${prepared.checkpointDir}.partial`));
  assert.deepEqual(await openRlhfTrainer.collect(round(), prepared), { kind: 'path', path: prepared.checkpointDir });
  assert.equal(readFileSync(join(prepared.checkpointDir, 'config.json'), 'utf8').trim(), '{"model_type": "qwen3"}');
});

test('a failed training leaves no model to collect', async () => {
  const prepared = await openRlhfTrainer.prepare(round());
  rmSync(prepared.checkpointDir, { recursive: true, force: true });
  const py = fakePython(join(root, 'fail'));
  const r = await runBash(join(workDir, 'train.sh'), { ...py.env, FAKE_PYTHON_EXIT: '1' });
  assert.equal(r.status, 1);
  assert.equal(await openRlhfTrainer.collect(round(), prepared), undefined);
});

test('bad options name their field under trainer.openrlhf; a path OpenRLHF would split is refused', async () => {
  const problem = async (options: Record<string, unknown>, dir?: string): Promise<unknown> =>
    openRlhfTrainer.prepare(round(options, dir)).then(
      () => assert.fail('accepted'),
      (x: unknown) => x,
    );
  const e1 = await problem({ groupSize: 1 });
  assert.ok(e1 instanceof TrainerConfigError && e1.field === 'trainer.openrlhf.groupSize', String(e1));
  const e2 = await problem({ tensorParallelSize: 3 });
  assert.ok(e2 instanceof TrainerConfigError && e2.field === 'trainer.openrlhf.tensorParallelSize', String(e2));
  const e3 = await problem({ epochs: 2 });
  assert.ok(e3 instanceof TrainerConfigError && e3.field === 'trainer.openrlhf.epochs', String(e3));
  const e4 = await problem({}, join(root, 'runs/a,b/round-1'));
  assert.ok(e4 instanceof InputError && /splits dataset paths at "," and "@"/.test(e4.message), String(e4));
});
