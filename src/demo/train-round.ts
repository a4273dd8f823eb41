/**
 * One arm's round: GRPO from the previous model on the round's samples, then greedy
 * evaluation on the held-out split. The result is written next to the checkpoint, so a
 * resumed demo neither trains nor evaluates a finished round again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../core/types.ts';
import { evaluateHeldOut, type HeldOutScore } from '../loop/evaluate.ts';
import { chatModelFor } from '../models/model-factory.ts';
import { writeFileDurable } from '../store/run-store.ts';
import { runEmbeddedGrpo } from '../train/embedded-grpo-run.ts';
import type { GrpoStepReport } from '../train/embedded-grpo.ts';
import type { DemoProfile } from './profiles.ts';

export interface RoundResult {
  /** GRPO steps of this round. */
  steps: number;
  meanReward: number | null;
  skippedGroups: number;
  score: HeldOutScore;
}

export interface ProgressBar {
  update(done: number, payload?: Record<string, string | number>): void;
  stop(): void;
}

export interface DemoHooks {
  log(line: string): void;
  progress(label: string, total: number, unit: string): ProgressBar;
}

const RESULT_FILE = 'demo-round.json';

export async function evaluateModel(dir: string, test: readonly Sample[], profile: DemoProfile, label: string, hooks: DemoHooks, signal?: AbortSignal): Promise<HeldOutScore> {
  const model = await chatModelFor({ provider: 'engine', path: dir });
  const bar = hooks.progress(`${label} eval`, test.length, 'samples');
  try {
    const { score } = await evaluateHeldOut(model, test, { batchSize: profile.batchSize, maxTokens: profile.answerTokens, ...(signal ? { signal } : {}), onProgress: (d) => bar.update(d) });
    return score;
  } finally {
    bar.stop();
  }
}

export async function trainRound(args: { from: string; samples: readonly Sample[]; outDir: string; test: readonly Sample[]; profile: DemoProfile; seed: number; label: string; hooks: DemoHooks; signal?: AbortSignal }): Promise<RoundResult> {
  const resultPath = join(args.outDir, RESULT_FILE);
  if (existsSync(resultPath)) return JSON.parse(readFileSync(resultPath, 'utf8')) as RoundResult;
  const g = args.profile.grpo;
  const bar = args.hooks.progress(`${args.label} grpo`, Math.ceil(args.samples.length / g.promptsPerStep) * g.epochs, 'steps');
  const summary = await runEmbeddedGrpo({
    baseDir: args.from,
    samples: args.samples,
    outDir: args.outDir,
    options: { ...args.profile.grpo, seed: args.seed },
    ...(args.signal ? { signal: args.signal } : {}),
    onStep: (r: GrpoStepReport) => {
      bar.update(r.step, { reward: r.meanReward.toFixed(2), solved: `${r.solvedGroups}/${r.groups}`, 'tok/s': Math.round(r.tokens / Math.max(1e-3, r.seconds)) });
    },
  });
  bar.stop();
  args.signal?.throwIfAborted();
  const resumedWhole = summary.resumedFrom === summary.totalSteps;
  const score = await evaluateModel(args.outDir, args.test, args.profile, args.label, args.hooks, args.signal);
  const result: RoundResult = { steps: summary.totalSteps, meanReward: resumedWhole ? null : summary.meanReward, skippedGroups: summary.skippedGroups, score };
  writeFileDurable(resultPath, JSON.stringify(result, null, 2) + '\n');
  return result;
}
