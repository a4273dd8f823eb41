/**
 * `looptool world pretrain`: makes the demo's base model — SFT on the world's clean base
 * split — with a progress bar, a clean stop on Ctrl-C (rerun to continue), and a
 * held-out score per sample kind written into the model's `pretrain.json`.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../core/records.ts';
import { MODEL_SIZES } from '../engine/config.ts';
import { evaluateHeldOut, type HeldOutScore } from '../loop/evaluate.ts';
import { chatModelFor } from '../models/model-factory.ts';
import { SftRunMismatchError } from '../train/embedded-sft-run.ts';
import { DEFAULT_PRETRAIN, PRETRAIN_VALUES, PRETRAIN_VOCAB, PretrainMismatchError, pretrainEvalSamples, pretrainWorldModel, recordPretrainEvaluation, type PretrainEvaluation, type PretrainOptions, type PretrainRecord, type PretrainStage } from '../train/pretrain-world.ts';
import type { RunFigures } from '../train/step-log.ts';
import type { ToolCount } from '../world/scenario.ts';
import { nonNegativeNumber, positiveWholeNumber, shareOfOne, toolRange, wholeNumber } from './flag-parsers.ts';
import { startProgress, type Progress } from './progress.ts';
import { splitOption } from './split-option.ts';
import { pct, table } from './text-table.ts';

function vocabSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < PRETRAIN_VOCAB.min || n > PRETRAIN_VOCAB.max) throw new InvalidArgumentError(`expected a whole number from ${PRETRAIN_VOCAB.min} to ${PRETRAIN_VOCAB.max}`);
  return n;
}

/** The progress bar's label per stage ("pretrain" for the main one, as before there were two). */
const STAGE_LABELS: Record<PretrainStage, string> = { reading: 'reading', sft: 'pretrain' };

/** Room for the longest world answer (four calls) in the held-out evaluation. */
const ANSWER_TOKENS = 256;

/** The flag that sets each setting, for messages that tell the user what to type. */
const FLAGS: Record<keyof PretrainOptions, string> = {
  seed: '--seed',
  shuffleSeed: '--shuffle-seed',
  samples: '--samples',
  readingSamples: '--reading-samples',
  tools: '--tools',
  inventedValues: '--invented-values',
  values: '--values',
  split: '--split',
  vocab: '--vocab',
  size: '--size',
  maxPositions: '--max-positions',
  epochs: '--epochs',
  formatWeight: '--format-weight',
  promptWeight: '--prompt-weight',
  decisionWeight: '--decision-weight',
  irrelevanceTwins: '--irrelevance-twins',
  lr: '--lr',
  batchTokens: '--batch-tokens',
  warmup: '--warmup',
  saveEvery: '--save-every',
  evalSamples: '--eval',
};

const D = DEFAULT_PRETRAIN;

const HELP = `
Makes the embedded base model the demo starts from: a Llama-architecture model SFT-trained
on the built-in world's clean base split, then scored greedily on a clean held-out test
split. Run with the defaults, the result is what ships as the demo's base model in
assets/base-model/ — the same settings always give the same weights, byte for byte.

What it does:
  1. generates --samples clean base samples (--seed, --tools per sample)
  2. trains a BPE tokenizer on their LoopTool records and initialises seeded --size weights
  3. with --reading-samples above 0, a first stage: one pass of SFT over that many more
     base samples (seed + 100), those answered with calls, without their tool lists
  4. SFT for --epochs (samples longer than --max-positions tokens are left out and counted),
     names and values at weight 1, the rest of the answer at --format-weight, and the
     answer's decisions — call or answer in text, call again or stop — at --decision-weight;
     with --irrelevance-twins above 0, that share of the one-call samples is followed by
     its twin: the same request, its tool out of the list, answered with a refusal
  5. scores the model on --eval test samples (same seed and tools): accuracy per sample kind

Time: the defaults take about 42 minutes on 2 cores: 28 for the reading stage, 13 for
the main one, a minute to score. Ctrl-C stops
cleanly; run the same command again to continue from the last save (every --save-every
steps). Run over a finished DIR, it does not train again (it evaluates again only when
--eval changed). Other settings over the same DIR are refused.

How well the model copies names and values from requests, in seconds (teacher-forced,
the earliest sign that a recipe works): looptool world probe --model DIR — or, while it
trains, --model DIR/work/sft (DIR/work/reading in the first stage), the run's last save.

Writes to DIR:
  config.json model.safetensors tokenizer.json tokenizer_config.json generation_config.json
                  the model (a 🤗 model directory; load it with --model DIR anywhere)
  pretrain.json   settings, looptool version, data, SFT figures (per stage), held-out score per kind
  work/           the run while it trains (gone once it has finished)

Examples:
  looptool world pretrain --out assets/base-model
  looptool world pretrain --out /tmp/quick --size micro --samples 200 --epochs 1 --eval 50
`;

/** The settings under their flag names: `--eval` sets `evalSamples`, `--out` is where they go. */
type Flags = Omit<PretrainOptions, 'evalSamples'> & { out: string; eval: number };

export function registerWorldPretrain(world: Command): void {
  world
    .command('pretrain')
    .description("make the demo's base model: SFT on the clean base split, scored on held-out test samples (reproducible; resumes)")
    .requiredOption('--out <dir>', 'model directory to make (new or empty, or one this command started)')
    .option('--seed <n>', 'seed for the data and the weights', wholeNumber, D.seed)
    .option('--shuffle-seed <n>', 'seed for the order SFT takes the samples in', wholeNumber, D.shuffleSeed)
    .option('--samples <n>', 'clean base samples to train on', positiveWholeNumber, D.samples)
    .option('--reading-samples <n>', 'base samples (another seed) for a first stage: the call samples among them, without tool lists, many to a step, so the model learns to read values out of requests before it learns to choose tools (0: no first stage)', wholeNumber, D.readingSamples)
    .option('--tools <min-max>', 'tools offered per sample (fewer: shorter prompts)', toolRange, { ...D.tools })
    .option('--invented-values <share>', 'share (0-1) of names, titles and ids replaced by invented ones, so the model learns to copy values', shareOfOne, D.inventedValues)
    .addOption(new Option('--values <which>', "values the samples draw: own (the base split's; the loop's seed and test values stay unseen) or all (every split's, so the model knows all the world's entities; held out stay the test split's phrasings)").choices(PRETRAIN_VALUES).default(D.values))
    .addOption(splitOption(D.split))
    .addOption(new Option('--vocab <n>', 'largest tokenizer vocabulary; a larger one keeps names and values whole instead of cut into letters').argParser(vocabSize).default(D.vocab, "the model size's"))
    .addOption(new Option('--size <name>', 'model size').choices(Object.keys(MODEL_SIZES)).default(D.size))
    .option('--max-positions <n>', 'context length in tokens; longer samples are left out', positiveWholeNumber, D.maxPositions)
    .option('--epochs <n>', 'passes over the samples', positiveWholeNumber, D.epochs)
    .option('--format-weight <w>', 'loss weight (0-1) of answer tokens other than call names and argument values (1: plain SFT; below 1 the loss leans on what must be found in the request)', shareOfOne, D.formatWeight)
    .option('--prompt-weight <w>', "loss weight (0-1) of the prompt's tokens, trained as a language model (0: the answer alone; above 0 rewards looking back and copying, and gives every token a gradient)", shareOfOne, D.promptWeight)
    .option('--decision-weight <w>', "loss weight (0-1) of the main stage's decision tokens: the answer's first, which starts a call or a text reply, and the one after each call, which starts another or ends the turn (at the format weight the model calls whatever the request)", shareOfOne, D.decisionWeight ?? undefined)
    .option('--irrelevance-twins <share>', "share (0-1) of the main stage's one-call samples trained beside a twin: the same request with its tool (and look-alikes) out of the list, answered with a refusal, so the list decides between calling and refusing", shareOfOne, D.irrelevanceTwins)
    .option('--lr <x>', 'peak learning rate (warm-up, then cosine decay)', nonNegativeNumber, D.lr)
    .option('--batch-tokens <n>', 'tokens per optimizer step', positiveWholeNumber, D.batchTokens)
    .option('--warmup <n>', 'warm-up steps', wholeNumber, D.warmup)
    .option('--save-every <n>', 'save the run every n steps (does not change the result)', positiveWholeNumber, D.saveEvery)
    .option('--eval <n>', 'held-out test samples to score the result on (0: skip)', wholeNumber, D.evalSamples)
    .addHelpText('after', HELP)
    .action(async (flags: Flags) => {
      const { out, eval: evalSamples, ...settings } = flags;
      const options: PretrainOptions = { ...settings, evalSamples };
      await withStopSignal(async (signal) => {
        const record = await train(out, options, signal);
        if (record && options.evalSamples > 0) await evaluate(out, record, options, signal);
      });
    });
}

/** Runs `work` with a signal that Ctrl-C (or SIGTERM) aborts, so the work can stop at a step boundary and save. */
async function withStopSignal(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Trains (or continues, or finds finished); the finished record, or undefined when stopped. */
async function train(outDir: string, options: PretrainOptions, signal: AbortSignal): Promise<PretrainRecord | undefined> {
  let progress: Progress | undefined;
  let progressStage: PretrainStage | undefined;
  let firstStep = 0;
  let tokensAfterFirst = 0;
  let firstStepDoneAt = 0;
  try {
    const result = await pretrainWorldModel({
      outDir,
      options,
      signal,
      onPhase: (what) => process.stderr.write(`${what}…\n`),
      onStep: (p, stage) => {
        // The rate and ETA count the steps after this session's first in each stage: the
        // first carries the setup (loading, tokenizing) and would make them lie.
        if (!progress || progressStage !== stage) {
          progress?.stop();
          progressStage = stage;
          firstStep = p.step;
          firstStepDoneAt = performance.now();
          tokensAfterFirst = 0;
          if (firstStep > 1) process.stderr.write(`continuing the ${STAGE_LABELS[stage]} stage from step ${firstStep - 1} of ${p.totalSteps}\n`);
          progress = startProgress({ label: STAGE_LABELS[stage], total: p.totalSteps, startAt: firstStep, unit: 'steps' });
          return;
        }
        tokensAfterFirst += p.tokens;
        const seconds = (performance.now() - firstStepDoneAt) / 1000;
        progress.update(p.step, { loss: p.loss, 'tokens/s': Math.round(tokensAfterFirst / seconds) });
      },
    });
    progress?.stop();
    if (result.status === 'stopped') {
      process.stderr.write(`stopped at step ${result.step} of ${result.totalSteps} of the ${STAGE_LABELS[result.stage]} stage; the run is saved in ${result.workDir}. Run the same command again to continue.\n`);
      process.exitCode = 130;
      return undefined;
    }
    const { record } = result;
    const sft = record.sft;
    const stageFigures = (f: RunFigures): string => `${f.steps} steps, ${f.tokens.toLocaleString('en-US')} tokens in ${formatSeconds(f.seconds)}, final loss ${f.finalLoss?.toFixed(4) ?? 'n/a'}`;
    const reading = record.reading ? `reading stage on ${record.reading.trainedOn} samples without tool lists: ${stageFigures(record.reading.sft)}; then ` : '';
    const figures = `${reading}${stageFigures(sft)}`;
    const leftOut = record.data.leftOutTooLong > 0 ? ` (${record.data.leftOutTooLong} left out: longer than ${record.settings.maxPositions} tokens)` : '';
    if (result.status === 'already-trained') process.stdout.write(`${outDir} already holds this pretrain (${figures}); not training again\n`);
    else process.stdout.write(`trained a ${record.settings.size} model (${record.model.parameters.toLocaleString('en-US')} parameters, ${record.model.vocabSize} tokens) on ${record.data.trainedOn} samples${record.data.twins > 0 ? ` (${record.data.twins} of them irrelevance twins)` : ''}${leftOut}: ${figures}; saved to ${outDir}\n`);
    return record;
  } catch (e) {
    progress?.stop();
    if (e instanceof PretrainMismatchError) {
      const was = settingText(e.setting, e.previous);
      throw new InputError(outDir, undefined, undefined, `holds a pretrain made with ${was}, but this run asks for ${settingText(e.setting, e.requested)}; rerun with ${was} to resume or reuse it, or choose another --out`);
    }
    if (e instanceof SftRunMismatchError) throw new InputError(outDir, undefined, undefined, 'its unfinished run was made from other data or another starting model (was the directory moved, or looptool updated?); remove it or choose another --out');
    throw e;
  }
}

/** Scores the finished model greedily on held-out test samples, unless pretrain.json already has that score. */
async function evaluate(outDir: string, record: PretrainRecord, options: PretrainOptions, signal: AbortSignal): Promise<void> {
  if (record.evaluation?.total === options.evalSamples) {
    process.stdout.write(scoreText(record.evaluation));
    return;
  }
  const samples = pretrainEvalSamples({ ...record.settings, evalSamples: options.evalSamples });
  const model = await chatModelFor({ provider: 'engine', path: outDir });
  const progress = startProgress({ label: 'evaluating', total: samples.length, unit: 'samples' });
  let score: HeldOutScore;
  try {
    ({ score } = await evaluateHeldOut(model, samples, { maxTokens: ANSWER_TOKENS, signal, onProgress: (done) => progress.update(done) }));
  } catch (e) {
    progress.stop();
    if (!signal.aborted) throw e;
    process.stderr.write(`evaluation stopped; the model in ${outDir} is complete. Run the same command again to evaluate it.\n`);
    process.exitCode = 130;
    return;
  }
  progress.stop();
  const evaluation: PretrainEvaluation = { split: 'test', ...score };
  await recordPretrainEvaluation(outDir, evaluation);
  process.stdout.write(scoreText(evaluation));
}

function scoreText(evaluation: PretrainEvaluation): string {
  const rows = Object.entries(evaluation.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, k]) => [kind, `${k.correct}/${k.total}`, pct(k.accuracy)]);
  return `held-out accuracy (greedy, ${evaluation.total} clean test samples):\n${table([['kind', 'correct', 'accuracy'], ...rows, ['all', `${evaluation.correct}/${evaluation.total}`, pct(evaluation.accuracy)]])}`;
}

function settingText(setting: keyof PretrainOptions, value: unknown): string {
  // A setting left to its flag's absence (--vocab: the size's) has no value to type.
  if (value === null) return `no ${FLAGS[setting]}`;
  const shown = setting === 'tools' ? `${(value as ToolCount).min}-${(value as ToolCount).max}` : String(value);
  return `${FLAGS[setting]} ${shown}`;
}

function formatSeconds(seconds: number): string {
  return seconds >= 120 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}
