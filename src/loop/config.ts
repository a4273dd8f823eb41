/**
 * The `looptool iterate` config: one JSON file, checked by zod with errors that name the
 * field, and exported as a JSON Schema for editors. Flags override single fields.
 */
import { z } from 'zod';

export const ModelRefSchema = z
  .object({
    /** `openai`: an OpenAI-compatible server; `engine`: an embedded model directory. */
    provider: z.enum(['openai', 'engine']),
    /** Base URLs of the server(s), e.g. http://127.0.0.1:8000/v1 (openai). */
    baseUrls: z.array(z.string().url()).min(1).optional(),
    /** Served model name (openai) — what `GET /v1/models` lists. */
    model: z.string().optional(),
    /** Model directory (engine). */
    path: z.string().optional(),
    apiKey: z.string().optional(),
    mode: z.enum(['hermes', 'chat']).default('hermes'),
    concurrency: z.number().int().positive().default(16),
    timeoutMs: z.number().int().positive().default(120_000),
    maxRetries: z.number().int().nonnegative().default(5),
    /** Extra request body fields, e.g. vLLM's {"top_k": 20, "chat_template_kwargs": {"enable_thinking": false}}. */
    extraBody: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.provider === 'openai' && (!m.baseUrls || !m.model)) ctx.addIssue({ code: 'custom', message: 'an openai model needs baseUrls and model', path: ['baseUrls'] });
    if (m.provider === 'engine' && !m.path) ctx.addIssue({ code: 'custom', message: 'an engine model needs path', path: ['path'] });
  });
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const IterateConfigSchema = z.object({
  /** Seed data: looptool samples (JSONL), as `world generate` or `convert` write them. */
  data: z.string(),
  rounds: z.number().int().positive().default(3),
  /** Samples per round's dataset; round 0 takes the first `budget` seed samples. */
  budget: z.number().int().positive().default(1000),
  /** The policy probed in the first round (later rounds use what training returned). */
  model: ModelRefSchema,
  probe: z
    .object({
      batchSize: z.number().int().positive().default(16),
      maxTokens: z.number().int().positive().default(256),
      /** Perplexity quantile among correct answers above which a sample is borderline. */
      pplQuantile: z.number().min(0).max(1).default(0.5),
      rewardVariant: z.enum(['official', 'strict']).default('official'),
    })
    .prefault({}),
  judge: z
    .object({
      kind: z.enum(['rule', 'llm', 'ensemble']).default('rule'),
      /** Judge model for `llm` and `ensemble`. */
      model: ModelRefSchema.optional(),
      /** Votes of the LLM judge (samples at temperature `temperature` when more than one). */
      votes: z.number().int().positive().default(1),
      temperature: z.number().min(0).default(0.7),
      /** Votes that must agree (default: a majority, 1 of 1 alone). */
      k: z.number().int().positive().optional(),
      /** Relabel a both-wrong pair with the label the judge mended from the two, where it built one (default true; false drops every both-wrong pair, as the paper). */
      mend: z.boolean().optional(),
    })
    .prefault({}),
  expander: z
    .object({
      kind: z.enum(['template', 'llm']).default('template'),
      model: ModelRefSchema.optional(),
      /** New samples per error seed (the paper's 4). */
      perSeed: z.number().int().positive().default(4),
      /** Tools the template expander offers per new sample (default: the world's 2–8); a small model's context fits only what it was trained on. */
      tools: z
        .object({ min: z.number().int().positive(), max: z.number().int().positive() })
        .refine((t) => t.min <= t.max, { message: 'tools.min must not exceed tools.max' })
        .optional(),
    })
    .prefault({}),
  compose: z
    .object({
      seedShare: z.number().min(0).max(1).default(0.4),
      /** Share of the budget kept for high-perplexity correct samples, so failures cannot crowd them out (see `ComposeOptions.hpplShare`). */
      hpplShare: z.number().min(0).max(1).default(0),
      /** Most of a round one sample kind may take, as a multiple of its share of the seed data (0 = no cap, as in the paper). */
      kindCap: z.number().min(0).default(0),
      /** Error seeds in the order probed (the paper's) or the most reachable label first (see `ComposeOptions.errorSeedOrder`). */
      errorSeedOrder: z.enum(['as_probed', 'reachable_first']).default('reachable_first'),
      noHppl: z.boolean().default(false),
      noJglv: z.boolean().default(false),
      noEdde: z.boolean().default(false),
      hpplReplace: z.boolean().default(false),
      seedRepeat: z.boolean().default(false),
    })
    .prefault({}),
  trainer: z
    .object({
      kind: z.enum(['none', 'embedded', 'verl', 'openrlhf', 'trl']).default('none'),
      /** GRPO settings of the embedded trainer (the engine's defaults where left out). */
      grpo: z
        .object({
          groupSize: z.number().int().min(2).optional(),
          promptsPerStep: z.number().int().positive().optional(),
          epochs: z.number().int().positive().optional(),
          maxTokens: z.number().int().positive().optional(),
          lr: z.number().positive().optional(),
          seed: z.number().int().optional(),
          /** low_var_kl against the round's starting model (0 = off, as in the paper). */
          klCoef: z.number().min(0).optional(),
          miniBatches: z.number().int().positive().optional(),
        })
        .prefault({}),
      /** Options of the external trainers, passed through and checked by each (see `looptool iterate --help`). */
      verl: z.record(z.string(), z.unknown()).optional(),
      openrlhf: z.record(z.string(), z.unknown()).optional(),
      trl: z.record(z.string(), z.unknown()).optional(),
    })
    .prefault({}),
  /** Where model responses are cached (default: the run directory's cache/). */
  cacheDir: z.string().optional(),
  seed: z.number().int().default(0),
});
export type IterateConfig = z.infer<typeof IterateConfigSchema>;

/** The config's JSON Schema, for editors (`looptool iterate --print-schema`). */
export function iterateConfigJsonSchema(): unknown {
  return z.toJSONSchema(IterateConfigSchema, { io: 'input' });
}
