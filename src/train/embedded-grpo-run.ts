/**
 * A resumable GRPO run of the embedded model: checkpoints (weights, optimizer moments,
 * step) every few steps and at the end of every epoch, in one atomic directory swap; a
 * killed run restarts from its last checkpoint and, the plan being fixed by the seed,
 * makes the same updates.
 */
import type { Sample } from '../core/types.ts';
import { adamWState } from '../engine/optim.ts';
import { loadEngineModel } from '../models/engine-model.ts';
import { DEFAULT_GRPO, trainGrpo, type GrpoOptions, type GrpoStepReport } from './embedded-grpo.ts';
import { loadOptimizer, readTrainerState, RunMismatchError, runFingerprint, saveCheckpoint } from './run-checkpoint.ts';

export interface GrpoRunOptions extends Omit<GrpoOptions, 'reward'> {
  /** Save every this many steps (and at the end of every epoch). */
  saveEvery: number;
}

export interface GrpoRunSummary {
  resumedFrom: number;
  steps: number;
  totalSteps: number;
  stopped: boolean;
  tooLong: number;
  skippedGroups: number;
  meanReward: number;
}

export async function runEmbeddedGrpo(args: {
  baseDir: string;
  samples: readonly Sample[];
  outDir: string;
  options?: Partial<GrpoRunOptions>;
  onStep?: (report: GrpoStepReport) => void;
  signal?: AbortSignal;
  /** A reward other than the LoopTool reward against the label (tests, custom tasks). */
  reward?: (text: string, sample: Sample) => number;
}): Promise<GrpoRunSummary> {
  const options: GrpoRunOptions = { ...DEFAULT_GRPO, saveEvery: 20, ...args.options };
  const { saveEvery, ...determining } = options;
  const fingerprint = runFingerprint('grpo', args.baseDir, args.samples, determining);
  const previous = await readTrainerState(args.outDir);
  if (previous && previous.fingerprint !== fingerprint) throw new RunMismatchError(args.outDir);
  if (previous && previous.step >= previous.totalSteps) {
    return { resumedFrom: previous.step, steps: previous.step, totalSteps: previous.totalSteps, stopped: false, tooLong: 0, skippedGroups: 0, meanReward: 0 };
  }
  const bundle = await loadEngineModel(previous ? args.outDir : args.baseDir);
  const state = previous ? await loadOptimizer(args.outDir, bundle) : adamWState(bundle.model.layout);
  const startStep = previous?.step ?? 0;
  const stepsPerEpoch = Math.max(1, Math.ceil(args.samples.length / options.promptsPerStep));
  let stopped = false;
  const result = await trainGrpo(
    bundle,
    args.samples,
    args.reward ? { ...options, reward: args.reward } : options,
    async (report) => {
      args.onStep?.(report);
      if (report.step % saveEvery === 0 || report.step % stepsPerEpoch === 0 || report.step === report.totalSteps) {
        await saveCheckpoint(args.outDir, bundle, state, { fingerprint, step: report.step, totalSteps: report.totalSteps, base: args.baseDir });
      }
      // between steps the event loop runs, so a signal can arrive
      await new Promise((resolve) => setImmediate(resolve));
      if (args.signal?.aborted) {
        stopped = true;
        if (report.step % saveEvery !== 0 && report.step % stepsPerEpoch !== 0) await saveCheckpoint(args.outDir, bundle, state, { fingerprint, step: report.step, totalSteps: report.totalSteps, base: args.baseDir });
        return false;
      }
      return true;
    },
    { state, startStep, ...(previous && options.klCoef > 0 ? { referenceParams: (await loadEngineModel(args.baseDir)).model.params } : {}) },
  );
  return { resumedFrom: startStep, steps: result.steps, totalSteps: result.totalSteps, stopped, tooLong: result.tooLong, skippedGroups: result.skippedGroups, meanReward: result.meanReward };
}
