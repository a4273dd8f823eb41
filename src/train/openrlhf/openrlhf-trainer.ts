/**
 * OpenRLHF as a trainer of `looptool iterate`. `prepare` writes into the round's folder:
 *
 *   data/train.jsonl   the round's samples: chat messages and the reward's ground truth
 *   train.sh           OpenRLHF's Ray PPO trainer in GRPO mode, rewarded by looptool serve-reward
 *
 * and names the commands: train, then (for the user) `vllm serve checkpoint/`. OpenRLHF writes
 * 🤗 format itself, so `collect` only waits for `checkpoint/`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, writeFileAtomic } from '../../core/records.ts';
import { readSamplesToExport } from '../round-samples.ts';
import { launchPrepared } from '../run-commands.ts';
import { writeShellScript } from '../script-file.ts';
import { shellWord } from '../shell-words.ts';
import { startingModelPath } from '../starting-model.ts';
import { parseTrainerOptions } from '../trainer-config-error.ts';
import { collectTrainedModel, serveCommand } from '../serve-trained-model.ts';
import type { PreparedTraining, TrainedModel, TrainerPlugin, TrainerRound } from '../trainer-plugin.ts';
import { openRlhfTrainScript, type OpenRlhfLaunch } from './launch-script.ts';
import { OpenRlhfOptionsSchema, type OpenRlhfOptions } from './openrlhf-options.ts';
import { openRlhfJsonl } from './rows.ts';

const options = (round: TrainerRound): OpenRlhfOptions => parseTrainerOptions(OpenRlhfOptionsSchema, round.options, 'openrlhf');

export const openRlhfTrainer: TrainerPlugin = {
  kind: 'openrlhf',

  async prepare(round: TrainerRound): Promise<PreparedTraining> {
    const o = options(round);
    const modelPath = startingModelPath(round, o.modelPath, 'openrlhf');
    const workDir = resolve(round.workDir);
    // OpenRLHF splits --prompt_data at "," (several datasets) and "@" (a data dir)
    if (/[,@]/.test(workDir)) throw new InputError(workDir, undefined, undefined, 'OpenRLHF splits dataset paths at "," and "@"; use a run directory whose path has neither');
    const samples = await readSamplesToExport(round.datasetPath);
    const trainFile = join(workDir, 'data', 'train.jsonl');
    mkdirSync(join(workDir, 'data'), { recursive: true });
    await writeFileAtomic(trainFile, openRlhfJsonl(samples));
    const launch: OpenRlhfLaunch = {
      options: o,
      modelPath,
      trainFile,
      rewardUrl: round.rewardUrl.replace(/\/+$/, ''),
      checkpointsDir: join(workDir, 'openrlhf-checkpoints'),
      checkpointDir: join(workDir, 'checkpoint'),
      seed: round.seed,
    };
    const trainScript = join(workDir, 'train.sh');
    await writeShellScript(trainScript, openRlhfTrainScript(launch));
    return {
      files: [trainFile, trainScript],
      commands: [
        { label: 'train', shell: `bash ${shellWord(trainScript)}` },
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
