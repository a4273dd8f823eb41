/** Parsers for command-line values shared by several commands: each rejects bad input with a message that says what was expected. */
import { InvalidArgumentError } from 'commander';
import type { ToolCount } from '../world/scenario.ts';

export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

export function positiveWholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

/** A share from 0 to 1. */
export function shareOfOne(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share from 0 to 1, e.g. 0.5');
  return n;
}

/** `MIN-MAX` (or one number) tools offered per sample. */
export function toolRange(value: string): ToolCount {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(min >= 1 && max >= min && max <= 16)) throw new InvalidArgumentError('expected MIN-MAX with 1 ≤ MIN ≤ MAX ≤ 16, e.g. 2-4');
  return { min, max };
}
