/**
 * A training run's per-step figures in an append-only JSONL file, so a run stopped and
 * resumed (perhaps several times) still reports the figures of the whole run. Steps
 * redone after a resume replace the first try's; a torn last line is skipped.
 */
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface StepFigures {
  step: number;
  loss: number;
  tokens: number;
  /** Wall time spent on this step. */
  seconds: number;
}

export interface RunFigures {
  steps: number;
  /** null only when the last step's line was lost. */
  finalLoss: number | null;
  tokens: number;
  seconds: number;
}

/** Synchronous, so a step is in the log before the checkpoint that includes it is saved. */
export function appendStep(path: string, figures: StepFigures): void {
  appendFileSync(path, `${JSON.stringify(figures)}\n`);
}

/** The last record of each step 1..totalSteps. */
export async function readSteps(path: string, totalSteps: number): Promise<Map<number, StepFigures>> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const steps = new Map<number, StepFigures>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: StepFigures;
    try {
      r = JSON.parse(line) as StepFigures;
    } catch {
      continue; // a line torn by a kill mid-write
    }
    if (Number.isInteger(r.step) && r.step >= 1 && r.step <= totalSteps) steps.set(r.step, r);
  }
  return steps;
}

/** The figures of a finished run: its step count, last loss, and tokens and seconds summed over its steps. */
export async function summarizeSteps(path: string, totalSteps: number): Promise<RunFigures> {
  const steps = await readSteps(path, totalSteps);
  let tokens = 0;
  let seconds = 0;
  for (const s of steps.values()) {
    tokens += s.tokens;
    seconds += s.seconds;
  }
  return { steps: totalSteps, finalLoss: steps.get(totalSteps)?.loss ?? null, tokens, seconds: Math.round(seconds * 10) / 10 };
}
