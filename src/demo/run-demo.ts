/**
 * `looptool demo`: from one base model, (a) LoopTool rounds — probe, judge, expand,
 * compose, GRPO — and (b) static GRPO on the noisy seed data for the same number of
 * steps, both evaluated on the clean held-out split after every round; optionally the
 * paper's ablations. Everything lives under one directory and a rerun continues where a
 * killed run stopped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { IterateConfigSchema, type IterateConfig, type ModelRef } from '../loop/config.ts';
import { sampleFingerprint } from '../loop/expander.ts';
import { expanderFactory, judgeFor } from '../loop/factory.ts';
import { iterate } from '../loop/iterate.ts';
import type { VerifyRecord } from '../loop/verify.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { encodeChatPrompt, loadEngineModel } from '../models/engine-model.ts';
import { modelPool } from '../models/model-factory.ts';
import type { DemoArmRound, DemoSummary, HeldOutScore, RoundComposition } from '../report/demo-summary.ts';
import { readCommitted } from '../store/jsonl-stream.ts';
import { RunStore, writeFileDurable } from '../store/run-store.ts';
import { generateWorld } from '../world/generate.ts';
import { readNoise, readSplit, readWorldManifest, writeWorld } from '../world/files.ts';
import type { ToolCount } from '../world/scenario.ts';
import { measureCleaning } from './cleaning.ts';
import type { DemoProfile } from './profiles.ts';
import { evaluateModel, trainRound, type DemoHooks } from './train-round.ts';

export const NOISE_RATE = 0.15;

/** The paper's Table 4 ablations, as compose switches, and `as-probed`: error seeds in the paper's order rather than the most reachable first. */
export const ABLATIONS = {
  'no-jglv': { noJglv: true },
  'no-edde': { noEdde: true },
  'no-hppl': { noHppl: true },
  'hppl-replace': { hpplReplace: true },
  'seed-repeat': { seedRepeat: true },
  'as-probed': { errorSeedOrder: 'as_probed' },
} as const;
export type AblationName = keyof typeof ABLATIONS;

export interface DemoOptions {
  outDir: string;
  profile: DemoProfile;
  seed: number;
  baseModelDir: string;
  /** Tools offered per sample: what the base model was trained on. */
  tools: ToolCount;
  ablations?: readonly AblationName[];
  hooks: DemoHooks;
  signal?: AbortSignal;
  /** Renders report.html from the summary (the report layer's job). */
  renderReport(summary: DemoSummary): Promise<string>;
}

export class DemoSettingsMismatch extends Error {}

interface DemoSettings {
  profile: DemoProfile;
  seed: number;
  baseModel: string;
  tools: ToolCount;
}

/** A demo directory belongs to one set of settings; continuing it with others would mix runs. */
function checkSettings(outDir: string, settings: DemoSettings): void {
  const path = join(outDir, 'demo.json');
  if (!existsSync(path)) {
    writeFileDurable(path, JSON.stringify(settings, null, 2) + '\n');
    return;
  }
  const before = JSON.parse(readFileSync(path, 'utf8')) as DemoSettings;
  for (const key of Object.keys(settings) as (keyof DemoSettings)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(settings[key])) {
      throw new DemoSettingsMismatch(`${path}: this directory holds a demo run with another ${key} (${JSON.stringify(before[key])}); use another --out, or delete it to start over`);
    }
  }
}

async function worldData(outDir: string, options: DemoOptions, fits: Fits): Promise<{ seed: Sample[]; test: Sample[]; noise: Awaited<ReturnType<typeof readNoise>>; leftOut: number }> {
  const dir = join(outDir, 'world');
  if (!readWorldManifest(dir)) {
    const generate = { seed: options.seed, n: options.profile.seedSamples, base: 0, test: options.profile.testSamples, noise: NOISE_RATE, tools: options.tools };
    await writeWorld(dir, generateWorld(generate), generate);
  }
  const seed = await readSplit(dir, 'seed');
  const test = await readSplit(dir, 'test');
  const keptSeed = seed.filter(fits);
  const keptTest = test.filter(fits);
  return { seed: keptSeed, test: keptTest, noise: await readNoise(dir), leftOut: seed.length + test.length - keptSeed.length - keptTest.length };
}

/** Whether a sample's prompt leaves the model room for an answer: the ones that do not are left out of training and evaluation alike. */
export type Fits = (sample: Sample) => boolean;

async function contextFit(baseModelDir: string, room: number): Promise<Fits> {
  const { tokenizer, model } = await loadEngineModel(baseModelDir);
  return (s) => encodeChatPrompt(tokenizer, { messages: s.messages, tools: s.tools }).length + room <= model.config.maxPositions;
}

function readSamples(path: string): Sample[] {
  return readCommitted(path).records as unknown as Sample[];
}

function loopConfig(options: DemoOptions, seedPath: string, compose: Record<string, boolean | string>): IterateConfig {
  const p = options.profile;
  return IterateConfigSchema.parse({
    data: seedPath,
    rounds: p.rounds,
    budget: p.budget,
    model: { provider: 'engine', path: options.baseModelDir },
    probe: { batchSize: p.batchSize, maxTokens: p.answerTokens },
    judge: { kind: 'rule' },
    expander: { kind: 'template', perSeed: p.perSeed, tools: options.tools },
    compose: { kindCap: p.kindCap, hpplShare: p.hpplShare, ...compose },
    trainer: { kind: 'embedded', grpo: { ...p.grpo, seed: options.seed } },
    seed: options.seed,
  });
}

/** Runs the loop's rounds in `dir`; each round's model is trained and evaluated by `trainRound`. */
async function loopArm(name: string, dir: string, options: DemoOptions, data: { seed: Sample[]; test: Sample[] }, fits: Fits, compose: Record<string, boolean | string>, base: HeldOutScore): Promise<{ rounds: DemoArmRound[]; store: RunStore }> {
  const config = loopConfig(options, join(options.outDir, 'world', 'seed.jsonl'), compose);
  const store = RunStore.open(dir, { name, config: config as unknown as Value });
  const pool = modelPool();
  const modelFor = (ref: ModelRef): Promise<ChatModel> => pool.modelFor(ref);
  const rounds: DemoArmRound[] = [{ round: 0, steps: 0, meanReward: null, score: base }];
  const outcome = await iterate(store, config, data.seed, {
    modelFor,
    judge: await judgeFor(config, modelFor),
    expanderFor: await expanderFactory(config, modelFor, new Set([...data.seed, ...data.test].map(sampleFingerprint))),
    train: async (datasetPath, from, round) => {
      const outDir = join(dir, 'checkpoints', `round-${round}`);
      const composed = readSamples(datasetPath);
      const samples = composed.filter(fits);
      if (samples.length < composed.length) options.hooks.log(`${name} round ${round}: ${composed.length - samples.length} of ${composed.length} samples left out, too long for the model's context`);
      const r = await trainRound({ from: from.path!, samples, outDir, test: data.test, profile: options.profile, seed: options.seed + round, label: `${name} round ${round}`, hooks: options.hooks, ...(options.signal ? { signal: options.signal } : {}) });
      options.hooks.log(`${name} round ${round}: held-out accuracy ${(100 * r.score.accuracy).toFixed(1)}%`);
      return { ...from, path: outDir };
    },
    log: (line) => options.hooks.log(`${name} ${line}`),
    progress: (label, total) => {
      const bar = options.hooks.progress(`${name} ${label}`, total, 'samples');
      return (done) => {
        bar.update(done);
        if (done >= total) bar.stop();
      };
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (outcome.status !== 'finished') throw new Error(`${name}: the loop stopped at round ${outcome.round} waiting for training`);
  let steps = 0;
  for (let r = 1; r <= options.profile.rounds; r++) {
    const result = JSON.parse(readFileSync(join(dir, 'checkpoints', `round-${r}`, 'demo-round.json'), 'utf8')) as { steps: number; meanReward: number | null; score: HeldOutScore };
    steps += result.steps;
    rounds.push({ round: r, steps, meanReward: result.meanReward, score: result.score });
  }
  return { rounds, store };
}

/** Static GRPO: round r trains on the next seed samples, as many as LoopTool's round r had (so both arms take the same steps). */
async function staticArm(dir: string, options: DemoOptions, data: { seed: Sample[]; test: Sample[] }, sizes: readonly number[], base: HeldOutScore): Promise<DemoArmRound[]> {
  const rounds: DemoArmRound[] = [{ round: 0, steps: 0, meanReward: null, score: base }];
  let from = options.baseModelDir;
  let cursor = 0;
  let steps = 0;
  for (let r = 1; r <= sizes.length; r++) {
    const samples: Sample[] = [];
    for (let i = 0; i < sizes[r - 1]!; i++) samples.push(data.seed[(cursor + i) % data.seed.length]!);
    cursor += sizes[r - 1]!;
    const outDir = join(dir, 'checkpoints', `round-${r}`);
    const result = await trainRound({ from, samples, outDir, test: data.test, profile: options.profile, seed: options.seed + r, label: `static round ${r}`, hooks: options.hooks, ...(options.signal ? { signal: options.signal } : {}) });
    options.hooks.log(`static round ${r}: held-out accuracy ${(100 * result.score.accuracy).toFixed(1)}%`);
    steps += result.steps;
    rounds.push({ round: r, steps, meanReward: result.meanReward, score: result.score });
    from = outDir;
  }
  return rounds;
}

function compositionOf(store: RunStore, rounds: number): RoundComposition[] {
  const out: RoundComposition[] = [];
  for (let r = 0; r < rounds; r++) {
    const f = (store.stageState(r, 'compose').figures ?? {}) as Record<string, number>;
    out.push({ round: r + 1, samples: f['samples'] ?? 0, errorSeeds: f['errorSeeds'] ?? 0, corrected: f['corrected'] ?? 0, expanded: f['expanded'] ?? 0, highPerplexity: f['highPerplexity'] ?? 0, untrainedSeed: f['untrainedSeed'] ?? 0, dropped: f['dropped'] ?? 0 });
  }
  return out;
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const outDir = resolve(options.outDir);
  const p = options.profile;
  checkSettings(outDir, { profile: p, seed: options.seed, baseModel: resolve(options.baseModelDir), tools: options.tools });
  const fits = await contextFit(options.baseModelDir, Math.max(p.answerTokens, p.grpo.maxTokens));
  const data = await worldData(outDir, options, fits);
  const noisy = new Set(data.noise.map((n) => n.id));
  const noisyInSeed = data.seed.filter((s) => noisy.has(s.id)).length;
  options.hooks.log(`data: ${data.seed.length} seed samples (${noisyInSeed} wrong labels, kept aside), ${data.test.length} clean held-out samples${data.leftOut > 0 ? `; ${data.leftOut} left out, too long for the model's context` : ''}`);

  const basePath = join(outDir, 'base-eval.json');
  let base: HeldOutScore;
  if (existsSync(basePath)) base = JSON.parse(readFileSync(basePath, 'utf8')) as HeldOutScore;
  else {
    base = await evaluateModel(options.baseModelDir, data.test, p, 'base model', options.hooks, options.signal);
    writeFileDurable(basePath, JSON.stringify(base, null, 2) + '\n');
  }
  options.hooks.log(`base model: held-out accuracy ${(100 * base.accuracy).toFixed(1)}%`);

  const loop = await loopArm('looptool', join(outDir, 'looptool'), options, data, fits, {}, base);
  const sizes = loop.rounds.slice(1).map((r) => readSamples(join(loop.store.roundDir(r.round), 'dataset.jsonl')).filter(fits).length);
  const fixed = await staticArm(join(outDir, 'static'), options, data, sizes, base);

  const ablations: Record<string, DemoArmRound[]> = {};
  for (const name of options.ablations ?? []) {
    const arm = await loopArm(name, join(outDir, `ablation-${name}`), options, data, fits, { ...ABLATIONS[name] }, base);
    ablations[name] = arm.rounds;
    arm.store.close();
  }

  const usedIds = new Set<string>();
  const verdicts: VerifyRecord[][] = [];
  for (let r = 0; r <= p.rounds; r++) {
    const dir = loop.store.roundDir(r);
    for (const s of readSamples(join(dir, 'dataset.jsonl'))) usedIds.add(s.id);
    if (r < p.rounds && existsSync(join(dir, 'verify.jsonl'))) verdicts.push(readCommitted(join(dir, 'verify.jsonl')).records as unknown as VerifyRecord[]);
  }
  const cleaning = measureCleaning(
    data.seed.filter((s) => usedIds.has(s.id)),
    verdicts,
    data.noise,
  );
  const composition = compositionOf(loop.store, p.rounds);
  loop.store.close();

  const reportPath = join(outDir, 'report.html');
  const summary: DemoSummary = {
    profile: p.name,
    seed: options.seed,
    rounds: p.rounds,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    data: { seed: data.seed.length, test: data.test.length, noiseRate: NOISE_RATE, noisyLabels: noisyInSeed },
    grpo: { ...p.grpo },
    base,
    looptool: loop.rounds,
    static: fixed,
    ablations,
    composition,
    cleaning,
    report: reportPath,
  };
  writeFileDurable(join(outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileDurable(reportPath, await options.renderReport(summary));
  return summary;
}
