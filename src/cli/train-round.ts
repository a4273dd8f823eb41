/**
 * A round's training as `looptool iterate` runs it through a trainer plug-in: prepare (the
 * files and commands, printed), launch unless `--dry-run` (the trainer's lines streamed, a
 * signal stopping it), collect, and the collected model as the loop's `ModelRef`. A trained
 * model that is an engine directory is probed in process; any other must be served first:
 * through the trainer's `endpoint` option once it answers, or by the user, who continues with
 * `--trained-url` (the run waits until then, as with trainer "none").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/records.ts';
import { configFromHf } from '../engine/checkpoint.ts';
import { ModelRefSchema, type ModelRef } from '../loop/config.ts';
import { isHfModelDir } from '../train/hf-model-dir.ts';
import { TrainerCommandError } from '../train/run-commands.ts';
import { TrainerConfigError } from '../train/trainer-config-error.ts';
import type { PreparedTraining, TrainedModel, TrainerPlugin, TrainerRound } from '../train/trainer-plugin.ts';
import { HydraValueError } from '../train/verl/hydra-override.ts';

export interface RoundTrainingSettings {
  plugin: TrainerPlugin;
  runDir: string;
  /** The config file (or manifest) errors are reported against. */
  configPath: string;
  /** The trainer's options from the config. */
  options: Readonly<Record<string, unknown>>;
  rewardUrl: string;
  seed: number;
  dryRun: boolean;
  /** How a served trained model is asked (the config model's mode). */
  mode: 'hermes' | 'chat';
  /** The config model's API key: a served trained model is asked with it too. */
  apiKey?: string;
  signal: AbortSignal;
  /** The plan and what to do next (stdout). */
  out: (text: string) => void;
  /** The trainer's own output (stderr). */
  log: (line: string) => void;
}

/** The loop's model as a trainer sees it: a directory when one is known, else the endpoint. */
function trainedModelOf(ref: ModelRef): TrainedModel {
  if (ref.path) return { kind: 'path', path: ref.path };
  return { kind: 'endpoint', baseUrl: ref.baseUrls![0]!, model: ref.model! };
}

/** A directory the embedded engine loads: a Llama config it supports, the weights and the tokenizer. */
function isEngineModelDir(dir: string): boolean {
  if (!existsSync(join(dir, 'model.safetensors')) || !existsSync(join(dir, 'tokenizer.json'))) return false;
  try {
    configFromHf(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>, dir);
    return true;
  } catch {
    return false;
  }
}

async function answers(baseUrl: string, apiKey: string | undefined): Promise<boolean> {
  try {
    const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
    const r = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { headers, signal: AbortSignal.timeout(5000) });
    return r.ok;
  } catch {
    return false;
  }
}

function trainerRound(s: RoundTrainingSettings, datasetPath: string, from: ModelRef, round: number): TrainerRound {
  return {
    round,
    datasetPath,
    from: trainedModelOf(from),
    workDir: resolve(s.runDir, 'trainers', s.plugin.kind, `round-${round}`),
    rewardUrl: s.rewardUrl,
    options: s.options,
    seed: s.seed,
  };
}

function planText(kind: string, round: TrainerRound, prepared: PreparedTraining, rewardUrl: string): string {
  const lines = [`round ${round.round}: ${kind} training, in ${round.workDir}`];
  if (prepared.files.length > 0) lines.push('  files:', ...prepared.files.map((f) => `    ${f}`));
  const run = prepared.commands.filter((c) => !c.after);
  const then = prepared.commands.filter((c) => c.after);
  if (run.length > 0) {
    lines.push(`  reward: looptool serve-reward must answer at ${rewardUrl} while training`);
    lines.push('  commands:', ...run.map((c) => `    # ${c.label}\n    ${c.shell}`));
  } else if (kind === 'embedded') lines.push(`  GRPO in this process, from ${round.from.kind === 'path' ? round.from.path : round.from.model} to ${prepared.checkpointDir}`);
  if (then.length > 0) lines.push('  then:', ...then.map((c) => `    # ${c.label}\n    ${c.shell}`));
  return `${lines.join('\n')}\n`;
}

/** Turns a trainer's failures into one clear message naming the config field or the command. */
async function failuresAsInputErrors<T>(s: RoundTrainingSettings, workDir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof TrainerConfigError) throw new InputError(s.configPath, undefined, e.field, e.detail);
    if (e instanceof HydraValueError) throw new InputError(workDir, undefined, undefined, e.message);
    if (e instanceof TrainerCommandError) throw new InputError(workDir, undefined, undefined, e.message);
    throw e;
  }
}

/** The collected model as the loop's model, or undefined (and what to do, printed) when it must be served first. */
async function modelRefOf(s: RoundTrainingSettings, round: TrainerRound, prepared: PreparedTraining, trained: TrainedModel): Promise<ModelRef | undefined> {
  const serve = prepared.commands.filter((c) => c.after).map((c) => `  ${c.shell}\n`).join('');
  if (trained.kind === 'endpoint') {
    if (await answers(trained.baseUrl, s.apiKey)) {
      const path = isHfModelDir(prepared.checkpointDir) ? { path: prepared.checkpointDir } : {};
      const key = s.apiKey ? { apiKey: s.apiKey } : {};
      return ModelRefSchema.parse({ provider: 'openai', baseUrls: [trained.baseUrl], model: trained.model, mode: s.mode, ...path, ...key });
    }
    s.out(`\nround ${round.round}'s model is trained in ${prepared.checkpointDir}, but nothing answers at ${trained.baseUrl} yet. Serve it:\n${serve}then run the same command again.\n`);
    return undefined;
  }
  if (isEngineModelDir(trained.path)) return ModelRefSchema.parse({ provider: 'engine', path: trained.path });
  s.out(`\nround ${round.round}'s model is trained in ${trained.path}. Serve it for the next round's probe:\n${serve}then continue with --trained-url http://HOST:PORT/v1 --trained-name NAME (or set the trainer's "endpoint" option and run the same command again).\n`);
  return undefined;
}

/**
 * Trains one round: prepare and print; a model already collected (trained by an earlier run or
 * by hand) is taken as is; otherwise launch, unless dry-run, and collect.
 */
export async function trainRound(s: RoundTrainingSettings, datasetPath: string, from: ModelRef, roundNumber: number): Promise<ModelRef | undefined> {
  const round = trainerRound(s, datasetPath, from, roundNumber);
  return failuresAsInputErrors(s, round.workDir, async () => {
    const prepared = await s.plugin.prepare(round);
    s.out(planText(s.plugin.kind, round, prepared, s.rewardUrl));
    // the embedded run judges its own checkpoint (same data and settings?) when it starts
    let trained = s.plugin.kind === 'embedded' ? undefined : await s.plugin.collect(round, prepared);
    if (trained) s.out(`round ${roundNumber}: the trained model is already in ${prepared.checkpointDir}\n`);
    else if (s.dryRun) {
      const next = prepared.commands.some((c) => !c.after) ? 'run the commands above (or the same iterate command without --dry-run) and run iterate again' : 'run the same iterate command without --dry-run to train';
      s.out(`round ${roundNumber}: --dry-run, nothing launched; ${next}\n`);
      return undefined;
    } else {
      await s.plugin.launch(round, prepared, { signal: s.signal, log: (line) => s.log(`[${s.plugin.kind}] ${line}`) });
      trained = await s.plugin.collect(round, prepared);
      if (!trained) throw new InputError(round.workDir, undefined, undefined, `the ${s.plugin.kind} commands finished but left no model in ${prepared.checkpointDir}`);
    }
    return modelRefOf(s, round, prepared, trained);
  });
}

/** The round's trained 🤗 directory, if the trainer has left one (to keep beside a model given by --trained-url). */
export async function trainedCheckpointOf(s: RoundTrainingSettings, datasetPath: string, from: ModelRef, roundNumber: number): Promise<string | undefined> {
  const round = trainerRound(s, datasetPath, from, roundNumber);
  const prepared = await failuresAsInputErrors(s, round.workDir, () => s.plugin.prepare(round));
  return isHfModelDir(prepared.checkpointDir) ? prepared.checkpointDir : undefined;
}
