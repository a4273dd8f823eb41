/**
 * The script an OpenRLHF round runs: `train.sh`, OpenRLHF's Ray PPO trainer in GRPO mode
 * (`--advantage_estimator group_norm`) with the reward from looptool serve-reward's
 * `/get_reward` (`--remote_rm_url`). Flags are OpenRLHF's (OpenRLHF/OpenRLHF
 * `openrlhf/cli/train_ppo_ray.py`). OpenRLHF saves the trained actor in 🤗 format to
 * `--save_path` at the end, so no merge is needed; it saves beside the final place and the
 * script renames it there once the trainer exits cleanly.
 */
import { rewardServerPreamble } from '../reward-server-check.ts';
import { shellCommandLines, shellWord } from '../shell-words.ts';
import type { OpenRlhfOptions } from './openrlhf-options.ts';
import { OPENRLHF_INPUT_KEY, OPENRLHF_LABEL_KEY } from './rows.ts';

export interface OpenRlhfLaunch {
  options: OpenRlhfOptions;
  modelPath: string;
  trainFile: string;
  rewardUrl: string;
  /** DeepSpeed checkpoints, for resuming an interrupted round. */
  checkpointsDir: string;
  /** Where the trained 🤗 model goes. */
  checkpointDir: string;
  seed: number;
}

/** `train_ppo_ray`'s flags, each with its values. */
export function openRlhfArgs(l: OpenRlhfLaunch): string[][] {
  const o = l.options;
  const gpus = o.nnodes * o.nGpusPerNode;
  const flag = (name: string, ...values: (string | number)[]): string[] => [`--${name}`, ...values.map(String)];
  return [
    flag('pretrain', l.modelPath),
    flag('prompt_data', l.trainFile),
    flag('input_key', OPENRLHF_INPUT_KEY),
    flag('label_key', OPENRLHF_LABEL_KEY),
    flag('apply_chat_template'),
    flag('remote_rm_url', `${l.rewardUrl}/get_reward`),
    flag('advantage_estimator', 'group_norm'),
    flag('n_samples_per_prompt', o.groupSize),
    flag('init_kl_coef', o.initKlCoef),
    flag('eps_clip_low_high', o.clipLow, o.clipHigh),
    flag('dual_clip', o.dualClip),
    flag('actor_learning_rate', o.lr),
    flag('lr_warmup_ratio', 0),
    flag('lr_scheduler', 'constant'),
    flag('temperature', o.temperature),
    flag('rollout_batch_size', o.rolloutBatchSize),
    flag('train_batch_size', o.trainBatchSize),
    flag('micro_rollout_batch_size', o.microRolloutBatchSize),
    flag('micro_train_batch_size', o.microTrainBatchSize),
    flag('max_epochs', 1),
    flag('num_episodes', o.episodes),
    flag('prompt_max_len', o.promptMaxLen),
    flag('generate_max_len', o.generateMaxLen),
    flag('actor_num_nodes', o.nnodes),
    flag('actor_num_gpus_per_node', o.nGpusPerNode),
    ...(o.initKlCoef > 0 ? [flag('ref_num_nodes', o.nnodes), flag('ref_num_gpus_per_node', o.nGpusPerNode)] : []),
    flag('vllm_num_engines', gpus / o.tensorParallelSize),
    flag('vllm_tensor_parallel_size', o.tensorParallelSize),
    flag('vllm_gpu_memory_utilization', o.gpuMemoryUtilization),
    ...(o.colocate ? [flag('colocate_all_models'), flag('vllm_enable_sleep'), flag('deepspeed_enable_sleep')] : []),
    flag('zero_stage', o.zeroStage),
    flag('bf16'),
    flag('gradient_checkpointing'),
    ...(o.adamOffload ? [flag('adam_offload')] : []),
    flag('seed', l.seed),
    flag('save_path', `${l.checkpointDir}.partial`),
    flag('ckpt_path', l.checkpointsDir),
    flag('save_steps', o.saveSteps),
    // a relaunch continues from the last DeepSpeed checkpoint of this round
    flag('load_checkpoint'),
    ...(o.extraArgs.length > 0 ? [o.extraArgs] : []),
  ];
}

export function openRlhfTrainScript(l: OpenRlhfLaunch): string {
  return `#!/usr/bin/env bash
# OpenRLHF GRPO (group_norm) from ${shellWord(l.modelPath)}, written by looptool iterate (rerunning prepare rewrites it).
# The reward is looptool's, from ${shellWord(`${l.rewardUrl}/get_reward`)}.
set -euo pipefail
${rewardServerPreamble(l.rewardUrl)}
target=${shellWord(l.checkpointDir)}
rm -rf -- "$target.partial"
${shellCommandLines([l.options.python, '-m', 'openrlhf.cli.train_ppo_ray'], openRlhfArgs(l))}
rm -rf -- "$target"
mv -- "$target.partial" "$target"
echo "saved the trained model to $target"
`;
}
