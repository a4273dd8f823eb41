/** `looptool iterate` and `looptool status`: run the method's rounds over a run directory, and show where a run stands. */
import { setMaxListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError, formatPath, readRecords, validateRecord } from '../core/records.ts';
import { SampleSchema, type Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { modelPool } from '../models/model-factory.ts';
import { DiskResponseCache } from '../models/response-cache.ts';
import { IterateConfigSchema, iterateConfigJsonSchema, ModelRefSchema, type IterateConfig, type ModelRef } from '../loop/config.ts';
import { sampleFingerprint } from '../loop/expander.ts';
import { expanderFactory, judgeFor } from '../loop/factory.ts';
import { iterate, provideTrainedModel } from '../loop/iterate.ts';
import { RunStore, type RunManifest } from '../store/run-store.ts';
import { checkTrainerOptions, TRAINER_KINDS, trainerPlugin, type TrainerKind } from '../train/trainers.ts';
import { TrainerConfigError } from '../train/trainer-config-error.ts';
import { startProgress } from './progress.ts';
import { trainedCheckpointOf, trainRound, type RoundTrainingSettings } from './train-round.ts';

/** `--set judge.kind=llm --set budget=500`: a JSON value (or a plain string) at a dotted path of the config. */
function applySets(raw: unknown, sets: readonly string[]): unknown {
  const root = (typeof raw === 'object' && raw !== null ? structuredClone(raw) : {}) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new InputError('--set', undefined, undefined, `"${s}" is not PATH=VALUE`);
    const path = s.slice(0, eq).split('.');
    let value: unknown = s.slice(eq + 1);
    try {
      value = JSON.parse(value as string);
    } catch {
      // not JSON: keep it as a string
    }
    let obj = root;
    for (const k of path.slice(0, -1)) {
      if (typeof obj[k] !== 'object' || obj[k] === null) obj[k] = {};
      obj = obj[k] as Record<string, unknown>;
    }
    obj[path[path.length - 1]!] = value;
  }
  return root;
}

function readConfig(path: string, sets: readonly string[]): IterateConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, undefined, undefined, existsSync(path) ? `not valid JSON: ${e instanceof Error ? e.message : String(e)}` : 'no such file');
  }
  return parseConfig(applySets(raw, sets), path);
}

function parseConfig(raw: unknown, path: string): IterateConfig {
  const parsed = IterateConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(path, undefined, formatPath(issue.path), issue.message);
  }
  return parsed.data;
}

async function readSeed(path: string): Promise<Sample[]> {
  return (await readRecords(path)).map((r) => validateRecord(SampleSchema, r, path));
}

const num = (v: Value | undefined): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : v === undefined || v === null ? '-' : String(v));

function sum(a: Value | undefined, b: Value | undefined, sign = 1): Value | undefined {
  if (typeof a !== 'number') return a;
  return a + sign * (typeof b === 'number' ? b : 0);
}

/** Per-round figures from the manifest: probe classes, verdicts, expansion yield, composition. */
export function roundTable(manifest: RunManifest): string {
  const rows: string[][] = [['round', 'model', 'probed', 'accuracy', 'mastered', 'borderline', 'failed', 'relabelled', 'model wrong', 'dropped', 'undecided', 'expanded', 'next: seeds', 'next: expanded', 'next: new seed', 'next: high ppl', 'stage']];
  for (const r of manifest.rounds) {
    const p = r.stages['probe']?.figures ?? {};
    const v = r.stages['verify']?.figures ?? {};
    const e = r.stages['expand']?.figures ?? {};
    const c = r.stages['compose']?.figures ?? {};
    const model = r.model as { path?: string; model?: string } | undefined;
    const open = Object.entries(r.stages).find(([, s]) => s.state !== 'done');
    rows.push([
      String(r.round),
      model?.path ?? model?.model ?? '(awaiting)',
      num(p['probed']),
      num(p['accuracy']),
      num(p['mastered']),
      num(p['borderline']),
      num(p['failed']),
      // a both-wrong pair the judge mended is relabelled, not dropped
      num(sum(v['label_incorrect'], v['mended'])),
      num(v['model_incorrect']),
      num(sum(v['both_incorrect'], v['mended'], -1)),
      num(v['undecided']),
      num(e['made']),
      num(c['errorSeeds']),
      num(c['expanded']),
      num(c['untrainedSeed']),
      num(c['highPerplexity']),
      open ? `${open[0]} ${open[1].state}` : 'done',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n') + '\n';
}

const HELP = `
Each round: probe the current model greedily on the round's dataset (GCP), judge
where its answer and the label disagree (JGLV), grow new samples from the verified
failures (EDDE), compose the next round's dataset, and train on it. Everything goes to
RUN_DIR (manifest.json, round-N/*.jsonl); kill it at any point and run the same
command again to continue.

Trainers ("trainer": {"kind": ...} in the config, or --trainer):
  embedded   GRPO on the embedded engine model, in this process
  verl       verl's GRPO on Ray (the paper's trainer): Parquet data, reward module,
             train.sh and merge.sh in RUN_DIR/trainers/verl/round-N/
  openrlhf   OpenRLHF's train_ppo_ray in GRPO mode: JSONL data and train.sh
  trl        TRL's GRPOTrainer: dataset, training script and train.sh
  none       the run stops after composing a round and prints the dataset to train on
verl, openrlhf and trl take their options from "trainer": {"verl": {...}} (and so on),
defaulting to the paper's settings (8 GPUs, group 16, lr 1e-6, clip 0.2/0.28, no KL);
their reward comes from looptool serve-reward, which must be running at --reward-url.
Each round prints the files and commands, runs them (--dry-run stops there), and takes
the trained model back: an engine model directory is probed directly; a 🤗 model must
be served (the printed vllm command): set the trainer's "endpoint" option (e.g.
"http://127.0.0.1:8000/v1") and iterate probes it once it answers, or continue with
  looptool iterate RUN_DIR --trained-url http://127.0.0.1:8000/v1 --trained-name my-model
(--trained-path DIR alone gives an embedded model directory; with --trained-url, the
served model's 🤗 directory, which the next round trains from).

A minimal config (looptool iterate --print-schema gives the full JSON Schema):
  {
    "data": "data/world/seed.jsonl",
    "rounds": 3,
    "budget": 1000,
    "model": {"provider": "openai", "baseUrls": ["http://127.0.0.1:8000/v1"], "model": "qwen3-8b",
              "path": "/models/Qwen3-8B"},
    "judge": {"kind": "rule"},
    "expander": {"kind": "template", "perSeed": 4},
    "trainer": {"kind": "verl", "verl": {"nGpusPerNode": 8, "endpoint": "http://127.0.0.1:8000/v1"}}
  }
`;

interface IterateFlags {
  config?: string;
  set?: string[];
  trainedUrl?: string;
  trainedName?: string;
  trainedPath?: string;
  trainer?: TrainerKind;
  dryRun?: boolean;
  rewardUrl: string;
  printSchema?: boolean;
}

function rewardUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:8300');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

/** The embedded trainer's GRPO settings, the run's seed where none is given. */
function embeddedOptions(config: IterateConfig): Record<string, unknown> {
  const g = config.trainer.grpo;
  return Object.fromEntries(Object.entries({ ...g, seed: g.seed ?? config.seed }).filter(([, v]) => v !== undefined));
}

export function registerIterateCommand(program: Command): void {
  program
    .command('iterate')
    .description('run LoopTool rounds (probe → verify → expand → compose → train) over a run directory; rerun to resume')
    .argument('[run]', 'run directory (created on first use)')
    .option('--config <file>', 'the run config (JSON); needed when the run directory is new')
    .option('--set <path=value...>', 'override config fields, e.g. --set budget=500 --set judge.kind=llm (values are JSON, or plain strings)')
    .option('--trained-url <url>', 'an OpenAI-compatible endpoint serving the model trained for the round that waits on one')
    .option('--trained-name <name>', 'the served model name at --trained-url')
    .option('--trained-path <dir>', 'an embedded model directory trained for the round that waits on one (with --trained-url: the served model\'s 🤗 directory)')
    .addOption(new Option('--trainer <kind>', 'train with this trainer, overriding the config\'s trainer.kind').choices(TRAINER_KINDS))
    .option('--dry-run', 'write each round\'s training files and print the commands, but launch nothing (the run waits for a trained model)')
    .option('--reward-url <url>', 'where looptool serve-reward answers, for verl, OpenRLHF and TRL (start it with `looptool serve-reward`)', rewardUrl, 'http://127.0.0.1:8300')
    .addOption(new Option('--print-schema', 'print the config JSON Schema and exit'))
    .addHelpText('after', HELP)
    .action(async (run: string | undefined, opts: IterateFlags) => {
      if (opts.printSchema) {
        process.stdout.write(JSON.stringify(iterateConfigJsonSchema(), null, 2) + '\n');
        return;
      }
      if (!run) throw new InputError('<run>', undefined, undefined, 'name a run directory');
      const manifestPath = join(run, 'manifest.json');
      const sets = [...(opts.set ?? []), ...(opts.trainer ? [`trainer.kind=${opts.trainer}`] : [])];
      let config: IterateConfig;
      if (opts.config) config = readConfig(opts.config, sets);
      else if (existsSync(manifestPath)) config = parseConfig(applySets(RunStore.open(run, { config: {} }).manifest.config, sets), manifestPath);
      else throw new InputError(run, undefined, undefined, 'a new run needs --config');
      // a typo in a trainer's options fails here, before a run directory is made or hours are spent probing
      const where = opts.config ?? manifestPath;
      const kind: TrainerKind = config.trainer.kind;
      const trainerOptions = kind === 'embedded' ? embeddedOptions(config) : ((config.trainer as Record<string, unknown>)[kind] as Record<string, unknown> | undefined) ?? {};
      try {
        checkTrainerOptions(kind, trainerOptions);
      } catch (e) {
        if (e instanceof TrainerConfigError) throw new InputError(where, undefined, e.field, e.detail);
        throw e;
      }
      const store = RunStore.open(run, { config: config as unknown as Value });
      const seed = await readSeed(config.data);
      const cache = new DiskResponseCache(config.cacheDir ?? join(run, 'cache'));
      const pool = modelPool(cache);
      const modelFor = (ref: ModelRef): Promise<ChatModel> => pool.modelFor(ref);
      const avoid = new Set(seed.map(sampleFingerprint));
      const abort = new AbortController();
      // every request in flight listens on this one signal
      setMaxListeners(0, abort.signal);
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const bars: { stop(): void }[] = [];
      let grpoBar: { round: number; bar: ReturnType<typeof startProgress> } | undefined;
      const training: RoundTrainingSettings = {
        plugin: trainerPlugin(kind, {
          // where embedded runs have always put their checkpoints
          checkpointDir: (round) => join(run, 'checkpoints', `round-${round.round}`),
          onStep: (round, r) => {
            if (grpoBar?.round !== round.round) {
              grpoBar?.bar.stop();
              grpoBar = { round: round.round, bar: startProgress({ label: `round ${round.round} grpo`, total: r.totalSteps, unit: 'steps' }) };
              bars.push(grpoBar.bar);
            }
            grpoBar.bar.update(r.step, { reward: r.meanReward, solved: `${r.solvedGroups}/${r.groups}`, 'tok/s': Math.round(r.tokens / Math.max(1e-3, r.seconds)) });
          },
        }),
        runDir: run,
        configPath: where,
        options: trainerOptions,
        rewardUrl: opts.rewardUrl,
        seed: config.seed,
        dryRun: opts.dryRun === true,
        mode: config.model.mode,
        ...(config.model.apiKey ? { apiKey: config.model.apiKey } : {}),
        signal: abort.signal,
        out: (text) => process.stdout.write(text),
        log: (line) => process.stderr.write(`${line}\n`),
      };
      const train = async (datasetPath: string, from: ModelRef, round: number): Promise<ModelRef | undefined> => {
        try {
          return await trainRound(training, datasetPath, from, round);
        } finally {
          grpoBar?.bar.stop();
          grpoBar = undefined;
        }
      };
      try {
        const waiting = store.manifest.rounds.find((r) => r.model === undefined && r.round > 0);
        const waitingData = waiting ? join(store.roundDir(waiting.round), 'dataset.jsonl') : '';
        const waitingFrom = waiting ? (store.round(waiting.round - 1).model as unknown as ModelRef) : undefined;
        if (opts.trainedUrl || opts.trainedPath) {
          if (!waiting || !waitingFrom) throw new InputError(manifestPath, undefined, 'rounds', 'no round is waiting for a trained model');
          let ref: ModelRef;
          if (opts.trainedUrl) {
            // the next round trains from the served model's weights: keep its directory beside the URL
            const path = opts.trainedPath ?? (kind !== 'none' && kind !== 'embedded' ? await trainedCheckpointOf(training, waitingData, waitingFrom, waiting.round) : undefined);
            ref = ModelRefSchema.parse({ provider: 'openai', baseUrls: [opts.trainedUrl], model: opts.trainedName ?? 'default', mode: config.model.mode, ...(path ? { path } : {}) });
          } else ref = ModelRefSchema.parse({ provider: 'engine', path: opts.trainedPath });
          provideTrainedModel(store, waiting.round, ref);
        } else if (waiting && waitingFrom && kind !== 'none' && store.round(waiting.round - 1).stages['train']?.state === 'done') {
          // a round left waiting (a dry run, a model not served yet, training done by hand): try it again
          const ref = await train(waitingData, waitingFrom, waiting.round);
          if (ref) provideTrainedModel(store, waiting.round, ref);
        }
        const outcome = await iterate(store, config, seed, {
          modelFor,
          judge: await judgeFor(config, modelFor),
          expanderFor: await expanderFactory(config, modelFor, avoid),
          train: async (datasetPath, from, round) => (kind === 'none' ? undefined : train(datasetPath, from, round)),
          log: (line) => process.stderr.write(`${line}\n`),
          progress: (label, total) => {
            const bar = startProgress({ label, total, unit: 'samples' });
            bars.push(bar);
            return (done) => {
              bar.update(done);
              if (done >= total) bar.stop();
            };
          },
          signal: abort.signal,
          usage: () => {
            const total: Record<string, number> = {};
            for (const m of pool.models()) {
              const u = (m as { usage?: Record<string, number> }).usage;
              if (u) for (const [k, v] of Object.entries(u)) total[k] = (total[k] ?? 0) + v;
            }
            return total;
          },
        });
        process.stdout.write(roundTable(store.manifest));
        if (outcome.status === 'awaiting_training') {
          if (kind === 'none') process.stdout.write(`\nround ${outcome.round} needs a trained model: train ${outcome.from.path ?? outcome.from.model} on\n  ${outcome.dataset}\nthen continue with --trained-url URL --trained-name NAME (or --trained-path DIR).\n`);
          else process.stdout.write(`\nround ${outcome.round} waits for its trained model (${kind}); see above, then run the same command again.\n`);
        } else process.stdout.write(`\nfinished ${outcome.rounds} rounds\n`);
      } catch (e) {
        if (abort.signal.aborted) {
          process.stderr.write(`\nstopped; everything done so far is in ${run}. Run the same command to continue.\n`);
          process.exitCode = 130;
          return;
        }
        throw e;
      } finally {
        for (const b of bars) b.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        store.close();
      }
    });

  program
    .command('status')
    .description('where a run stands: per-round figures and the stage in progress')
    .argument('<run>', 'run directory')
    .option('--json', 'print the manifest')
    .action((run: string, opts: { json?: boolean }) => {
      if (!existsSync(join(run, 'manifest.json'))) throw new InputError(run, undefined, undefined, 'not a run directory (no manifest.json)');
      const store = RunStore.open(run, { config: {} });
      process.stdout.write(opts.json ? JSON.stringify(store.manifest, null, 2) + '\n' : roundTable(store.manifest));
    });
}
