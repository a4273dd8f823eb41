/**
 * The TRL plug-in without TRL: what `prepare` writes, `launch` streaming a stand-in
 * trainer's lines and stopping its whole process tree on abort, `collect` finding the
 * model. With python3 (standard library only), the shipped training script is run for
 * real up to the point that needs TRL: it refuses to start without a reward server, and
 * its reward function scores completions through a live `serve-reward` exactly as the
 * TypeScript matcher does.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scoreToolCallReward } from '../../../src/check/reward.ts';
import { createRewardServer } from '../../../src/serve/reward-server.ts';
import { listenOnLoopback } from '../fixtures/listen.ts';
import type { TrainerRound } from '../../../src/train/trainer-plugin.ts';
import type { TrlRow } from '../../../src/train/trl/dataset.ts';
import { TrainerCommandError } from '../../../src/train/run-commands.ts';
import { TrainerConfigError } from '../../../src/train/trainer-config-error.ts';
import { trlTrainer } from '../../../src/train/trl/trl-trainer.ts';
import { generateSplit } from '../../../src/world/generate.ts';

const baseModel = fileURLToPath(new URL('../../../assets/base-model', import.meta.url));
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skipPython = python.status === 0 ? false : 'python3 is not installed';

// A space and a quote in the path: every path in train.sh must be quoted.
const work = mkdtempSync(join(tmpdir(), "looptool trl 'plug-in' "));
after(() => rmSync(work, { recursive: true, force: true }));

const samples = generateSplit('seed', 6, 11, undefined, { min: 1, max: 2 });
const datasetPath = join(work, 'round-1.jsonl');
writeFileSync(datasetPath, samples.map((s) => JSON.stringify(s)).join('\n') + '\n');

let server: Server;
let rewardUrl: string;
let rewardRequests = 0;
before(async () => {
  server = createRewardServer();
  server.on('request', (req) => {
    if (req.url === '/reward') rewardRequests++;
  });
  rewardUrl = await listenOnLoopback(server);
});
after(() => {
  server.close();
  server.closeAllConnections();
});

function round(name: string, options: Record<string, unknown> = {}, overrides: Partial<TrainerRound> = {}): TrainerRound {
  return { round: 1, datasetPath, from: { kind: 'path', path: baseModel }, workDir: join(work, name), rewardUrl, options, seed: 5, ...overrides };
}

/** A stand-in for python3: prints its arguments and the reward address, then does what `body` says. */
function fakePython(name: string, body: string): string {
  const path = join(work, `${name}.sh`);
  writeFileSync(path, `#!/usr/bin/env bash\necho "fake trainer: $*"\necho "reward at $LOOPTOOL_REWARD_URL" >&2\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('prepare writes the dataset, the script, its reward client, the run config and a train.sh that bash accepts', async () => {
  const r = round('prepare');
  const prepared = await trlTrainer.prepare(r);
  const dir = r.workDir;
  assert.deepEqual(prepared.files.map((f) => f.slice(dir.length + 1)), ['data/train.jsonl', 'train_grpo.py', 'looptool_reward.py', 'trl-run.json', 'train.sh']);
  assert.equal(prepared.checkpointDir, join(dir, 'model'));

  const rows = readFileSync(join(dir, 'data/train.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as TrlRow);
  assert.deepEqual(rows.map((row) => row.sample_id), samples.map((s) => s.id));

  const config = JSON.parse(readFileSync(join(dir, 'trl-run.json'), 'utf8')) as Record<string, unknown> & { grpo: Record<string, unknown> };
  assert.equal(config['model'], baseModel);
  assert.equal(config['reward_url'], rewardUrl);
  assert.equal(config['checkpoint_dir'], join(dir, 'model'));
  assert.equal(config['output_dir'], join(dir, 'output'));
  assert.equal(config['resume'], true);
  assert.equal(config.grpo['num_generations'], 16);
  assert.equal(config.grpo['epsilon_high'], 0.28);
  assert.equal(config.grpo['beta'], 0);
  assert.equal(config.grpo['seed'], 5);

  const shell = readFileSync(join(dir, 'train.sh'), 'utf8');
  assert.match(shell, /^#!\/usr\/bin\/env bash\n/);
  assert.match(shell, /\nset -euo pipefail\n/);
  assert.ok(shell.includes(`cd '${dir.replace(/'/g, `'\\''`)}'`), shell);
  assert.match(shell, /\nexec python3 '.*train_grpo\.py' --config '.*trl-run\.json'\n/);
  const syntax = spawnSync('bash', ['-n', join(dir, 'train.sh')], { encoding: 'utf8' });
  assert.equal(syntax.status, 0, syntax.stderr);

  const [train, serve] = prepared.commands;
  assert.equal(train!.after, undefined);
  assert.match(train!.shell, /^bash '.*train\.sh'$/);
  assert.equal(serve!.after, true);
  assert.match(serve!.shell, /^vllm serve '.*model' --served-model-name looptool-round-1 --enable-auto-tool-choice --tool-call-parser hermes --port 8000$/);
  assert.equal(await trlTrainer.collect(r, prepared), undefined, 'nothing is collected before training');
});

test('several GPUs: accelerate launch with the process count, config file and devices', async () => {
  const r = round('accelerate', { launcher: 'accelerate', numProcesses: 4, perDeviceTrainBatchSize: 4, accelerateConfig: '/etc/ds zero3.yaml', gpus: '0,1,2,3' });
  await trlTrainer.prepare(r);
  const shell = readFileSync(join(r.workDir, 'train.sh'), 'utf8');
  assert.match(shell, /\nexport CUDA_VISIBLE_DEVICES=0,1,2,3\n/);
  assert.match(shell, /\nexec python3 -m accelerate\.commands\.launch --num_processes 4 --config_file '\/etc\/ds zero3\.yaml' '.*train_grpo\.py' --config '.*trl-run\.json'\n/);
  assert.equal(spawnSync('bash', ['-n', join(r.workDir, 'train.sh')]).status, 0);
});

test('prepare refuses what it cannot train, naming the field or the file', async () => {
  await assert.rejects(trlTrainer.prepare(round('endpoint', {}, { from: { kind: 'endpoint', baseUrl: 'http://gpu:8000/v1', model: 'qwen' } })), (e: unknown) => e instanceof TrainerConfigError && e.field === 'trainer.trl.modelPath');
  await assert.rejects(trlTrainer.prepare(round('bad-option', { numGenerations: 'many' })), /^TrainerConfigError: trainer\.trl\.numGenerations: /);
  const empty = join(work, 'empty.jsonl');
  writeFileSync(empty, '');
  await assert.rejects(trlTrainer.prepare(round('empty', {}, { datasetPath: empty })), (e: unknown) => e instanceof Error && e.message.startsWith(`${empty}: `) && /no samples/.test(e.message));
  const broken = join(work, 'broken.jsonl');
  writeFileSync(broken, `${JSON.stringify(samples[0])}\n{"id": "x"}\n`);
  await assert.rejects(trlTrainer.prepare(round('broken', {}, { datasetPath: broken })), (e: unknown) => e instanceof Error && e.message.startsWith(`${broken}:2: `));
});

test('launch streams the trainer\'s lines, and collect finds the model it saved', async () => {
  const r = round('launch', { python: fakePython('saves', 'mkdir -p model && echo "{}" > model/config.json && : > model/model.safetensors') });
  const prepared = await trlTrainer.prepare(r);
  const lines: string[] = [];
  await trlTrainer.launch(r, prepared, { log: (line) => lines.push(line) });
  assert.ok(lines.some((l) => /^fake trainer: .*train_grpo\.py --config .*trl-run\.json$/.test(l)), lines.join('\n'));
  assert.ok(lines.includes(`reward at ${rewardUrl}`), 'stderr is streamed too, and train.sh exports the reward address');
  assert.deepEqual(await trlTrainer.collect(r, prepared), { kind: 'path', path: join(r.workDir, 'model') });
});

test('a failing trainer fails the launch with its status and last lines', async () => {
  const r = round('fails', { python: fakePython('fails', 'echo "CUDA out of memory" >&2\nexit 3') });
  const prepared = await trlTrainer.prepare(r);
  await assert.rejects(trlTrainer.launch(r, prepared, { log: () => {} }), (e: unknown) => e instanceof TrainerCommandError && e.exitCode === 3 && /CUDA out of memory/.test(e.message));
  assert.equal(await trlTrainer.collect(r, prepared), undefined);
});

/** Whether a process runs; a killed child nobody has reaped yet (a zombie, state Z) does not. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] !== 'Z';
  } catch {
    return true; // no /proc to ask
  }
}

test('aborting the launch stops the trainer and the processes it started', async () => {
  const r = round('abort', { python: fakePython('hangs', 'sleep 60 & echo $! > grandchild.pid\necho started\nwait') });
  const pidFile = join(r.workDir, 'grandchild.pid');
  const prepared = await trlTrainer.prepare(r);
  const controller = new AbortController();
  const started = Date.now();
  const launched = trlTrainer.launch(r, prepared, { signal: controller.signal, log: (line) => line === 'started' && controller.abort(new Error('stopped by the test')) });
  await assert.rejects(launched, /stopped by the test/);
  assert.ok(Date.now() - started < 10_000, 'the abort does not wait for the trainer to finish');
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(running(pid), false, 'the trainer\'s own child is gone too');
});

/** Runs python3 without blocking the event loop (the reward server answers in this process). */
function runPython(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

test('the training script refuses to start when no reward server answers', { skip: skipPython }, async () => {
  const closed = createRewardServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  const r = round('no-server', {}, { rewardUrl: deadUrl });
  const prepared = await trlTrainer.prepare(r);
  const env = { ...process.env };
  delete env['LOOPTOOL_REWARD_URL'];
  const started = Date.now();
  const run = await runPython([join(r.workDir, 'train_grpo.py'), '--config', join(r.workDir, 'trl-run.json')], { env });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, new RegExp(`reward server does not answer at ${deadUrl.replace(/\./g, '\\.')}`));
  assert.match(run.stderr, /looptool serve-reward --port/);
  assert.ok(Date.now() - started < 20_000);
  assert.equal(await trlTrainer.collect(r, prepared), undefined);
});

// Calls the script's reward function as GRPOTrainer does: keyword arguments, one list entry per completion.
const SCORE = `
import json, sys
sys.path.insert(0, sys.argv[1])
import train_grpo
cases = json.load(sys.stdin)
scores = train_grpo.looptool_tool_call_reward(
    prompts=[[{"role": "user", "content": "hi"}]] * len(cases),
    completions=[c["completion"] for c in cases],
    completion_ids=[[0]] * len(cases),
    ground_truth=[c["ground_truth"] for c in cases],
    sample_id=[f"s{i}" for i in range(len(cases))],
    kind=[None] * len(cases),
    trainer_state=None,
)
print(json.dumps(scores))
`;

test('the script\'s reward function scores completions through serve-reward as the matcher does', { skip: skipPython }, async () => {
  const r = round('reward');
  await trlTrainer.prepare(r);
  const call = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>';
  const truth = call;
  const assistant = (content: string, extra: Record<string, unknown> = {}) => [{ role: 'assistant', content, ...extra }];
  const cases = [
    { completion: assistant(call), ground_truth: truth, text: call },
    { completion: assistant('<think>\nweather\n</think>\n' + call), ground_truth: truth, text: '<think>\nweather\n</think>\n' + call },
    { completion: assistant(call.replace('Paris', 'Rome')), ground_truth: truth, text: call.replace('Paris', 'Rome') },
    // A tokenizer with a response schema hands the calls over parsed; they are written back as blocks.
    { completion: assistant('', { tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { unit: 'celsius', city: 'Paris' } } }] }), ground_truth: truth, text: call },
    { completion: assistant('', { tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }] }), ground_truth: truth, text: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' },
    { completion: assistant('Which city do you mean?'), ground_truth: 'Which city?', text: 'Which city do you mean?' },
    { completion: assistant(call), ground_truth: 'Which city?', text: call },
    { completion: assistant('<tool_call>\n{"name": "get_weather", "arguments": {"city": "Par'), ground_truth: truth, text: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Par' },
    { completion: call, ground_truth: truth, text: call },
  ];
  const before = rewardRequests;
  const run = await runPython(['-c', SCORE, r.workDir], { input: JSON.stringify(cases), env: { ...process.env, LOOPTOOL_REWARD_URL: rewardUrl } });
  assert.equal(run.status, 0, run.stderr);
  const scores = JSON.parse(run.stdout) as number[];
  assert.deepEqual(scores, cases.map((c) => scoreToolCallReward(c.text, c.ground_truth).score));
  assert.deepEqual(scores, [1, 1, 0, 1, 0, 1, 0, 0, 1]);
  assert.equal(rewardRequests - before, 1, 'one request for the whole batch');
});

test('collect wants config and weights, one file or an index of shards', async () => {
  const dir = join(work, 'collect');
  const prepared = { files: [], commands: [], checkpointDir: join(dir, 'model') };
  const r = round('collect');
  mkdirSync(join(dir, 'model'), { recursive: true });
  assert.equal(await trlTrainer.collect(r, prepared), undefined);
  writeFileSync(join(dir, 'model', 'config.json'), '{}');
  assert.equal(await trlTrainer.collect(r, prepared), undefined);
  writeFileSync(join(dir, 'model', 'model.safetensors.index.json'), '{}');
  assert.deepEqual(await trlTrainer.collect(r, prepared), { kind: 'path', path: join(dir, 'model') });
  const served = round('collect', { endpoint: 'http://127.0.0.1:8000/v1', servedModelName: 'tuned' });
  assert.deepEqual(await trlTrainer.collect(served, prepared), { kind: 'endpoint', baseUrl: 'http://127.0.0.1:8000/v1', model: 'tuned' }, 'a trained model to be served is probed where it will answer');
});
