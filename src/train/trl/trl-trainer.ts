/**
 * The TRL trainer plug-in: a round trained by `trl.GRPOTrainer`, rewarded by looptool's
 * reward server.
 *
 * `prepare` writes into the round's folder:
 *
 *   data/train.jsonl       the round in TRL's conversational prompt format (dataset.ts)
 *   train_grpo.py          the training script (assets/trl/)
 *   looptool_reward.py     the HTTP client it scores with (assets/verl/, shared with verl)
 *   trl-run.json           model, paths, reward address and the GRPOConfig settings
 *   train.sh               the command that runs it all
 *
 * `launch` runs train.sh; TRL's working checkpoints go to `output/` (a re-launch resumes
 * from the newest) and the trained model, in 🤗 format, to `model/`, which `collect`
 * returns once it is there.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../core/records.ts';
import { readSamplesToExport } from '../round-samples.ts';
import { launchPrepared } from '../run-commands.ts';
import { writeShellScript } from '../script-file.ts';
import { startingModelPath } from '../starting-model.ts';
import type { PreparedTraining, TrainedModel, TrainerPlugin, TrainerRound } from '../trainer-plugin.ts';
import { writeTrlDataset } from './dataset.ts';
import { shellWord } from '../shell-words.ts';
import { collectTrainedModel, serveCommand } from '../serve-trained-model.ts';
import { grpoConfigArgs, parseTrlOptions } from './options.ts';
import { trainShellScript } from './train-script.ts';

const TRAINING_SCRIPT = fileURLToPath(new URL('../../../assets/trl/train_grpo.py', import.meta.url));
const REWARD_CLIENT = fileURLToPath(new URL('../../../assets/verl/looptool_reward.py', import.meta.url));

/** The files of a round's folder, by what they are. */
export function trlRoundFiles(workDir: string): { dataset: string; script: string; rewardClient: string; config: string; shell: string; outputDir: string; checkpointDir: string } {
  return {
    dataset: join(workDir, 'data', 'train.jsonl'),
    script: join(workDir, 'train_grpo.py'),
    rewardClient: join(workDir, 'looptool_reward.py'),
    config: join(workDir, 'trl-run.json'),
    shell: join(workDir, 'train.sh'),
    outputDir: join(workDir, 'output'),
    checkpointDir: join(workDir, 'model'),
  };
}

async function prepare(round: TrainerRound): Promise<PreparedTraining> {
  const options = parseTrlOptions(round.options);
  const model = startingModelPath(round, options.modelPath, 'trl');
  const workDir = resolve(round.workDir);
  const files = trlRoundFiles(workDir);
  const samples = await readSamplesToExport(round.datasetPath);
  await mkdir(workDir, { recursive: true });
  await writeTrlDataset(samples, files.dataset);
  await copyFile(TRAINING_SCRIPT, files.script);
  await copyFile(REWARD_CLIENT, files.rewardClient);
  const runConfig = {
    model,
    dataset: files.dataset,
    output_dir: files.outputDir,
    checkpoint_dir: files.checkpointDir,
    reward_url: round.rewardUrl,
    resume: options.resume,
    grpo: grpoConfigArgs(options, round.seed),
  };
  await writeFileAtomic(files.config, `${JSON.stringify(runConfig, null, 2)}\n`);
  await writeShellScript(files.shell, trainShellScript(options, { workDir, script: files.script, config: files.config, rewardUrl: round.rewardUrl }));
  return {
    files: [files.dataset, files.script, files.rewardClient, files.config, files.shell],
    commands: [
      { label: 'train', shell: `bash ${shellWord(files.shell)}` },
      serveCommand(files.checkpointDir, options, round),
    ],
    checkpointDir: files.checkpointDir,
  };
}

/** The saved model once its config and weights are in place (train_grpo.py renames it in whole). */
async function collect(round: TrainerRound, prepared: PreparedTraining): Promise<TrainedModel | undefined> {
  return collectTrainedModel(resolve(prepared.checkpointDir), parseTrlOptions(round.options), round);
}

export const trlTrainer: TrainerPlugin = { kind: 'trl', prepare, launch: launchPrepared, collect };
