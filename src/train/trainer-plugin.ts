/**
 * The contract between `looptool iterate` and a trainer, embedded or external. A round's
 * training goes through three steps so a user can stop between any two of them:
 * `prepare` writes the trainer's files and says which commands it will run, `launch`
 * runs them (skipped by `--dry-run`), `collect` finds what training left behind and
 * names the model the next round probes. Each step may be repeated: `prepare` rewrites
 * the same files, `collect` returns undefined until a checkpoint is there.
 *
 * The model is described here by its own small type, not by the loop's `ModelRef`
 * (train and loop are both layer 4 and do not import each other); the CLI translates.
 */

/** A model a round starts from or ends with. */
export type TrainedModel =
  /** A 🤗-format directory (config.json, model.safetensors, tokenizer.json) on this machine. */
  | { kind: 'path'; path: string }
  /** A served model behind an OpenAI-compatible endpoint (vLLM, SGLang, …). */
  | { kind: 'endpoint'; baseUrl: string; model: string };

export interface TrainerRound {
  /** The round being trained (1 = the first round after the seed round 0). */
  round: number;
  /** The round's composed samples: JSONL of looptool `Sample`s, one per line. */
  datasetPath: string;
  /** The model this round trains from. */
  from: TrainedModel;
  /** This round's folder for everything the trainer writes: `<run>/trainers/<kind>/round-N/`. */
  workDir: string;
  /** Where `looptool serve-reward` answers, e.g. `http://127.0.0.1:8009`. */
  rewardUrl: string;
  /** The trainer's own options from the iterate config (`trainer.<kind>`), validated by the plug-in. */
  options: Readonly<Record<string, unknown>>;
  /** Seeds data splits and training. */
  seed: number;
}

export interface TrainerCommand {
  /** What the command does, for the printed plan: "train", "merge FSDP checkpoint", "serve". */
  label: string;
  /** A shell command line, printed as is and run with `bash -c` from `workDir`. */
  shell: string;
  /** Commands marked `after` are printed for the user (e.g. serving) but not run by `launch`. */
  after?: boolean;
}

export interface PreparedTraining {
  /** Files written by `prepare`, absolute paths. */
  files: string[];
  /** Commands in the order they run. */
  commands: TrainerCommand[];
  /** Where the trained 🤗-format model will be once the commands have run. */
  checkpointDir: string;
}

export interface LaunchOptions {
  signal?: AbortSignal;
  /** One line of the trainer's output at a time (stdout and stderr). */
  log: (line: string) => void;
}

export interface TrainerPlugin {
  kind: 'embedded' | 'verl' | 'openrlhf' | 'trl' | 'none';
  prepare(round: TrainerRound): Promise<PreparedTraining>;
  launch(round: TrainerRound, prepared: PreparedTraining, opts: LaunchOptions): Promise<void>;
  /** The trained model, or undefined when training has not left one yet. */
  collect(round: TrainerRound, prepared: PreparedTraining): Promise<TrainedModel | undefined>;
}
