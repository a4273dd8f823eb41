/**
 * The verl trainer's options (`trainer.verl` in the iterate config). Defaults are the paper's
 * GRPO run, from the official LoopTool code: Rednote-ExperienceAI-Lab/LoopTool
 * `grpotool/train_grpo_qwen.sh` (batch 256, lr 1e-6, group 16, 4 epochs, clip high 0.28, no KL
 * loss, saves every 90 steps) and `grpotool/example/grpo_trainer/grpo_qwen_eightgpus.sh`
 * (8 GPUs, rollout tensor parallel 8, prompt 4096 / response 1024 tokens, mini-batch 32,
 * micro-batch 1, clip low 0.2, FSDP with parameter and optimizer offload, vLLM at 0.7 of GPU
 * memory). verl's own defaults supply dual-clip c = 3 and token-mean loss aggregation
 * (volcengine/verl `verl/trainer/config/ppo_trainer.yaml`), written out here so the script says them.
 */
import { z } from 'zod';
import { SERVING_OPTIONS } from '../serve-trained-model.ts';

const positiveInt = z.number().int().positive();
const share = z.number().gt(0).max(1);

/** Text passed to Hydra as a string: `${` would be read as an interpolation, so it is refused here, where the error names the field. */
const hydraText = z.string().min(1).refine((t) => !t.includes('${'), 'must not contain "${" (Hydra would read it as an interpolation)');

export const VerlOptionsSchema = z.strictObject({
  ...SERVING_OPTIONS,
  nGpusPerNode: positiveInt.default(8),
  nnodes: positiveInt.default(1),
  /** vLLM tensor parallel size of the rollout. */
  tensorParallelSize: positiveInt.default(8),
  gpuMemoryUtilization: share.default(0.7),
  /** GRPO group size: rollouts per prompt. */
  groupSize: z.number().int().min(2).default(16),
  lr: z.number().positive().default(1e-6),
  /** Prompts per training step. */
  trainBatchSize: positiveInt.default(256),
  valBatchSize: positiveInt.default(256),
  /** Prompts per policy update (each update sees groupSize rollouts of each). */
  ppoMiniBatchSize: positiveInt.default(32),
  ppoMicroBatchSizePerGpu: positiveInt.default(1),
  logProbMicroBatchSizePerGpu: positiveInt.default(1),
  maxPromptLength: positiveInt.default(4096),
  maxResponseLength: positiveInt.default(1024),
  epochs: positiveInt.default(4),
  temperature: z.number().positive().default(1.0),
  clipRatioLow: z.number().min(0).max(1).default(0.2),
  clipRatioHigh: z.number().min(0).default(0.28),
  /** Dual-clip PPO's lower bound for negative advantages. */
  clipRatioC: z.number().gt(1).default(3.0),
  lossAggMode: z.enum(['token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean']).default('token-mean'),
  /** The paper trains without a KL term; `true` adds verl's KL loss against the reference model. */
  useKlLoss: z.boolean().default(false),
  klLossCoef: z.number().min(0).default(0.001),
  klLossType: z.enum(['low_var_kl', 'kl', 'abs', 'mse']).default('low_var_kl'),
  entropyCoeff: z.number().min(0).default(0),
  /** FSDP parameter and optimizer offload to CPU (what let the paper fit 8B on 8 GPUs). */
  offload: z.boolean().default(true),
  saveFreq: positiveInt.default(90),
  testFreq: positiveInt.default(90),
  valBeforeTrain: z.boolean().default(true),
  /** Share of the round's samples kept for verl's validation set. */
  validationShare: z.number().min(0).lt(1).default(0.05),
  /** verl's reward manager: `naive` calls compute_score per reply (any verl version); `batch` calls compute_score_batch once per batch. */
  rewardManager: z.enum(['naive', 'batch']).default('naive'),
  projectName: hydraText.default('looptool'),
  /** Default: `looptool-round-N`. */
  experimentName: hydraText.optional(),
  loggers: z.array(z.string().regex(/^[a-z_]+$/, 'a logger name such as console, wandb or tensorboard')).min(1).default(['console']),
  /** Python that has verl installed. */
  python: z.string().min(1).default('python3'),
  /** More Hydra overrides, appended last so they win (e.g. "trainer.val_before_train=False"). */
  extraOverrides: z.array(z.string().regex(/^[+~]{0,2}[A-Za-z_][\w.]*=/, 'an override such as key.path=value')).default([]),
}).superRefine((o, ctx) => {
  // verl shards the rollout engine within the GPUs it is given
  if ((o.nGpusPerNode * o.nnodes) % o.tensorParallelSize !== 0) ctx.addIssue({ code: 'custom', path: ['tensorParallelSize'], message: `${o.tensorParallelSize} does not divide the ${o.nGpusPerNode * o.nnodes} GPUs (nGpusPerNode × nnodes)` });
  if (o.ppoMiniBatchSize > o.trainBatchSize) ctx.addIssue({ code: 'custom', path: ['ppoMiniBatchSize'], message: `${o.ppoMiniBatchSize} is larger than trainBatchSize (${o.trainBatchSize})` });
});
export type VerlOptions = z.infer<typeof VerlOptionsSchema>;
