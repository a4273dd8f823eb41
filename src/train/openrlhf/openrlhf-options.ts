/**
 * The OpenRLHF trainer's options (`trainer.openrlhf` in the iterate config), defaulting to the
 * paper's GRPO run (Rednote-ExperienceAI-Lab/LoopTool `grpotool/train_grpo_qwen.sh` and
 * `grpotool/example/grpo_trainer/grpo_qwen_eightgpus.sh`, see ../verl/verl-options.ts) spelled in
 * OpenRLHF's flags (OpenRLHF/OpenRLHF `openrlhf/cli/train_ppo_ray.py`): 256 prompts a rollout,
 * updates of 32 prompts × 16 replies = 512 samples, clip 0.2 / 0.28, dual clip 3, no KL term, lr
 * 1e-6 constant, 4 passes over the data.
 */
import { z } from 'zod';
import { SERVING_OPTIONS } from '../serve-trained-model.ts';

const positiveInt = z.number().int().positive();

export const OpenRlhfOptionsSchema = z
  .strictObject({
    ...SERVING_OPTIONS,
    nnodes: positiveInt.default(1),
    nGpusPerNode: positiveInt.default(8),
    /** vLLM tensor parallel size; the engines fill the actor's GPUs (nnodes × nGpusPerNode / this). */
    tensorParallelSize: positiveInt.default(8),
    gpuMemoryUtilization: z.number().gt(0).max(1).default(0.7),
    /** Actor, vLLM and (with KL) reference share the same GPUs, sleeping in turn. */
    colocate: z.boolean().default(true),
    groupSize: z.number().int().min(2).default(16),
    lr: z.number().positive().default(1e-6),
    /** Prompts per rollout. */
    rolloutBatchSize: positiveInt.default(256),
    /** Samples (prompt × reply) per policy update. */
    trainBatchSize: positiveInt.default(512),
    microTrainBatchSize: positiveInt.default(1),
    microRolloutBatchSize: positiveInt.default(1),
    promptMaxLen: positiveInt.default(4096),
    generateMaxLen: positiveInt.default(1024),
    /** Passes over the round's data (verl's total_epochs). */
    episodes: positiveInt.default(4),
    temperature: z.number().positive().default(1.0),
    clipLow: z.number().min(0).max(1).default(0.2),
    clipHigh: z.number().min(0).default(0.28),
    dualClip: z.number().gt(1).default(3.0),
    /** KL penalty against the reference model; 0 (the paper) loads no reference model. */
    initKlCoef: z.number().min(0).default(0),
    zeroStage: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(3),
    adamOffload: z.boolean().default(true),
    saveSteps: positiveInt.default(90),
    /** Python that has OpenRLHF installed. */
    python: z.string().min(1).default('python3'),
    /** More flags for train_ppo_ray, appended last (e.g. ["--use_wandb", "KEY"]). */
    extraArgs: z.array(z.string()).default([]),
  })
  .superRefine((o, ctx) => {
    if ((o.nnodes * o.nGpusPerNode) % o.tensorParallelSize !== 0) ctx.addIssue({ code: 'custom', path: ['tensorParallelSize'], message: `${o.tensorParallelSize} does not divide the ${o.nnodes * o.nGpusPerNode} GPUs (nnodes × nGpusPerNode)` });
    if (o.trainBatchSize > o.rolloutBatchSize * o.groupSize) ctx.addIssue({ code: 'custom', path: ['trainBatchSize'], message: `${o.trainBatchSize} is more than one rollout's samples (rolloutBatchSize × groupSize = ${o.rolloutBatchSize * o.groupSize})` });
  });
export type OpenRlhfOptions = z.infer<typeof OpenRlhfOptionsSchema>;
