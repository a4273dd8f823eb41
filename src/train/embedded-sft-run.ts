/**
 * A resumable SFT run of the embedded model over samples. Weights, optimizer moments
 * and the step count are saved together in one atomic directory swap every few steps,
 * so a run killed at any moment restarts from its last save with the same batch plan.
 */
import type { Sample } from '../core/types.ts';
import { Workspace } from '../engine/model.ts';
import { adamWState, learningRateAt } from '../engine/optim.ts';
import { DEFAULT_SFT, planSft, trainStep, type SftOptions, type SftProgress } from '../engine/sft.ts';
import { loadEngineModel } from '../models/engine-model.ts';
import { loadOptimizer, readTrainerState, RunMismatchError, runFingerprint, saveCheckpoint } from './run-checkpoint.ts';
import { weightedExample } from './answer-spans.ts';
import { sampleToExample } from './sample-tokens.ts';

export interface SftRunOptions extends SftOptions {
  /** Save every this many optimizer steps (and always at the end). */
  saveEvery: number;
  /** Loss weight of answer tokens other than call names and argument values (1: plain SFT; see answer-spans.ts). */
  formatWeight: number;
  /** Loss weight of the prompt's tokens, trained as a language model (0: none; see answer-spans.ts). */
  promptWeight: number;
  /** Loss weight of the answer's decision tokens (unset: the format weight; see answer-spans.ts). */
  decisionWeight?: number;
}

export interface SftRunResult {
  history: SftProgress[];
  /** The step the run started from (0 for a fresh run). */
  resumedFrom: number;
  totalSteps: number;
  stopped: boolean;
  /** Ids of samples left out because they do not fit the model's context. */
  tooLong: string[];
}

/** Kept under its old name: callers catch it to tell the user to pick another directory. */
export { RunMismatchError as SftRunMismatchError } from './run-checkpoint.ts';

export async function runEmbeddedSft(args: {
  baseDir: string;
  samples: readonly Sample[];
  outDir: string;
  options?: Partial<SftRunOptions>;
  onStep?: (p: SftProgress) => void;
  signal?: AbortSignal;
}): Promise<SftRunResult> {
  const options: SftRunOptions = { ...DEFAULT_SFT, saveEvery: 50, formatWeight: 1, promptWeight: 0, ...args.options };
  const { saveEvery: _saveEvery, formatWeight, promptWeight, decisionWeight = formatWeight, ...rest } = options;
  // Runs from before the weights existed trained with 1, 0 and the format weight, and keep their fingerprint.
  const determining = { ...rest, ...(formatWeight === 1 ? {} : { formatWeight }), ...(promptWeight === 0 ? {} : { promptWeight }), ...(decisionWeight === formatWeight ? {} : { decisionWeight }) };
  const fingerprint = runFingerprint('sft', args.baseDir, args.samples, determining);
  const previous = await readTrainerState(args.outDir);
  if (previous && previous.fingerprint !== fingerprint) throw new RunMismatchError(args.outDir);

  const bundle = await loadEngineModel(previous ? args.outDir : args.baseDir);
  // A sample longer than the context cannot be trained on whole; it is left out and counted.
  const allExamples = args.samples.map((s) => (formatWeight === 1 && promptWeight === 0 && decisionWeight === 1 ? sampleToExample(bundle.tokenizer, s) : weightedExample(bundle.tokenizer, s, formatWeight, promptWeight, decisionWeight)));
  const examples = allExamples.filter((e) => e.tokens.length <= bundle.model.config.maxPositions);
  const tooLong = args.samples.filter((_, i) => allExamples[i]!.tokens.length > bundle.model.config.maxPositions).map((s) => s.id);
  const plan = planSft(examples, options);
  const state = previous ? await loadOptimizer(args.outDir, bundle) : adamWState(bundle.model.layout);
  const startStep = previous?.step ?? 0;
  const grads = new Float32Array(bundle.model.layout.total);
  const workspace = new Workspace();
  const history: SftProgress[] = [];

  const save = (step: number): Promise<void> => saveCheckpoint(args.outDir, bundle, state, { fingerprint, step, totalSteps: plan.length, base: args.baseDir });

  let step = startStep;
  let stopped = false;
  while (step < plan.length) {
    if (args.signal?.aborted) {
      stopped = true;
      break;
    }
    const lr = learningRateAt(step, options.lr, options.warmupSteps, plan.length, options.minLrRatio);
    const { loss, gradNorm } = trainStep(bundle.model, plan[step]!, state, options.adamw, lr, options.maxGradNorm, grads, workspace);
    step++;
    const progress = { step, totalSteps: plan.length, loss, lr, gradNorm, tokens: plan[step - 1]!.tokens.length };
    history.push(progress);
    args.onStep?.(progress);
    if (step % options.saveEvery === 0 || step === plan.length) await save(step);
    // Yield to the event loop between steps so a signal can be handled.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (stopped && step > startStep && step % options.saveEvery !== 0) await save(step);
  return { history, resumedFrom: startStep, totalSteps: plan.length, stopped, tooLong };
}

