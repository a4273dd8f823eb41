/** Which plug-in trains a round, by the iterate config's `trainer.kind`. */
import { embeddedTrainer, type EmbeddedTrainerSettings } from './embedded-trainer.ts';
import { OpenRlhfOptionsSchema } from './openrlhf/openrlhf-options.ts';
import { openRlhfTrainer } from './openrlhf/openrlhf-trainer.ts';
import { parseTrainerOptions } from './trainer-config-error.ts';
import type { TrainerPlugin } from './trainer-plugin.ts';
import { parseTrlOptions } from './trl/options.ts';
import { trlTrainer } from './trl/trl-trainer.ts';
import { VerlOptionsSchema } from './verl/verl-options.ts';
import { verlTrainer } from './verl/verl-trainer.ts';

export type TrainerKind = TrainerPlugin['kind'];

export const TRAINER_KINDS: readonly TrainerKind[] = ['none', 'embedded', 'verl', 'openrlhf', 'trl'];

/** Training happens outside looptool: nothing is written or run, and no model comes back. */
export const noTrainer: TrainerPlugin = {
  kind: 'none',
  prepare: async () => ({ files: [], commands: [], checkpointDir: '' }),
  launch: async () => {},
  collect: async () => undefined,
};

export function trainerPlugin(kind: TrainerKind, embedded: EmbeddedTrainerSettings): TrainerPlugin {
  switch (kind) {
    case 'verl':
      return verlTrainer;
    case 'openrlhf':
      return openRlhfTrainer;
    case 'trl':
      return trlTrainer;
    case 'embedded':
      return embeddedTrainer(embedded);
    case 'none':
      return noTrainer;
  }
}

/** Validates an external trainer's options up front, so a typo fails before hours of probing rather than at the first training. */
export function checkTrainerOptions(kind: TrainerKind, options: unknown): void {
  if (kind === 'verl') parseTrainerOptions(VerlOptionsSchema, options, 'verl');
  else if (kind === 'openrlhf') parseTrainerOptions(OpenRlhfOptionsSchema, options, 'openrlhf');
  else if (kind === 'trl') parseTrlOptions(options);
}
