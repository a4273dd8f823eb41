/**
 * What verl, OpenRLHF and TRL share about the 🤗 model a round trains: the weights to start
 * from when the round's model is only served, the `vllm serve` command printed for the
 * result (Hermes tool calls, as LoopTool's Qwen models speak), and where that model will
 * answer, which `collect` names instead of its directory so the next round probes it there.
 */
import { z } from 'zod';
import { isHfModelDir } from './hf-model-dir.ts';
import { shellLine } from './shell-words.ts';
import type { TrainedModel, TrainerCommand, TrainerRound } from './trainer-plugin.ts';

/** Options of every external trainer, spread into each one's schema. */
export const SERVING_OPTIONS = {
  /** The 🤗 model (directory or hub id) to train when the round's model has no local directory (a served round-1 model). */
  modelPath: z.string().min(1).optional(),
  /** Port of the `vllm serve` command printed for the trained model. */
  servePort: z.number().int().min(1).max(65535).default(8000),
  /** Name the trained model is served under. Default: `looptool-round-N`. */
  servedModelName: z.string().min(1).optional(),
  /** Where the trained model will be served (e.g. http://127.0.0.1:8000/v1): the next round probes it there once it answers. */
  endpoint: z.string().url().optional(),
};

export interface ServingOptions {
  servePort: number;
  servedModelName?: string | undefined;
  endpoint?: string | undefined;
}

function servedName(o: ServingOptions, round: TrainerRound): string {
  return o.servedModelName ?? `looptool-round-${round.round}`;
}

/** The command, printed after training and not run by `launch`, that serves the trained model. */
export function serveCommand(checkpointDir: string, o: ServingOptions, round: TrainerRound): TrainerCommand {
  const shell = shellLine(['vllm', 'serve', checkpointDir, '--served-model-name', servedName(o, round), '--enable-auto-tool-choice', '--tool-call-parser', 'hermes', '--port', String(o.servePort)]);
  return { label: 'serve', shell, after: true };
}

/** The trained model once `checkpointDir` holds it whole: where it will be served when the options say, else the directory. */
export function collectTrainedModel(checkpointDir: string, o: ServingOptions, round: TrainerRound): TrainedModel | undefined {
  if (!isHfModelDir(checkpointDir)) return undefined;
  return o.endpoint ? { kind: 'endpoint', baseUrl: o.endpoint, model: servedName(o, round) } : { kind: 'path', path: checkpointDir };
}
