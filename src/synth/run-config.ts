/**
 * What a synthesis run was made with, kept in its manifest: a resumed run must make the
 * same dialogues, so it may differ only in how many (`n`) and how fast (`concurrency`);
 * any other difference is refused with the field named.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../core/records.ts';
import { stringifyJson } from '../core/json.ts';
import type { Tool } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';

export interface SynthRunConfig {
  /** SHA-256 of the tool set as read. */
  toolSet: string;
  tools: number;
  n: number;
  concurrency: number;
  seed: number;
  policy: string;
  toolsPerDialogue: { min: number; max: number };
  needs: { min: number; max: number };
  date: string;
  retries: number;
  maxStepsPerTurn: number;
  temperature: number;
  roles: { planner: string; user: string; assistant: string; tool: string };
  judge: string;
}

const FREE: ReadonlySet<string> = new Set(['n', 'concurrency']);

export function toolSetHash(tools: readonly Tool[]): string {
  return createHash('sha256').update(stringifyJson(tools as unknown as Value)).digest('hex');
}

/** Throws when `stored` (the manifest's config) was made with other settings than `given`. */
export function checkSameRun(stored: Value, given: SynthRunConfig, manifestPath: string): void {
  if (!isPlainObject(stored) || Object.keys(stored).length === 0) return;
  for (const [key, value] of Object.entries(given)) {
    if (FREE.has(key)) continue;
    const was = JSON.stringify(stored[key]);
    const now = JSON.stringify(value);
    if (was !== now) throw new InputError(manifestPath, undefined, `config.${key}`, `this run was made with ${was}, the command asks for ${now}; use the same settings to continue it, or another --out`);
  }
}
