/** `looptool engine grpo`: GRPO on samples for the embedded model, rewarded by the LoopTool reward against each label. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../core/records.ts';
import { runEmbeddedGrpo } from '../train/embedded-grpo-run.ts';
import { RunMismatchError } from '../train/run-checkpoint.ts';
import { readSamples } from './engine.ts';
import { startProgress } from './progress.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

const HELP = `
Each step samples --group-size answers for each of --prompts-per-step prompts at
temperature 1, scores them with the LoopTool reward against the sample's label (1 for a
matching call list, or for a text reply where the label is text), normalises the rewards
per group, and updates the model with the clipped surrogate (clip 0.2 / 0.28, dual clip
3, loss averaged over answer tokens). Groups whose answers all score alike teach nothing
and are skipped. Saves every --save-every steps and after each epoch; run the same
command again to resume.

Example:
  looptool engine grpo --model models/sft --data round-1/dataset.jsonl --out models/grpo-1 --group-size 8
`;

export function registerGrpoCommand(engine: Command): void {
  engine
    .command('grpo')
    .description('GRPO on samples (LoopTool reward against each label); resumable')
    .requiredOption('--model <dir>', 'model directory to start from')
    .requiredOption('--data <file>', 'samples as JSONL (looptool Sample records)')
    .requiredOption('--out <dir>', 'output model directory (also holds the optimizer state for resuming)')
    .option('--group-size <n>', 'answers sampled per prompt', positiveInt, 8)
    .option('--prompts-per-step <n>', 'prompts per optimizer step', positiveInt, 4)
    .option('--epochs <n>', 'passes over the data', positiveInt, 1)
    .option('--lr <x>', 'peak learning rate', nonNegative, 2e-4)
    .option('--max-tokens <n>', 'longest answer sampled', positiveInt, 96)
    .option('--kl <coef>', 'low-var KL penalty against the starting model (0 = off, as in the paper)', nonNegative, 0)
    .option('--mini-batches <n>', 'optimizer updates per step (the step\'s answers split this many ways)', positiveInt, 1)
    .addOption(new Option('--reward <variant>', 'reward rules').choices(['official', 'strict']).default('official'))
    .option('--seed <n>', 'seed for prompt order and sampling', (v) => Number(v), 0)
    .option('--save-every <n>', 'save every n steps', positiveInt, 20)
    .addHelpText('after', HELP)
    .action(async (opts: { model: string; data: string; out: string; groupSize: number; promptsPerStep: number; epochs: number; lr: number; maxTokens: number; kl: number; miniBatches: number; reward: 'official' | 'strict'; seed: number; saveEvery: number }) => {
      const samples = await readSamples(opts.data);
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let bar: ReturnType<typeof startProgress> | undefined;
      let tokens = 0;
      try {
        const result = await runEmbeddedGrpo({
          baseDir: opts.model,
          samples,
          outDir: opts.out,
          options: { groupSize: opts.groupSize, promptsPerStep: opts.promptsPerStep, epochs: opts.epochs, lr: opts.lr, maxTokens: opts.maxTokens, klCoef: opts.kl, miniBatches: opts.miniBatches, rewardVariant: opts.reward, seed: opts.seed, saveEvery: opts.saveEvery },
          signal: controller.signal,
          onStep: (r) => {
            bar ??= startProgress({ label: 'grpo', total: r.totalSteps, unit: 'steps' });
            tokens += r.tokens;
            bar.update(r.step, { reward: r.meanReward, solved: `${r.solvedGroups}/${r.groups}`, loss: r.loss, 'tok/s': Math.round(r.tokens / Math.max(1e-3, r.seconds)) });
          },
        });
        bar?.stop();
        if (result.tooLong > 0) process.stderr.write(`left out ${result.tooLong} prompts too long to answer within the context\n`);
        if (result.stopped) {
          process.stderr.write(`stopped at step ${result.steps} of ${result.totalSteps}; saved to ${opts.out}. Run the same command to resume.\n`);
          process.exitCode = 130;
          return;
        }
        process.stdout.write(
          `trained ${result.steps - result.resumedFrom} steps${result.resumedFrom > 0 ? ` (resumed from step ${result.resumedFrom})` : ''}; mean reward ${result.meanReward.toFixed(3)}; ${result.skippedGroups} groups skipped (all answers alike); ${tokens.toLocaleString('en-US')} answer tokens trained; saved to ${opts.out}\n`,
        );
      } catch (e) {
        bar?.stop();
        if (e instanceof RunMismatchError) throw new InputError(opts.out, undefined, undefined, 'holds a different training run (other base model, data or options); choose another --out');
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
