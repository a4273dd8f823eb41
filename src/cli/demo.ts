/** `looptool demo`: the whole closed loop on the embedded default, against static GRPO. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setMaxListeners } from 'node:events';
import { Option, type Command } from 'commander';
import { InputError } from '../core/records.ts';
import { ABLATIONS, DemoSettingsMismatch, runDemo, type AblationName } from '../demo/run-demo.ts';
import { DEMO_PROFILES, isDemoProfileName } from '../demo/profiles.ts';
import { renderDemoReport } from '../report/demo-report.ts';
import type { DemoSummary } from '../report/demo-summary.ts';
import { formatDemoTables } from '../report/demo-tables.ts';
import { DEFAULT_PRETRAIN, readPretrainRecord } from '../train/pretrain-record.ts';
import type { ToolCount } from '../world/scenario.ts';
import { startProgress } from './progress.ts';

/** The base model shipped with the package (made by `looptool world pretrain`). */
export const SHIPPED_BASE_MODEL = fileURLToPath(new URL('../../assets/base-model', import.meta.url));

const HELP = `
What it does:
  1. generates the built-in tool world's data: a seed split with 15% wrong labels (the
     truth kept aside, never shown to the loop) and a clean held-out test split with
     phrasings the training data never uses;
  2. from the shipped base model (assets/base-model, made by \`looptool world pretrain\`)
     runs (a) LoopTool: each round probes the model greedily on its data, the rule judge
     rules on every disagreement (fixing labels it finds wrong, and mending them from
     the two answers where the model is wrong too), failures are expanded into new
     samples, the next round's data is composed (failures whose right answer the model
     is likeliest to sample first; no sample kind above 1.5 times its share of the seed
     data; a fifth kept for samples it answered right without confidence) and trained
     with GRPO; and
     (b) static GRPO on the noisy seed data for exactly as many steps;
  3. evaluates both on the test split after every round and writes OUT/report.html
     (charts and tables, readable offline) and OUT/summary.json.

Profiles: smoke (a minute or two; what CI runs), quick (the default; 8 to 14 minutes
on 2 cores, by machine), full (larger data and more rounds; 100 minutes or more).
Stopping (Ctrl-C) is safe: run the same command again to continue.

Examples:
  looptool demo
  looptool demo --profile full --seed 2 --out runs/demo-full
  looptool demo --ablations no-jglv,no-edde --json
`;

function ablationList(value: string): AblationName[] {
  const names = value === 'all' ? Object.keys(ABLATIONS) : value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!Object.hasOwn(ABLATIONS, n)) throw new InputError('--ablations', undefined, undefined, `unknown ablation "${n}"; choose from ${Object.keys(ABLATIONS).join(', ')} or all`);
  return names as AblationName[];
}

/** The tool-count range the base model was trained on, from its pretrain.json (the pretrain default if it has none). */
async function baseModelTools(dir: string): Promise<ToolCount> {
  return (await readPretrainRecord(dir))?.settings.tools ?? { ...DEFAULT_PRETRAIN.tools };
}

/** The `--json` summary: accuracies per round for each arm, per kind, and the cleaning figures. */
export function jsonSummary(s: DemoSummary): Record<string, unknown> {
  const kinds = Object.keys(s.base.byKind);
  const acc = (rounds: DemoSummary['looptool']): number[] => rounds.map((r) => r.score.accuracy);
  return {
    seconds: s.seconds,
    profile: s.profile,
    seed: s.seed,
    base: s.base.accuracy,
    static: acc(s.static),
    looptool: acc(s.looptool),
    ...(Object.keys(s.ablations).length > 0 ? { ablations: Object.fromEntries(Object.entries(s.ablations).map(([k, v]) => [k, acc(v)])) } : {}),
    by_kind: Object.fromEntries(
      kinds.map((k) => [k, { base: s.base.byKind[k]!.accuracy, static: s.static.map((r) => r.score.byKind[k]?.accuracy ?? 0), looptool: s.looptool.map((r) => r.score.byKind[k]?.accuracy ?? 0) }]),
    ),
    steps: s.looptool.map((r) => r.steps),
    composition: s.composition,
    cleaning: { wrong_labels: s.cleaning.wrongLabels, reached: s.cleaning.reached, fixed: s.cleaning.fixed, mended: s.cleaning.mended, dropped: s.cleaning.dropped, missed: s.cleaning.missed, clean_reached: s.cleaning.cleanReached, clean_changed: s.cleaning.cleanChanged },
    report: s.report,
  };
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('the closed loop on this machine: LoopTool vs static GRPO from the shipped base model, with a report')
    .addOption(new Option('--profile <name>', 'how big a run').choices(Object.keys(DEMO_PROFILES)).default('quick'))
    .option('--seed <n>', 'seed of the data and of training', (v) => Number.parseInt(v, 10), 1)
    .option('--out <dir>', 'the demo directory (rerun to continue; default runs/demo-<profile>-seed<seed>)')
    .option('--base-model <dir>', 'the model both arms start from', SHIPPED_BASE_MODEL)
    .option('--rounds <n>', "rounds of training (default: the profile's)", (v) => Number.parseInt(v, 10))
    .option('--lr <x>', "GRPO learning rate (default: the profile's)", Number)
    .option('--ablations <names>', `also run ablation arms, comma-separated: the paper's Table 4 (${Object.keys(ABLATIONS).filter((n) => n !== 'as-probed').join(', ')}), as-probed (error seeds in the order probed, not the most reachable first), or all`, ablationList)
    .option('--json', 'print one JSON summary at the end instead of the tables')
    .addHelpText('after', HELP)
    .action(async (opts: { profile: string; seed: number; out?: string; baseModel: string; rounds?: number; lr?: number; ablations?: AblationName[]; json?: boolean }) => {
      if (!isDemoProfileName(opts.profile)) throw new InputError('--profile', undefined, undefined, `unknown profile ${opts.profile}`);
      if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new InputError('--seed', undefined, undefined, 'must be a whole number ≥ 0');
      if (opts.rounds !== undefined && (!Number.isInteger(opts.rounds) || opts.rounds < 1)) throw new InputError('--rounds', undefined, undefined, 'must be a whole number ≥ 1');
      if (opts.lr !== undefined && !(opts.lr > 0)) throw new InputError('--lr', undefined, undefined, 'must be a positive number');
      const base = DEMO_PROFILES[opts.profile];
      const profile = { ...base, ...(opts.rounds !== undefined ? { rounds: opts.rounds } : {}), grpo: { ...base.grpo, ...(opts.lr !== undefined ? { lr: opts.lr } : {}) } };
      if (!existsSync(join(opts.baseModel, 'config.json'))) throw new InputError(opts.baseModel, undefined, undefined, 'no model here (config.json missing); make one with `looptool world pretrain --out DIR`');
      const out = opts.out ?? join('runs', `demo-${opts.profile}-seed${opts.seed}`);
      const abort = new AbortController();
      setMaxListeners(0, abort.signal);
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const summary = await runDemo({
          outDir: out,
          profile,
          seed: opts.seed,
          baseModelDir: opts.baseModel,
          tools: await baseModelTools(opts.baseModel),
          ablations: opts.ablations ?? [],
          signal: abort.signal,
          renderReport: renderDemoReport,
          hooks: {
            log: (line) => process.stderr.write(`${line}\n`),
            progress: (label, total, unit) => startProgress({ label, total, unit }),
          },
        });
        if (opts.json) process.stdout.write(JSON.stringify(jsonSummary(summary)) + '\n');
        else process.stdout.write(`${formatDemoTables(summary)}\nreport: ${summary.report}\n`);
      } catch (e) {
        if (abort.signal.aborted) {
          process.stderr.write(`\nstopped; everything done so far is in ${out}. Run the same command to continue.\n`);
          process.exitCode = 130;
          return;
        }
        if (e instanceof DemoSettingsMismatch) throw new InputError(out, undefined, undefined, e.message);
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
