/**
 * The scripts a verl round runs: `train.sh` (verl's GRPO trainer with the paper's settings as
 * Hydra overrides) and `merge.sh` (the last FSDP actor checkpoint merged into a 🤗 model).
 *
 * Keys are verl's (volcengine/verl `verl/trainer/config/ppo_trainer.yaml` and its flattened
 * `_generated_ppo_trainer.yaml`); the legacy `custom_reward_function.*` and
 * `reward_model.reward_manager` keys are the ones every verl release reads (newer ones move
 * them under `reward.*` themselves, `verl/experimental/reward_loop/reward_loop.py`
 * `migrate_legacy_reward_impl`). verl saves to `<default_local_dir>/global_step_<N>/actor` and
 * writes N to `latest_checkpointed_iteration.txt` (`verl/utils/checkpoint/checkpoint_manager.py`);
 * `python -m verl.model_merger merge --backend fsdp --local_dir … --target_dir …` is its
 * documented conversion (`verl/model_merger/__main__.py`).
 */
import { rewardServerPreamble } from '../reward-server-check.ts';
import { shellCommandLines, shellLine, shellWord } from '../shell-words.ts';
import { hydraOverride } from './hydra-override.ts';
import type { VerlOptions } from './verl-options.ts';

export interface VerlLaunch {
  options: VerlOptions;
  /** 🤗 model directory or hub id the round trains from. */
  modelPath: string;
  trainFile: string;
  validationFile: string;
  rewardModule: string;
  /** looptool serve-reward's base URL. */
  rewardUrl: string;
  /** verl's `trainer.default_local_dir`: its sharded checkpoints. */
  checkpointsDir: string;
  /** Where the merged 🤗 model goes. */
  checkpointDir: string;
  experimentName: string;
}

const float = (n: number) => ({ float: n });
const bare = (s: string) => ({ bare: s });

/** The Hydra overrides of `main_ppo`, in the order of verl's config: data, actor, rollout, ref, reward, algorithm, trainer. */
export function verlOverrides(l: VerlLaunch): string[] {
  const o = l.options;
  return [
    hydraOverride('algorithm.adv_estimator', bare('grpo')),
    hydraOverride('data.train_files', l.trainFile),
    hydraOverride('data.val_files', l.validationFile),
    hydraOverride('data.train_batch_size', o.trainBatchSize),
    hydraOverride('data.val_batch_size', o.valBatchSize),
    hydraOverride('data.max_prompt_length', o.maxPromptLength),
    hydraOverride('data.max_response_length', o.maxResponseLength),
    hydraOverride('data.filter_overlong_prompts', false),
    hydraOverride('data.truncation', bare('left')),
    hydraOverride('actor_rollout_ref.model.path', l.modelPath),
    hydraOverride('actor_rollout_ref.model.use_remove_padding', true),
    hydraOverride('actor_rollout_ref.model.enable_gradient_checkpointing', true),
    hydraOverride('actor_rollout_ref.actor.strategy', bare('fsdp')),
    hydraOverride('actor_rollout_ref.actor.optim.lr', float(o.lr)),
    hydraOverride('actor_rollout_ref.actor.ppo_mini_batch_size', o.ppoMiniBatchSize),
    hydraOverride('actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu', o.ppoMicroBatchSizePerGpu),
    hydraOverride('actor_rollout_ref.actor.clip_ratio_low', float(o.clipRatioLow)),
    hydraOverride('actor_rollout_ref.actor.clip_ratio_high', float(o.clipRatioHigh)),
    hydraOverride('actor_rollout_ref.actor.clip_ratio_c', float(o.clipRatioC)),
    hydraOverride('actor_rollout_ref.actor.loss_agg_mode', bare(o.lossAggMode)),
    hydraOverride('actor_rollout_ref.actor.use_kl_loss', o.useKlLoss),
    hydraOverride('actor_rollout_ref.actor.kl_loss_coef', float(o.klLossCoef)),
    hydraOverride('actor_rollout_ref.actor.kl_loss_type', bare(o.klLossType)),
    hydraOverride('actor_rollout_ref.actor.entropy_coeff', float(o.entropyCoeff)),
    hydraOverride('actor_rollout_ref.actor.fsdp_config.param_offload', o.offload),
    hydraOverride('actor_rollout_ref.actor.fsdp_config.optimizer_offload', o.offload),
    hydraOverride('actor_rollout_ref.rollout.name', bare('vllm')),
    hydraOverride('actor_rollout_ref.rollout.n', o.groupSize),
    hydraOverride('actor_rollout_ref.rollout.temperature', float(o.temperature)),
    hydraOverride('actor_rollout_ref.rollout.tensor_model_parallel_size', o.tensorParallelSize),
    hydraOverride('actor_rollout_ref.rollout.gpu_memory_utilization', float(o.gpuMemoryUtilization)),
    hydraOverride('actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu', o.logProbMicroBatchSizePerGpu),
    hydraOverride('actor_rollout_ref.ref.strategy', bare('fsdp')),
    hydraOverride('actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu', o.logProbMicroBatchSizePerGpu),
    hydraOverride('actor_rollout_ref.ref.fsdp_config.param_offload', o.offload),
    hydraOverride('reward_model.reward_manager', bare(o.rewardManager)),
    hydraOverride('custom_reward_function.path', l.rewardModule),
    hydraOverride('custom_reward_function.name', bare(o.rewardManager === 'batch' ? 'compute_score_batch' : 'compute_score')),
    hydraOverride('algorithm.use_kl_in_reward', false),
    hydraOverride('trainer.critic_warmup', 0),
    hydraOverride('trainer.logger', o.loggers),
    hydraOverride('trainer.project_name', o.projectName),
    hydraOverride('trainer.experiment_name', l.experimentName),
    hydraOverride('trainer.n_gpus_per_node', o.nGpusPerNode),
    hydraOverride('trainer.nnodes', o.nnodes),
    hydraOverride('trainer.save_freq', o.saveFreq),
    hydraOverride('trainer.test_freq', o.testFreq),
    hydraOverride('trainer.val_before_train', o.valBeforeTrain),
    hydraOverride('trainer.total_epochs', o.epochs),
    hydraOverride('trainer.default_local_dir', l.checkpointsDir),
    // a relaunch picks up verl's last checkpoint of this round instead of starting over
    hydraOverride('trainer.resume_mode', bare('auto')),
    // Ray workers on other nodes do not inherit this shell's environment; verl merges this into ray.init's runtime_env
    hydraOverride('ray_kwargs.ray_init.runtime_env.env_vars.LOOPTOOL_REWARD_URL', l.rewardUrl, '++'),
    ...o.extraOverrides,
  ];
}

export function verlTrainScript(l: VerlLaunch): string {
  return `#!/usr/bin/env bash
# verl GRPO for ${l.experimentName}, written by looptool iterate (rerunning prepare rewrites it).
# The reward is looptool's, asked over HTTP by ${shellWord(l.rewardModule)}.
set -euo pipefail
export HYDRA_FULL_ERROR=1
${rewardServerPreamble(l.rewardUrl)}
${shellCommandLines([l.options.python, '-m', 'verl.trainer.main_ppo'], verlOverrides(l).map((o) => [o]))}
`;
}

export function verlMergeScript(l: VerlLaunch): string {
  return `#!/usr/bin/env bash
# Merges verl's last FSDP actor checkpoint of ${l.experimentName} into a 🤗 model, written by looptool iterate.
# The model appears at the target only when whole (merged beside it, then renamed).
set -euo pipefail
checkpoints=${shellWord(l.checkpointsDir)}
target=${shellWord(l.checkpointDir)}
tracker="$checkpoints/latest_checkpointed_iteration.txt"
if [ ! -f "$tracker" ]; then
  echo "no verl checkpoint in $checkpoints (no latest_checkpointed_iteration.txt): did training finish?" >&2
  exit 1
fi
step="$(tr -d '[:space:]' <"$tracker")"
if ! [[ "$step" =~ ^[0-9]+$ ]]; then
  echo "$tracker holds \\"$step\\", not a step number" >&2
  exit 1
fi
actor="$checkpoints/global_step_$step/actor"
if [ ! -d "$actor" ]; then
  echo "verl's tracker names step $step but $actor is missing" >&2
  exit 1
fi
rm -rf -- "$target.partial"
${shellLine([l.options.python, '-m', 'verl.model_merger', 'merge', '--backend', 'fsdp'])} --local_dir "$actor" --target_dir "$target.partial"
rm -rf -- "$target"
mv -- "$target.partial" "$target"
echo "merged $actor into $target"
`;
}
