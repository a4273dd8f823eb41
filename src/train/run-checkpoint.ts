/**
 * A training run's checkpoint: the model directory plus the optimizer moments and a small
 * trainer state, written in one atomic directory swap, so a run killed at any moment
 * restarts from its last save.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringifyJson } from '../core/json.ts';
import type { Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { adamWState, type AdamWState } from '../engine/optim.ts';
import { decodeSafetensors, encodeSafetensors } from '../engine/safetensors.ts';
import { saveEngineModel, type EngineBundle } from '../models/engine-model.ts';

const STATE_FILE = 'trainer_state.json';
const OPTIMIZER_FILE = 'optimizer.safetensors';

export interface TrainerState {
  /** What determines the run (base model, data, options): only the same run resumes. */
  fingerprint: string;
  step: number;
  totalSteps: number;
  base: string;
}

export class RunMismatchError extends Error {
  constructor(outDir: string) {
    super(`${outDir} holds a different training run (other base model, data or options); choose another output directory`);
    this.name = 'RunMismatchError';
  }
}

export function runFingerprint(kind: string, baseDir: string, samples: readonly Sample[], determining: unknown): string {
  const hash = createHash('sha256');
  hash.update(kind);
  hash.update(resolve(baseDir));
  hash.update(JSON.stringify(determining));
  for (const s of samples) hash.update(stringifyJson(s as unknown as Value));
  return hash.digest('hex');
}

export async function readTrainerState(outDir: string): Promise<TrainerState | undefined> {
  try {
    return JSON.parse(await readFile(join(outDir, STATE_FILE), 'utf8')) as TrainerState;
  } catch {
    return undefined;
  }
}

export async function loadOptimizer(outDir: string, bundle: EngineBundle): Promise<AdamWState> {
  const { tensors, metadata } = decodeSafetensors(await readFile(join(outDir, OPTIMIZER_FILE)));
  const state = adamWState(bundle.model.layout);
  state.m.set(tensors.get('exp_avg')!.data);
  state.v.set(tensors.get('exp_avg_sq')!.data);
  state.step = Number(metadata['step']);
  return state;
}

export async function saveCheckpoint(outDir: string, bundle: EngineBundle, optimizer: AdamWState, trainer: TrainerState): Promise<void> {
  const moments = encodeSafetensors(
    [
      { name: 'exp_avg', shape: [optimizer.m.length], data: optimizer.m },
      { name: 'exp_avg_sq', shape: [optimizer.v.length], data: optimizer.v },
    ],
    { step: String(optimizer.step) },
  );
  await saveEngineModel(outDir, bundle.model.config, bundle.model.params, bundle.tokenizer, {
    [OPTIMIZER_FILE]: moments,
    [STATE_FILE]: `${JSON.stringify(trainer, null, 2)}\n`,
  });
}
