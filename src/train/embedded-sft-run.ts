/**
 * A resumable SFT run of the embedded model over samples. Weights, optimizer moments
 * and the step count are saved together in one atomic directory swap every few steps,
 * so a run killed at any moment restarts from its last save with the same batch plan.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringifyJson } from '../core/json.ts';
import type { Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { Workspace } from '../engine/model.ts';
import { adamWState, learningRateAt, type AdamWState } from '../engine/optim.ts';
import { decodeSafetensors, encodeSafetensors } from '../engine/safetensors.ts';
import { DEFAULT_SFT, planSft, trainStep, type SftOptions, type SftProgress } from '../engine/sft.ts';
import { loadEngineModel, saveEngineModel, type EngineBundle } from '../models/engine-model.ts';
import { sampleToExample } from './sample-tokens.ts';

const STATE_FILE = 'trainer_state.json';
const OPTIMIZER_FILE = 'optimizer.safetensors';

export interface SftRunOptions extends SftOptions {
  /** Save every this many optimizer steps (and always at the end). */
  saveEvery: number;
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

interface TrainerState {
  fingerprint: string;
  step: number;
  totalSteps: number;
  base: string;
}

export class SftRunMismatchError extends Error {
  constructor(outDir: string) {
    super(`${outDir} holds a different training run (other base model, data or options); choose another output directory`);
    this.name = 'SftRunMismatchError';
  }
}

/** Identifies a run by what determines its batches and updates, so only the same run resumes. */
function runFingerprint(baseDir: string, samples: readonly Sample[], options: SftRunOptions): string {
  const { saveEvery: _saveEvery, ...determining } = options;
  const hash = createHash('sha256');
  hash.update(resolve(baseDir));
  hash.update(JSON.stringify(determining));
  for (const s of samples) hash.update(stringifyJson(s as unknown as Value));
  return hash.digest('hex');
}

async function readState(outDir: string): Promise<TrainerState | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, STATE_FILE), 'utf8')) as TrainerState;
  } catch {
    return undefined;
  }
}

async function loadOptimizer(outDir: string, bundle: EngineBundle): Promise<AdamWState> {
  const { tensors, metadata } = decodeSafetensors(await readFile(join(outDir, OPTIMIZER_FILE)));
  const state = adamWState(bundle.model.layout);
  state.m.set(tensors.get('exp_avg')!.data);
  state.v.set(tensors.get('exp_avg_sq')!.data);
  state.step = Number(metadata['step']);
  return state;
}

export async function runEmbeddedSft(args: {
  baseDir: string;
  samples: readonly Sample[];
  outDir: string;
  options?: Partial<SftRunOptions>;
  onStep?: (p: SftProgress) => void;
  signal?: AbortSignal;
}): Promise<SftRunResult> {
  const options: SftRunOptions = { ...DEFAULT_SFT, saveEvery: 50, ...args.options };
  const fingerprint = runFingerprint(args.baseDir, args.samples, options);
  const previous = await readState(args.outDir);
  if (previous && previous.fingerprint !== fingerprint) throw new SftRunMismatchError(args.outDir);

  const bundle = await loadEngineModel(previous ? args.outDir : args.baseDir);
  // A sample longer than the context cannot be trained on whole; it is left out and counted.
  const allExamples = args.samples.map((s) => sampleToExample(bundle.tokenizer, s));
  const examples = allExamples.filter((e) => e.tokens.length <= bundle.model.config.maxPositions);
  const tooLong = args.samples.filter((_, i) => allExamples[i]!.tokens.length > bundle.model.config.maxPositions).map((s) => s.id);
  const plan = planSft(examples, options);
  const state = previous ? await loadOptimizer(args.outDir, bundle) : adamWState(bundle.model.layout);
  const startStep = previous?.step ?? 0;
  const grads = new Float32Array(bundle.model.layout.total);
  const workspace = new Workspace();
  const history: SftProgress[] = [];

  const save = async (step: number): Promise<void> => {
    const optimizer = encodeSafetensors(
      [
        { name: 'exp_avg', shape: [state.m.length], data: state.m },
        { name: 'exp_avg_sq', shape: [state.v.length], data: state.v },
      ],
      { step: String(state.step) },
    );
    const trainerState: TrainerState = { fingerprint, step, totalSteps: plan.length, base: args.baseDir };
    await saveEngineModel(args.outDir, bundle.model.config, bundle.model.params, bundle.tokenizer, {
      [OPTIMIZER_FILE]: optimizer,
      [STATE_FILE]: `${JSON.stringify(trainerState, null, 2)}\n`,
    });
  };

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

