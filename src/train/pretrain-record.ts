/**
 * The world pretrain's settings and `pretrain.json`, the record beside the finished model:
 * what made it (settings, looptool version, data), how training went, and how it scores on
 * held-out data. The same settings also guard a directory: a run only continues or
 * skips where the settings that shape the model are the same.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, writeFileAtomic } from '../core/records.ts';
import { MODEL_SIZES, type ModelSizeName } from '../engine/config.ts';
import { SPLIT_PATTERNS, type SplitName } from '../engine/tokenizer/index.ts';

export const PRETRAIN_VALUES = ['own', 'all'] as const;
export type PretrainValues = (typeof PRETRAIN_VALUES)[number];

/** `vocab`'s bounds: room for the bytes and special tokens below, an embedding a CPU model can carry above. */
export const PRETRAIN_VOCAB = Object.freeze({ min: 512, max: 65536 });

export interface PretrainOptions {
  /** Seeds the data and the weights. */
  seed: number;
  /** Seeds the order SFT takes the samples in (as `engine sft --seed`). */
  shuffleSeed: number;
  /** Samples in the clean `base` split to train on. */
  samples: number;
  /**
   * Base samples (drawn with another seed) for a first stage before the main SFT: those
   * answered with calls, without their tool lists. Prompts a fifth as long put about 29
   * samples in a step instead of 6, so the few tokens that must be read out of the request
   * (a value's first token) get several times the gradient per step; 0: no first stage.
   */
  readingSamples: number;
  /** Tools offered per sample: few tools keep prompts short enough for a small context. */
  tools: { min: number; max: number };
  /**
   * Share of free-text values (names, titles, ids) replaced by invented ones of the same
   * shape, so the model learns to copy values from the request rather than recall the
   * base split's own (see world/invent.ts).
   */
  inventedValues: number;
  /**
   * Which values the samples draw: `own`, the base split's only (the loop's seed and test
   * values stay unseen); `all`, every split's, so the model knows the world's entities as
   * a pretrained LLM knows the real world's and the loop's data differs from its own by
   * phrasing (each split keeps its own greetings, the test split a template per tool).
   */
  values: PretrainValues;
  /** The tokenizer's pre-tokenizer split (see engine/tokenizer/pretokenize.ts). */
  split: SplitName;
  /**
   * Largest tokenizer vocabulary, or null for the size's. The world's corpus spends a
   * small vocabulary on the tool schemas it repeats, leaving names cut into letters
   * ("H|u|go"); a larger one keeps each value's words whole.
   */
  vocab: number | null;
  size: ModelSizeName;
  /** Context length in tokens; longer samples are left out and counted. */
  maxPositions: number;
  epochs: number;
  /** Loss weight of answer tokens other than call names and argument values (1: plain SFT). */
  formatWeight: number;
  /** Loss weight of the prompt's tokens, trained as a language model (0: answer only). */
  promptWeight: number;
  /**
   * Loss weight of the main stage's decision tokens — the answer's first (a call or a text
   * reply) and the one after each call (another call or the end) — or null for the format
   * weight. The reading stage, whose answers are all calls, keeps the format weight.
   */
  decisionWeight: number | null;
  /**
   * Share (0-1) of the main stage's one-call samples trained beside their irrelevance twin
   * (world/irrelevance-twin.ts): the same request, its tool out of the list, a refusal.
   */
  irrelevanceTwins: number;
  lr: number;
  batchTokens: number;
  warmup: number;
  /** Save the run every this many steps (does not change the result). */
  saveEvery: number;
  /** Held-out `test` samples to score the result on (does not change the model; 0 skips). */
  evalSamples: number;
}

export const DEFAULT_PRETRAIN: Readonly<PretrainOptions> = Object.freeze({
  seed: 1,
  shuffleSeed: 0,
  samples: 6000,
  readingSamples: 90000,
  tools: Object.freeze({ min: 2, max: 3 }),
  inventedValues: 0,
  values: 'all',
  split: 'words',
  vocab: null,
  size: 'tiny',
  maxPositions: 1024,
  epochs: 1,
  formatWeight: 0.1,
  promptWeight: 0.1,
  decisionWeight: 1,
  irrelevanceTwins: 0.5,
  lr: 2e-3,
  batchTokens: 4096,
  warmup: 20,
  saveEvery: 200,
  evalSamples: 400,
});

/** Settings that leave the trained weights unchanged, so a rerun may differ in them. */
const NOT_SHAPING_THE_MODEL: ReadonlySet<keyof PretrainOptions> = new Set(['saveEvery', 'evalSamples']);

export const PretrainOptionsSchema = z.object({
  seed: z.number().int().min(0),
  shuffleSeed: z.number().int().min(0).default(0),
  samples: z.number().int().min(1),
  // Records written before the option existed had no first stage.
  readingSamples: z.number().int().min(0).default(0),
  tools: z.object({ min: z.number().int().min(1), max: z.number().int().min(1) }).refine((t) => t.min <= t.max, 'tools.min must be ≤ tools.max'),
  inventedValues: z.number().min(0).max(1).default(0),
  // Records written before the option existed drew the base split's own values only.
  values: z.enum(PRETRAIN_VALUES).default('own'),
  // Records written before the option existed were made with Qwen2's split.
  split: z.enum(Object.keys(SPLIT_PATTERNS) as [SplitName, ...SplitName[]]).default('qwen2'),
  // Records written before the option existed used the size's vocabulary.
  vocab: z.number().int().min(PRETRAIN_VOCAB.min).max(PRETRAIN_VOCAB.max).nullable().default(null),
  size: z.enum(Object.keys(MODEL_SIZES) as [ModelSizeName, ...ModelSizeName[]]),
  maxPositions: z.number().int().min(16),
  epochs: z.number().int().min(1),
  // Records written before the option existed trained every answer token alike.
  formatWeight: z.number().min(0).max(1).default(1),
  // Records written before the option existed trained on the answer alone.
  promptWeight: z.number().min(0).max(1).default(0),
  // Records written before the option existed weighed decisions like the rest of the format.
  decisionWeight: z.number().min(0).max(1).nullable().default(null),
  // Records written before the option existed trained no twins.
  irrelevanceTwins: z.number().min(0).max(1).default(0),
  lr: z.number().min(0),
  batchTokens: z.number().int().min(1),
  warmup: z.number().int().min(0),
  saveEvery: z.number().int().min(1),
  evalSamples: z.number().int().min(0),
});

const RunFiguresSchema = z.object({ steps: z.number().int(), finalLoss: z.number().nullable(), tokens: z.number().int(), seconds: z.number() });

const KindScoreSchema = z.object({ accuracy: z.number(), correct: z.number().int(), total: z.number().int() });

export const PretrainEvaluationSchema = KindScoreSchema.extend({
  split: z.literal('test'),
  byKind: z.record(z.string(), KindScoreSchema),
});
export type PretrainEvaluation = z.infer<typeof PretrainEvaluationSchema>;

export const PretrainRecordSchema = z.object({
  looptool: z.string(),
  settings: PretrainOptionsSchema,
  /** `twins`: irrelevance twins trained beside the samples (counted in `trainedOn`, not in `samples`). */
  data: z.object({ split: z.literal('base'), samples: z.number().int(), twins: z.number().int().default(0), trainedOn: z.number().int(), leftOutTooLong: z.number().int() }),
  model: z.object({ parameters: z.number().int(), vocabSize: z.number().int(), maxPositions: z.number().int() }),
  /** The first stage, when there was one: its samples (calls only, no tool lists) and SFT figures. */
  reading: z.object({ samples: z.number().int(), trainedOn: z.number().int(), sft: RunFiguresSchema }).optional(),
  sft: RunFiguresSchema,
  evaluation: PretrainEvaluationSchema.optional(),
});
export type PretrainRecord = z.infer<typeof PretrainRecordSchema>;

export const PRETRAIN_RECORD_FILE = 'pretrain.json';

/** A directory already holds a pretrain made with another value of a setting that shapes the model. */
export class PretrainMismatchError extends Error {
  constructor(
    readonly dir: string,
    readonly setting: keyof PretrainOptions,
    readonly previous: unknown,
    readonly requested: unknown,
  ) {
    super(`${dir} holds a pretrain made with ${setting} = ${JSON.stringify(previous)}, not ${JSON.stringify(requested)}; rerun with the same settings to continue, or choose another output directory`);
    this.name = 'PretrainMismatchError';
  }
}

/** The first setting that shapes the model and differs, or undefined when the two runs are the same run. */
export function differingSetting(previous: PretrainOptions, requested: PretrainOptions): keyof PretrainOptions | undefined {
  for (const key of Object.keys(PretrainOptionsSchema.shape) as (keyof PretrainOptions)[]) {
    if (NOT_SHAPING_THE_MODEL.has(key)) continue;
    if (JSON.stringify(previous[key]) !== JSON.stringify(requested[key])) return key;
  }
  return undefined;
}

export function assertSameRun(dir: string, previous: PretrainOptions, requested: PretrainOptions): void {
  const key = differingSetting(previous, requested);
  if (key !== undefined) throw new PretrainMismatchError(dir, key, previous[key], requested[key]);
}

export function renderPretrainRecord(record: PretrainRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** The record in `dir`, or undefined when there is none (the pretrain has not finished there). */
export async function readPretrainRecord(dir: string): Promise<PretrainRecord | undefined> {
  const path = join(dir, PRETRAIN_RECORD_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(path, undefined, undefined, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = PretrainRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(path, undefined, issue?.path.join('.') || undefined, `not a pretrain record: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** Adds the held-out score to the record (replacing an earlier one made with another sample count). */
export async function recordPretrainEvaluation(dir: string, evaluation: PretrainEvaluation): Promise<PretrainRecord> {
  const record = await readPretrainRecord(dir);
  if (!record) throw new Error(`${join(dir, PRETRAIN_RECORD_FILE)} not found: the pretrain has not finished there`);
  const updated: PretrainRecord = { ...record, settings: { ...record.settings, evalSamples: evaluation.total }, evaluation };
  await writeFileAtomic(join(dir, PRETRAIN_RECORD_FILE), renderPretrainRecord(updated));
  return updated;
}
