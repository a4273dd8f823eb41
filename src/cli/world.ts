/** `looptool world`: the built-in tool world — generate its data, measure it, and check the rule judge and template expander on it. */
import { InvalidArgumentError, type Command } from 'commander';
import { stringifyJson } from '../core/json.ts';
import { writeJsonlAtomic } from '../core/records.ts';
import type { Value } from '../core/value.ts';
import { evaluateJudge, type KindTally } from '../loop/judge-eval.ts';
import { sampleFingerprint } from '../loop/expander.ts';
import { worldRuleJudge } from '../loop/rule-judge.ts';
import { TemplateExpander, inferKind } from '../loop/template-expander.ts';
import { DOMAINS, WORLD_TOOLS } from '../world/catalog.ts';
import { readNoise, readSplit, readVerdicts, readWorldManifest, SPLITS, writeWorld } from '../world/files.ts';
import { generateWorld } from '../world/generate.ts';
import type { ToolCount } from '../world/scenario.ts';
import { splitStats, verdictStats } from '../world/stats.ts';
import { toolRange } from './flag-parsers.ts';
import { startProgress } from './progress.ts';
import { pct, table } from './text-table.ts';
import { registerWorldPretrain } from './world-pretrain.ts';
import { registerWorldProbe } from './world-probe.ts';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a share between 0 and 1');
  return n;
}

const GENERATE_HELP = `
Writes to DIR:
  base.jsonl  seed.jsonl  test.jsonl     looptool samples (one JSON object per line)
  *.looptool.jsonl                       the same as LoopTool {instruction, input, output}
  noise.jsonl                            the truth about the injected wrong labels (never read by the loop)
  tools.json  world.json                 the tool catalog and a manifest

Splits: base (clean; SFT data for the base model; its own greetings and values),
seed (the loop's training data, with --noise of its labels corrupted), test (clean,
held out, with phrasings no other split uses). The same --seed always gives the
same files.

Example:
  looptool world generate --n 10000 --noise 0.15 --seed 7 --out data/world
`;

const JUDGE_HELP = `
Measures the rule judge where the truth is known. Each noisy seed label is compared
with its clean answer as the model's "prediction" (the judge should blame the label);
each clean label is compared with a typical model mistake (it must not). Prints recall
by noise kind, false blames by mistake kind, and precision; --out writes every verdict.
`;

export function registerWorldCommand(program: Command): void {
  const world = program.command('world').description('the built-in tool world: tools, executors, seed data with known label noise');

  world
    .command('generate')
    .description('generate the base, seed and test splits with label noise of known kinds')
    .requiredOption('--out <dir>', 'directory to write')
    .option('--n <count>', 'samples in the seed split', count, 2000)
    .option('--base <count>', 'samples in the base split (default: --n)', count)
    .option('--test <count>', 'samples in the test split (default: n/5, at least 100)', count)
    .option('--noise <rate>', 'share of seed labels to corrupt', rate, 0.15)
    .option('--seed <n>', 'random seed', count, 1)
    .option('--tools <min-max>', 'tools offered per sample', toolRange, { min: 2, max: 8 })
    .addHelpText('after', GENERATE_HELP)
    .action(async (opts: { out: string; n: number; base?: number; test?: number; noise: number; seed: number; tools: ToolCount }) => {
      const started = performance.now();
      const options = { seed: opts.seed, n: opts.n, base: opts.base, test: opts.test, noise: opts.noise, tools: opts.tools };
      const data = generateWorld(options);
      const generated = performance.now();
      const manifest = await writeWorld(opts.out, data, options);
      const total = manifest.counts.base + manifest.counts.seed + manifest.counts.test;
      process.stdout.write(
        `${total} samples (base ${manifest.counts.base}, seed ${manifest.counts.seed}, test ${manifest.counts.test}) over ${WORLD_TOOLS.length} tools in ${DOMAINS.length} domains; ` +
          `${manifest.noisyLabels} noisy seed labels (${pct(manifest.noisyLabels / Math.max(1, manifest.counts.seed))})\n` +
          `generated in ${((generated - started) / 1000).toFixed(2)} s, written in ${((performance.now() - generated) / 1000).toFixed(2)} s to ${opts.out}\n`,
      );
    });

  world
    .command('stats')
    .description('kind and domain mix, phrasing diversity, and (with --verdicts) how well a judge found the wrong labels')
    .argument('<dir>', 'a directory written by `world generate`')
    .option('--verdicts <file>', 'JSONL of {id, verdict} from a judge (for example the verify stage of a run)')
    .option('--json', 'print JSON instead of tables')
    .action(async (dir: string, opts: { verdicts?: string; json?: boolean }) => {
      const stats: Record<string, ReturnType<typeof splitStats>> = {};
      for (const split of SPLITS) stats[split] = splitStats(await readSplit(dir, split));
      const noise = await readNoise(dir);
      const verdicts = opts.verdicts ? verdictStats(await readVerdicts(opts.verdicts), noise) : undefined;
      const noiseKinds: Record<string, number> = {};
      for (const n of noise) noiseKinds[n.kind] = (noiseKinds[n.kind] ?? 0) + 1;
      if (opts.json) {
        process.stdout.write(stringifyJson({ splits: stats, noise: noiseKinds, ...(verdicts ? { verdicts } : {}) } as unknown as Value) + '\n');
        return;
      }
      const kinds = [...new Set(SPLITS.flatMap((s) => Object.keys(stats[s]!.kinds)))].sort();
      let out = table([['kind', ...SPLITS], ...kinds.map((k) => [k, ...SPLITS.map((s) => String(stats[s]!.kinds[k] ?? 0))])]);
      const domains = [...new Set(SPLITS.flatMap((s) => Object.keys(stats[s]!.domains)))].sort();
      out += '\n' + table([['domain', ...SPLITS], ...domains.map((d) => [d, ...SPLITS.map((s) => String(stats[s]!.domains[d] ?? 0))])]);
      out +=
        '\n' +
        table([
          ['diversity', ...SPLITS],
          ...[0, 1, 2].map((i) => [`distinct ${i + 1}-grams`, ...SPLITS.map((s) => stats[s]!.distinctNgrams[i]!.toFixed(3))]),
          ['phrasing instances', ...SPLITS.map((s) => String(stats[s]!.phrasings))],
        ]);
      out += `\nnoise: ${noise.length} labels — ${Object.entries(noiseKinds).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
      if (verdicts) {
        out += `\njudge: ${verdicts.blames} labels blamed, ${verdicts.correctBlames} of them noisy — precision ${pct(verdicts.precision)}, recall ${pct(verdicts.recall)}\n`;
        out += table([['noise kind', 'judged', 'found', 'recall'], ...Object.entries(verdicts.byKind).map(([k, v]) => [k, String(v.judged), String(v.flagged), pct(v.recall)])]);
      }
      process.stdout.write(out);
    });

  world
    .command('judge')
    .description('measure the rule judge on the seed split against the noise truth (precision and recall by noise kind)')
    .argument('<dir>', 'a directory written by `world generate`')
    .option('--out <file>', 'write every verdict as JSONL {id, verdict, case, kind}')
    .option('--json', 'print JSON instead of tables')
    .addHelpText('after', JUDGE_HELP)
    .action(async (dir: string, opts: { out?: string; json?: boolean }) => {
      const seed = await readSplit(dir, 'seed');
      const noise = await readNoise(dir);
      // the noisy labels are in seed.jsonl already; the judge sees only what a real judge sees
      const progress = startProgress({ label: 'judging', total: seed.length, unit: 'samples' });
      const result = await evaluateJudge(worldRuleJudge(), seed, noise, { onProgress: (d) => (d % 500 === 0 || d === seed.length) && progress.update(d) });
      progress.stop();
      if (opts.out) await writeJsonlAtomic(opts.out, result.verdicts as unknown as Value[]);
      if (opts.json) {
        const { verdicts: _, ...summary } = result;
        process.stdout.write(stringifyJson(summary as unknown as Value) + '\n');
        return;
      }
      const rows = (map: Record<string, KindTally>, head: string): string[][] => [
        [head, 'compared', 'label blamed', 'share'],
        ...Object.entries(map)
          .sort()
          .map(([k, t]) => [k, String(t.total), String(t.blamed), pct(t.blamed / t.total)]),
      ];
      process.stdout.write(`noisy labels vs their clean answer (should blame the label):\n${table(rows(result.noise, 'noise kind'))}\n`);
      process.stdout.write(`clean labels vs a typical model mistake (should not):\n${table(rows(result.mistakes, 'mistake kind'))}\n`);
      process.stdout.write(`precision ${pct(result.precision)}  recall ${pct(result.recall)}\n`);
    });

  world
    .command('expand')
    .description('run the template expander (EDDE) on seed samples and report how many candidates were valid')
    .argument('<dir>', 'a directory written by `world generate`')
    .option('--k <count>', 'new samples per seed sample', count, 4)
    .option('--limit <count>', 'seed samples to expand', count, 500)
    .option('--out <file>', 'write the new samples as JSONL')
    .action(async (dir: string, opts: { k: number; limit: number; out?: string }) => {
      const seed = await readSplit(dir, 'seed');
      const test = await readSplit(dir, 'test');
      const avoid = new Set([...seed, ...test].map(sampleFingerprint));
      // new samples offer as many tools as the world's own (a model trained on them has no room for more)
      const tools = readWorldManifest(dir)?.tools;
      const expander = new TemplateExpander({ avoid, round: 1, ...(tools ? { tools } : {}) });
      const made = [];
      let attempts = 0;
      let keptKind = 0;
      const rejected: Record<string, number> = {};
      for (const s of seed.slice(0, opts.limit)) {
        const r = expander.expandSync({ sample: s }, opts.k);
        attempts += r.attempts;
        for (const [k, v] of Object.entries(r.rejected)) rejected[k] = (rejected[k] ?? 0) + v;
        for (const x of r.samples) if (inferKind(x) === inferKind(s)) keptKind++;
        made.push(...r.samples);
      }
      if (opts.out) await writeJsonlAtomic(opts.out, made as unknown as Value[]);
      process.stdout.write(
        `${made.length} new samples from ${Math.min(opts.limit, seed.length)} seeds; ${attempts} candidates drawn, ${pct(made.length / Math.max(1, attempts))} valid; ` +
          `kind kept ${pct(keptKind / Math.max(1, made.length))}; rejected: ${Object.entries(rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}\n` +
          (opts.out ? `written to ${opts.out}\n` : ''),
      );
    });

  registerWorldPretrain(world);
  registerWorldProbe(world);
}
