/** The train/validation split of a round: deterministic for a given seed, order kept within each part. */
import { Rng } from '../../core/random.ts';

export interface TrainValidationSplit<T> {
  train: T[];
  validation: T[];
}

/**
 * Puts `round(share × n)` items, chosen by a seeded shuffle, into validation (at least one
 * when the share is above 0 and there are two or more items, so verl always has a
 * validation set to run; never all of them). Both parts keep the input order, so files
 * diff cleanly between rounds.
 */
export function splitTrainValidation<T>(items: readonly T[], validationShare: number, seed: number): TrainValidationSplit<T> {
  if (!(validationShare >= 0 && validationShare < 1)) throw new RangeError(`validation share must be in [0, 1), got ${validationShare}`);
  let count = Math.round(items.length * validationShare);
  if (validationShare > 0 && items.length >= 2) count = Math.min(Math.max(count, 1), items.length - 1);
  const positions = new Rng(seed).shuffle(items.map((_, i) => i));
  const chosen = new Set(positions.slice(0, count));
  const train: T[] = [];
  const validation: T[] = [];
  items.forEach((item, i) => (chosen.has(i) ? validation : train).push(item));
  return { train, validation };
}
