/** The 🤗 model an external trainer starts a round from. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { TrainerConfigError } from './trainer-config-error.ts';
import type { TrainerRound } from './trainer-plugin.ts';

/** A local directory becomes absolute (the scripts run from the round's folder); anything else is a hub id and stays. */
function modelLocation(path: string): string {
  return existsSync(path) ? resolve(path) : path;
}

/** The round's own model directory, else `trainer.<kind>.modelPath` (a served round-1 model has no directory looptool knows). */
export function startingModelPath(round: TrainerRound, modelPath: string | undefined, kind: string): string {
  if (round.from.kind === 'path') return modelLocation(round.from.path);
  if (modelPath) return modelLocation(modelPath);
  throw new TrainerConfigError(
    `trainer.${kind}.modelPath`,
    `round ${round.round} starts from the model served at ${round.from.baseUrl} ("${round.from.model}"), and ${kind} needs its weights: give its 🤗 directory or hub id (or give the round's model a "path")`,
  );
}
