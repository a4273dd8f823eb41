/**
 * `train.sh`: the one command a TRL round runs, written so a user can read it, edit it
 * and run it by hand. Paths are single-quoted, the reward server's address can be
 * overridden from the environment, and `accelerate launch` replaces plain python3 when
 * the options ask for several processes.
 */
import { shellLine, shellWord } from '../shell-words.ts';
import type { TrlOptions } from './options.ts';

export interface TrainScriptPaths {
  /** The round's folder, where the script runs. */
  workDir: string;
  /** The training script (train_grpo.py). */
  script: string;
  /** Its run config (trl-run.json). */
  config: string;
  rewardUrl: string;
}

/** The launch line alone, as `prepare` prints it. */
export function launchCommand(options: TrlOptions, paths: Pick<TrainScriptPaths, 'script' | 'config'>): string {
  const args = [paths.script, '--config', paths.config];
  const words =
    options.launcher === 'accelerate'
      ? [options.python, '-m', 'accelerate.commands.launch', '--num_processes', String(options.numProcesses), ...(options.accelerateConfig ? ['--config_file', options.accelerateConfig] : []), ...args]
      : [options.python, ...args];
  return shellLine(words);
}

export function trainShellScript(options: TrlOptions, paths: TrainScriptPaths): string {
  return [
    '#!/usr/bin/env bash',
    '# GRPO with TRL on this round, written by looptool. The reward comes from',
    '# `looptool serve-reward`; set LOOPTOOL_REWARD_URL (and LOOPTOOL_API_KEY) to use another one.',
    'set -euo pipefail',
    `cd ${shellWord(paths.workDir)}`,
    `export LOOPTOOL_REWARD_URL="\${LOOPTOOL_REWARD_URL:-${paths.rewardUrl.replace(/["\\$`]/g, '\\$&')}}"`,
    ...(options.gpus === undefined ? [] : [`export CUDA_VISIBLE_DEVICES=${shellWord(options.gpus)}`]),
    `exec ${launchCommand(options, paths)}`,
    '',
  ].join('\n');
}
