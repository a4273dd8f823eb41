/**
 * The embedded GRPO trainer as a plug-in: no files and no commands, the round is trained in
 * this process on the engine's model. Its checkpoint directory is chosen by the caller
 * (iterate keeps `<run>/checkpoints/round-N`, where runs have always put them), and a run
 * stopped half-way resumes from its last save there.
 */
import { readRoundSamples } from './round-samples.ts';
import { readTrainerState } from './run-checkpoint.ts';
import { runEmbeddedGrpo, type GrpoRunOptions } from './embedded-grpo-run.ts';
import type { GrpoStepReport } from './embedded-grpo.ts';
import { TrainerConfigError } from './trainer-config-error.ts';
import type { PreparedTraining, TrainedModel, TrainerPlugin, TrainerRound } from './trainer-plugin.ts';

export interface EmbeddedTrainerSettings {
  /** Where round N's model is written. */
  checkpointDir(round: TrainerRound): string;
  /** Each GRPO step, for a progress display. */
  onStep?(round: TrainerRound, report: GrpoStepReport): void;
}

export function embeddedTrainer(settings: EmbeddedTrainerSettings): TrainerPlugin {
  return {
    kind: 'embedded',

    async prepare(round: TrainerRound): Promise<PreparedTraining> {
      if (round.from.kind !== 'path') throw new TrainerConfigError('model.provider', 'the embedded trainer trains an embedded model: the model must be {"provider": "engine", "path": DIR}');
      return { files: [], commands: [], checkpointDir: settings.checkpointDir(round) };
    },

    async launch(round: TrainerRound, prepared: PreparedTraining, opts): Promise<void> {
      if (round.from.kind !== 'path') throw new TrainerConfigError('model.provider', 'the embedded trainer trains an embedded model');
      const summary = await runEmbeddedGrpo({
        baseDir: round.from.path,
        samples: await readRoundSamples(round.datasetPath),
        outDir: prepared.checkpointDir,
        // validated by the iterate config's trainer.grpo schema
        options: round.options as Partial<GrpoRunOptions>,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onStep: (report) => settings.onStep?.(round, report),
      });
      if (summary.stopped) opts.signal?.throwIfAborted();
      opts.log(`round ${round.round}: GRPO ${summary.steps}/${summary.totalSteps} steps${summary.resumedFrom > 0 ? ` (resumed at ${summary.resumedFrom})` : ''}, mean reward ${summary.meanReward.toFixed(3)}`);
    },

    /** The model once its run has made every step (a half-done run's checkpoint is not the round's model). */
    async collect(_round: TrainerRound, prepared: PreparedTraining): Promise<TrainedModel | undefined> {
      const state = await readTrainerState(prepared.checkpointDir);
      return state && state.step >= state.totalSteps ? { kind: 'path', path: prepared.checkpointDir } : undefined;
    },
  };
}
