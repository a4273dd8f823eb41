/**
 * The TRL trainer's options (`trainer.trl` in the iterate config), with the paper's GRPO
 * settings as defaults where TRL has them: group size 16, sampling temperature 1.0, clip
 * ratio 0.2 low / 0.28 high, no KL term, learning rate 1e-6, token-mean loss (TRL's
 * "dapo": token losses averaged over the whole accumulated batch, verl's `token-mean`).
 *
 * The names of `trl.GRPOConfig` these map to are in `grpoConfigArgs`; anything else
 * GRPOConfig takes goes under `extra` with TRL's own (snake_case) names, checked against
 * the installed TRL by the training script.
 */
import { z } from 'zod';
import { SERVING_OPTIONS } from '../serve-trained-model.ts';
import { parseTrainerOptions, TrainerConfigError } from '../trainer-config-error.ts';

const positiveInt = z.number().int().positive();

export const TrlOptionsSchema = z.strictObject({
  ...SERVING_OPTIONS,
  /** `python` runs `python3 train_grpo.py`; `accelerate` runs `accelerate launch` (several GPUs, DeepSpeed, FSDP). */
  launcher: z.enum(['python', 'accelerate']).default('python'),
  /** The Python interpreter (a virtualenv's, say). */
  python: z.string().min(1).default('python3'),
  /** Processes for `accelerate launch` (one per GPU). */
  numProcesses: positiveInt.default(1),
  /** An `accelerate config` file (DeepSpeed or FSDP set-ups). */
  accelerateConfig: z.string().min(1).optional(),
  /** `CUDA_VISIBLE_DEVICES` for the run, e.g. "0,1,2,3". */
  gpus: z.string().regex(/^\d+(,\d+)*$/, 'expected GPU indices like "0,1,2,3"').optional(),

  numGenerations: z.number().int().min(2).default(16),
  temperature: z.number().positive().default(1),
  epsilon: z.number().positive().default(0.2),
  epsilonHigh: z.number().positive().default(0.28),
  /** KL coefficient against the reference model (0 = no KL term and no reference model, as the paper). */
  beta: z.number().min(0).default(0),
  lossType: z.string().regex(/^[a-z_]+$/, 'expected one of TRL\'s loss names, e.g. "dapo", "bnpo", "grpo", "dr_grpo"').default('dapo'),
  learningRate: z.number().positive().default(1e-6),
  maxCompletionLength: positiveInt.default(1024),
  /** Completions per device per step (TRL counts completions, not prompts). */
  perDeviceTrainBatchSize: positiveInt.default(16),
  gradientAccumulationSteps: positiveInt.default(1),
  numTrainEpochs: z.number().positive().default(1),
  /** Stop after this many optimizer steps (overrides the epochs). */
  maxSteps: positiveInt.optional(),
  /** bfloat16 mixed precision; needs a GPU (or CPU) that supports it. */
  bf16: z.boolean().default(false),
  /** Save a resumable TRL checkpoint every this many steps. */
  saveSteps: positiveInt.default(100),
  loggingSteps: positiveInt.default(1),
  /** Where TRL reports metrics: "none", "wandb", "tensorboard", … */
  reportTo: z.string().min(1).default('none'),
  /** Resume from the newest TRL checkpoint of an interrupted run of this round. */
  resume: z.boolean().default(true),
  /** More `trl.GRPOConfig` settings under TRL's own names, e.g. {"mask_truncated_completions": true}. */
  extra: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'expected a GRPOConfig field name (snake_case)'), z.unknown()).default({}),
});
export type TrlOptions = z.infer<typeof TrlOptionsSchema>;

/** Validates `trainer.trl`; the first problem is thrown as a `TrainerConfigError` naming its field. */
export function parseTrlOptions(raw: unknown): TrlOptions {
  const options = parseTrainerOptions(TrlOptionsSchema, raw, 'trl');
  const batch = options.perDeviceTrainBatchSize * options.gradientAccumulationSteps * (options.launcher === 'accelerate' ? options.numProcesses : 1);
  if (batch % options.numGenerations !== 0) {
    throw new TrainerConfigError(
      'trainer.trl.perDeviceTrainBatchSize',
      `perDeviceTrainBatchSize × gradientAccumulationSteps × processes = ${batch} completions a step, which must hold whole groups of numGenerations (${options.numGenerations})`,
    );
  }
  if (options.epsilonHigh < options.epsilon) throw new TrainerConfigError('trainer.trl.epsilonHigh', `must be at least epsilon (${options.epsilon})`);
  for (const key of Object.keys(options.extra)) {
    const named = NAMED[key];
    if (named !== undefined) throw new TrainerConfigError(`trainer.trl.extra.${key}`, `set it with trainer.trl.${named} instead`);
    if (key === 'seed') throw new TrainerConfigError('trainer.trl.extra.seed', 'comes from the iterate config\'s seed');
    if (key === 'output_dir') throw new TrainerConfigError('trainer.trl.extra.output_dir', 'is the round\'s folder, chosen by looptool');
  }
  return options;
}

/** GRPOConfig's name of each named option. */
const NAMED: Partial<Record<string, keyof TrlOptions>> = {
  num_generations: 'numGenerations',
  temperature: 'temperature',
  epsilon: 'epsilon',
  epsilon_high: 'epsilonHigh',
  beta: 'beta',
  loss_type: 'lossType',
  learning_rate: 'learningRate',
  max_completion_length: 'maxCompletionLength',
  per_device_train_batch_size: 'perDeviceTrainBatchSize',
  gradient_accumulation_steps: 'gradientAccumulationSteps',
  num_train_epochs: 'numTrainEpochs',
  max_steps: 'maxSteps',
  bf16: 'bf16',
  save_steps: 'saveSteps',
  logging_steps: 'loggingSteps',
  report_to: 'reportTo',
};

/** The keyword arguments of `trl.GRPOConfig` for these options and the round's seed. */
export function grpoConfigArgs(options: TrlOptions, seed: number): Record<string, unknown> {
  return {
    num_generations: options.numGenerations,
    temperature: options.temperature,
    epsilon: options.epsilon,
    epsilon_high: options.epsilonHigh,
    beta: options.beta,
    loss_type: options.lossType,
    learning_rate: options.learningRate,
    max_completion_length: options.maxCompletionLength,
    per_device_train_batch_size: options.perDeviceTrainBatchSize,
    gradient_accumulation_steps: options.gradientAccumulationSteps,
    num_train_epochs: options.numTrainEpochs,
    ...(options.maxSteps === undefined ? {} : { max_steps: options.maxSteps }),
    bf16: options.bf16,
    save_strategy: 'steps',
    save_steps: options.saveSteps,
    logging_steps: options.loggingSteps,
    report_to: options.reportTo,
    seed,
    ...options.extra,
  };
}
