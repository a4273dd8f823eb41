/**
 * verl as a trainer of `looptool iterate`. `prepare` writes into the round's folder:
 *
 *   data/train.parquet, data/validation.parquet   the round's samples as verl's RLHF rows
 *   looptool_reward.py                             verl's reward function, asking looptool serve-reward
 *   train.sh                                       verl's GRPO with the paper's settings
 *   merge.sh                                       the last FSDP actor checkpoint → checkpoint/ (🤗 format)
 *
 * and names the commands: train, merge, then (for the user) `vllm serve checkpoint/`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSamplesToExport } from '../round-samples.ts';
import { launchPrepared } from '../run-commands.ts';
import { writeShellScript } from '../script-file.ts';
import { shellWord } from '../shell-words.ts';
import { startingModelPath } from '../starting-model.ts';
import { parseTrainerOptions } from '../trainer-config-error.ts';
import { collectTrainedModel, serveCommand } from '../serve-trained-model.ts';
import type { PreparedTraining, TrainedModel, TrainerPlugin, TrainerRound } from '../trainer-plugin.ts';
import { exportVerlParquet } from './export-parquet.ts';
import { verlMergeScript, verlTrainScript, type VerlLaunch } from './launch-script.ts';
import { VerlOptionsSchema, type VerlOptions } from './verl-options.ts';

export const VERL_REWARD_MODULE = fileURLToPath(new URL('../../../assets/verl/looptool_reward.py', import.meta.url));

const options = (round: TrainerRound): VerlOptions => parseTrainerOptions(VerlOptionsSchema, round.options, 'verl');

export const verlTrainer: TrainerPlugin = {
  kind: 'verl',

  async prepare(round: TrainerRound): Promise<PreparedTraining> {
    const o = options(round);
    const modelPath = startingModelPath(round, o.modelPath, 'verl');
    const workDir = resolve(round.workDir);
    const samples = await readSamplesToExport(round.datasetPath);
    mkdirSync(workDir, { recursive: true });
    const data = exportVerlParquet(samples, join(workDir, 'data'), { validationShare: o.validationShare, seed: round.seed });
    const rewardModule = join(workDir, 'looptool_reward.py');
    copyFileSync(VERL_REWARD_MODULE, rewardModule);
    const launch: VerlLaunch = {
      options: o,
      modelPath,
      trainFile: data.trainFile,
      validationFile: data.validationFile,
      rewardModule,
      rewardUrl: round.rewardUrl.replace(/\/+$/, ''),
      checkpointsDir: join(workDir, 'verl-checkpoints'),
      checkpointDir: join(workDir, 'checkpoint'),
      experimentName: o.experimentName ?? `looptool-round-${round.round}`,
    };
    const trainScript = join(workDir, 'train.sh');
    const mergeScript = join(workDir, 'merge.sh');
    await writeShellScript(trainScript, verlTrainScript(launch));
    await writeShellScript(mergeScript, verlMergeScript(launch));
    return {
      files: [data.trainFile, data.validationFile, rewardModule, trainScript, mergeScript],
      commands: [
        { label: 'train', shell: `bash ${shellWord(trainScript)}` },
        { label: 'merge FSDP checkpoint', shell: `bash ${shellWord(mergeScript)}` },
        serveCommand(launch.checkpointDir, o, round),
      ],
      checkpointDir: launch.checkpointDir,
    };
  },

  launch: launchPrepared,

  async collect(round: TrainerRound, prepared: PreparedTraining): Promise<TrainedModel | undefined> {
    return collectTrainedModel(prepared.checkpointDir, options(round), round);
  },
};
