/**
 * The world pretrain: the embedded base model the demo starts from, made reproducibly.
 * Clean `base` samples of the built-in world → a tokenizer trained on their LoopTool
 * records (as `engine init --corpus` would) and seeded weights → resumable SFT. The run
 * lives in `<out>/work/` until it finishes; then the finished model and its
 * `pretrain.json` replace the directory's contents in one atomic swap, so `<out>` is
 * either a run in progress or a finished model, never half of each.
 */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashString, Rng } from '../core/random.ts';
import { InputError, writeFileAtomic } from '../core/records.ts';
import type { Sample } from '../core/types.ts';
import { LOOPTOOL_VERSION } from '../core/version.ts';
import type { SftProgress } from '../engine/sft.ts';
import { splitCorpus, loopToolCorpusText } from '../models/corpus.ts';
import { loadEngineModel, saveEngineModel } from '../models/engine-model.ts';
import { initEngineModel } from '../models/init-engine-model.ts';
import { DEFAULT_KIND_WEIGHTS, generateSplit } from '../world/generate.ts';
import { irrelevanceTwin } from '../world/irrelevance-twin.ts';
import type { ValueDraw } from '../world/types.ts';
import { runEmbeddedSft } from './embedded-sft-run.ts';
import { assertSameRun, DEFAULT_PRETRAIN, PRETRAIN_RECORD_FILE, PretrainOptionsSchema, readPretrainRecord, renderPretrainRecord, type PretrainOptions, type PretrainRecord } from './pretrain-record.ts';
import { appendStep, summarizeSteps, type RunFigures } from './step-log.ts';

export { DEFAULT_PRETRAIN, PRETRAIN_VALUES, PRETRAIN_VOCAB, PretrainMismatchError, readPretrainRecord, recordPretrainEvaluation, type PretrainEvaluation, type PretrainOptions, type PretrainRecord } from './pretrain-record.ts';

/** The work directory inside the output directory while the pretrain runs. */
export const PRETRAIN_WORK_DIR = 'work';
const SETTINGS_FILE = 'settings.json';

export type PretrainResult =
  /** Trained (or finished) in this call; `resumedFrom` > 0 when an earlier run was continued. */
  | { status: 'trained'; record: PretrainRecord; resumedFrom: number }
  /** The directory already held this finished pretrain: nothing was trained. */
  | { status: 'already-trained'; record: PretrainRecord }
  /** Stopped by the signal; the run is saved in `workDir` and the same call continues it. */
  | { status: 'stopped'; stage: PretrainStage; step: number; totalSteps: number; workDir: string };

/** `reading`: the first stage (see `PretrainOptions.readingSamples`); `sft`: the main one. */
export type PretrainStage = 'reading' | 'sft';

export interface PretrainArgs {
  outDir: string;
  options?: Partial<PretrainOptions>;
  /** Each optimizer step, with the step counted over its stage's whole run (a resumed run starts above 0). */
  onStep?: (p: SftProgress, stage: PretrainStage) => void;
  /** What the pretrain is doing before training starts (a line for the user). */
  onPhase?: (what: string) => void;
  signal?: AbortSignal;
}

/** The clean training samples: the world's `base` split. */
export function pretrainSamples(options: PretrainOptions): Sample[] {
  const draw: ValueDraw = {};
  if (options.inventedValues > 0) draw.invent = options.inventedValues;
  if (options.values === 'all') draw.allValues = true;
  return generateSplit('base', options.samples, options.seed, DEFAULT_KIND_WEIGHTS, options.tools, draw);
}

/**
 * The main stage's samples: the base samples, each one-call sample followed by its
 * irrelevance twin with probability `irrelevanceTwins` (drawn per sample id, so the
 * choice does not depend on the other samples).
 */
export function withIrrelevanceTwins(samples: readonly Sample[], options: PretrainOptions): Sample[] {
  if (options.irrelevanceTwins <= 0) return [...samples];
  const out: Sample[] = [];
  for (const sample of samples) {
    out.push(sample);
    const rng = new Rng(hashString(`twin:${sample.id}`, options.seed >>> 0));
    if (!rng.chance(options.irrelevanceTwins)) continue;
    const twin = irrelevanceTwin(sample, rng);
    if (twin) out.push(twin);
  }
  return out;
}

/** Added to the seed for the first stage's samples, so they are other samples than the main stage's. */
export const READING_SEED_OFFSET = 100;

/** The first stage's samples: base samples answered with calls, without their tool lists. */
export function pretrainReadingSamples(options: PretrainOptions): Sample[] {
  return pretrainSamples({ ...options, samples: options.readingSamples, seed: options.seed + READING_SEED_OFFSET })
    .filter((s) => s.label.kind === 'calls')
    .map((s) => ({ ...s, tools: [] }));
}

/** The held-out samples the result is scored on: a clean `test` split with the same seed and tool count. */
export function pretrainEvalSamples(options: PretrainOptions): Sample[] {
  return generateSplit('test', options.evalSamples, options.seed, DEFAULT_KIND_WEIGHTS, options.tools);
}

export async function pretrainWorldModel(args: PretrainArgs): Promise<PretrainResult> {
  const options = PretrainOptionsSchema.parse({ ...DEFAULT_PRETRAIN, ...args.options }) as PretrainOptions;
  const { outDir } = args;

  const finished = await readPretrainRecord(outDir);
  if (finished) {
    assertSameRun(outDir, finished.settings, options);
    return { status: 'already-trained', record: finished };
  }

  const workDir = join(outDir, PRETRAIN_WORK_DIR);
  await claimWorkDir(outDir, workDir, options);

  args.onPhase?.(`generating ${options.samples} clean base samples (seed ${options.seed}, ${options.tools.min}-${options.tools.max} tools each)`);
  const samples = pretrainSamples(options);

  const initDir = join(workDir, 'init');
  // The starting model is written whole or not at all, so one that exists is complete.
  if (!(await exists(join(initDir, 'config.json')))) {
    args.onPhase?.(`training the tokenizer on their LoopTool records and initialising a ${options.size} model`);
    await initEngineModel(initDir, { size: options.size, seed: options.seed, split: options.split, corpus: splitCorpus(loopToolCorpusText(samples)), maxPositions: options.maxPositions, ...(options.vocab === null ? {} : { vocabSize: options.vocab }) });
  }

  let sftBase = initDir;
  let reading: PretrainRecord['reading'];
  if (options.readingSamples > 0) {
    const readingSet = pretrainReadingSamples(options);
    args.onPhase?.(`stage 1 of 2, reading: ${readingSet.length} call samples of ${options.readingSamples} drawn (seed ${options.seed + READING_SEED_OFFSET}), without their tool lists`);
    const stage = await runStage(args, options, 'reading', initDir, readingSet, workDir);
    if (stage.stopped) return { status: 'stopped', stage: 'reading', step: stage.step, totalSteps: stage.totalSteps, workDir };
    reading = { samples: readingSet.length, trainedOn: readingSet.length - stage.tooLong, sft: stage.figures };
    sftBase = stage.dir;
  }
  // The tokenizer above learned from the base samples alone: twins repeat their requests.
  const mainSet = withIrrelevanceTwins(samples, options);
  const twins = mainSet.length - samples.length;
  if (reading || twins > 0) args.onPhase?.(`${reading ? 'stage 2 of 2: ' : ''}the ${samples.length} base samples with their tool lists${twins > 0 ? `, and ${twins} irrelevance twins` : ''}`);
  const sft = await runStage(args, options, 'sft', sftBase, mainSet, workDir);
  if (sft.stopped) return { status: 'stopped', stage: 'sft', step: sft.step, totalSteps: sft.totalSteps, workDir };

  const bundle = await loadEngineModel(sft.dir);
  const config = bundle.model.config;
  const record: PretrainRecord = {
    looptool: LOOPTOOL_VERSION,
    settings: options,
    data: { split: 'base', samples: samples.length, twins, trainedOn: mainSet.length - sft.tooLong, leftOutTooLong: sft.tooLong },
    model: { parameters: bundle.model.layout.total, vocabSize: config.vocabSize, maxPositions: config.maxPositions },
    ...(reading ? { reading } : {}),
    sft: sft.figures,
  };
  // One swap puts the model and its record in place and takes the work directory away.
  await saveEngineModel(outDir, config, bundle.model.params, bundle.tokenizer, { [PRETRAIN_RECORD_FILE]: renderPretrainRecord(record) });
  return { status: 'trained', record, resumedFrom: sft.resumedFrom };
}

type StageResult = { stopped: true; step: number; totalSteps: number } | { stopped: false; dir: string; resumedFrom: number; tooLong: number; figures: RunFigures };

/** One resumable SFT stage from `baseDir` into `<workDir>/<stage>`, its steps logged beside it. */
async function runStage(args: PretrainArgs, options: PretrainOptions, stage: PretrainStage, baseDir: string, samples: readonly Sample[], workDir: string): Promise<StageResult> {
  // The main stage keeps the log name runs from before the first stage existed wrote.
  const stepLog = join(workDir, stage === 'sft' ? 'steps.jsonl' : `${stage}-steps.jsonl`);
  const dir = join(workDir, stage);
  let lastStepAt = performance.now();
  const run = await runEmbeddedSft({
    baseDir,
    samples,
    outDir: dir,
    // The first stage passes over its samples once: it is there for many short samples, not for repeats.
    options: { epochs: stage === 'sft' ? options.epochs : 1, formatWeight: options.formatWeight, promptWeight: options.promptWeight, ...(stage === 'sft' && options.decisionWeight !== null ? { decisionWeight: options.decisionWeight } : {}), lr: options.lr, batchTokens: options.batchTokens, warmupSteps: options.warmup, seed: options.shuffleSeed, saveEvery: options.saveEvery },
    ...(args.signal ? { signal: args.signal } : {}),
    onStep: (p) => {
      const now = performance.now();
      appendStep(stepLog, { step: p.step, loss: p.loss, tokens: p.tokens, seconds: (now - lastStepAt) / 1000 });
      lastStepAt = now;
      args.onStep?.(p, stage);
    },
  });
  if (run.stopped) return { stopped: true, step: run.history.at(-1)?.step ?? run.resumedFrom, totalSteps: run.totalSteps };
  return { stopped: false, dir, resumedFrom: run.resumedFrom, tooLong: run.tooLong.length, figures: await summarizeSteps(stepLog, run.totalSteps) };
}

/**
 * Makes `workDir` this run's: continues a run with the same settings, starts one in an
 * empty or new directory, and refuses anything else (another run, or files that are not
 * a pretrain's, which the final swap would delete).
 */
async function claimWorkDir(outDir: string, workDir: string, options: PretrainOptions): Promise<void> {
  const settingsPath = join(workDir, SETTINGS_FILE);
  const started = await readFile(settingsPath, 'utf8').then(
    (text) => JSON.parse(text) as { settings: unknown },
    () => undefined,
  );
  if (started) {
    const previous = PretrainOptionsSchema.safeParse(started.settings);
    if (!previous.success) throw new InputError(settingsPath, undefined, undefined, `does not hold pretrain settings; remove ${workDir} to start over`);
    assertSameRun(outDir, previous.data as PretrainOptions, options);
    return;
  }
  const emptyWorkDir = (await readdir(workDir).catch(() => ['?'])).length === 0;
  // An empty work directory is one a kill left before its settings were written.
  const present = (await readdir(outDir).catch(() => [] as string[])).filter((name) => !(name === PRETRAIN_WORK_DIR && emptyWorkDir));
  if (present.length > 0) throw new InputError(outDir, undefined, undefined, `is not empty and holds no pretrain (found ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); choose a new or empty directory`);
  await mkdir(workDir, { recursive: true });
  await writeFileAtomic(settingsPath, `${JSON.stringify({ looptool: LOOPTOOL_VERSION, settings: options }, null, 2)}\n`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
