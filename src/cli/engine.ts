/** `looptool engine …`: create, train, run and score the embedded model. */
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SampleSchema, type Sample } from '../core/types.ts';
import { InputError, readRecords, validateRecord } from '../core/records.ts';
import { MODEL_SIZES, type ModelSizeName } from '../engine/config.ts';
import type { SplitName } from '../engine/tokenizer/index.ts';
import { GREEDY, generate, scoreContinuation } from '../engine/generate.ts';
import { renderChat } from '../models/chat-template.ts';
import { splitCorpus } from '../models/corpus.ts';
import { END_OF_TEXT, END_OF_TURN, loadEngineModel } from '../models/engine-model.ts';
import { initEngineModel } from '../models/init-engine-model.ts';
import { runEmbeddedSft, SftRunMismatchError } from '../train/embedded-sft-run.ts';
import { registerGrpoCommand } from './engine-grpo.ts';
import { startProgress } from './progress.ts';
import { splitOption } from './split-option.ts';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

async function readCorpus(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new InputError(path, undefined, undefined, 'cannot read the corpus file');
  });
  return splitCorpus(text);
}

export async function readSamples(path: string): Promise<Sample[]> {
  const file = path === '-' ? '<stdin>' : path;
  return (await readRecords(path)).map((r) => validateRecord(SampleSchema, r, file));
}

function registerInit(engine: Command): void {
  engine
    .command('init')
    .description('Create a new model directory: fresh weights and a byte-level BPE tokenizer trained on a corpus.')
    .requiredOption('--out <dir>', 'model directory to create (🤗 format: config.json, model.safetensors, tokenizer files)')
    .addOption(new Option('--size <name>', 'model size').choices(Object.keys(MODEL_SIZES)).default('tiny'))
    .option('--seed <n>', 'seed for weights and tokenizer training', positiveIntOrZero, 0)
    .option('--corpus <file>', 'text to train the tokenizer on (paragraphs separated by blank lines); default: a built-in tool-calling corpus')
    .option('--max-positions <n>', "context length in tokens (default: the size's)", positiveInt)
    .addOption(splitOption('qwen2'))
    .addHelpText('after', '\nExample:\n  looptool engine init --out models/base --size tiny\n')
    .action(async (opts: { out: string; size: ModelSizeName; seed: number; corpus?: string; maxPositions?: number; split: SplitName }) => {
      const corpus = opts.corpus ? await readCorpus(opts.corpus) : undefined;
      const { config, parameters } = await initEngineModel(opts.out, {
        size: opts.size,
        seed: opts.seed,
        split: opts.split,
        ...(corpus ? { corpus } : {}),
        ...(opts.maxPositions !== undefined ? { maxPositions: opts.maxPositions } : {}),
      });
      process.stdout.write(`created ${opts.out}: ${opts.size} model, ${parameters.toLocaleString('en-US')} parameters, ${config.vocabSize} tokens, context ${config.maxPositions}\n`);
    });
}

function positiveIntOrZero(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function registerSft(engine: Command): void {
  engine
    .command('sft')
    .description('Supervised fine-tuning on samples (loss on the label turn only). Saves every --save-every steps; run the same command again to resume.')
    .requiredOption('--model <dir>', 'base model directory')
    .requiredOption('--data <file>', 'samples as JSONL (looptool Sample records; see `looptool convert`)')
    .requiredOption('--out <dir>', 'output model directory (also holds the optimizer state for resuming)')
    .option('--epochs <n>', 'passes over the data', positiveInt, 1)
    .option('--lr <x>', 'peak learning rate', nonNegativeNumber, 1e-3)
    .option('--batch-tokens <n>', 'tokens per optimizer step', positiveInt, 2048)
    .option('--warmup <n>', 'warm-up steps', positiveIntOrZero, 10)
    .option('--seed <n>', 'shuffling seed', positiveIntOrZero, 0)
    .option('--save-every <n>', 'save every n steps', positiveInt, 50)
    .addHelpText('after', '\nExample:\n  looptool engine sft --model models/base --data train.jsonl --out models/sft --epochs 3\n')
    .action(async (opts: { model: string; data: string; out: string; epochs: number; lr: number; batchTokens: number; warmup: number; seed: number; saveEvery: number }) => {
      const samples = await readSamples(opts.data);
      const controller = new AbortController();
      const onSignal = (): void => controller.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let progress: ReturnType<typeof startProgress> | undefined;
      let tokens = 0;
      try {
        const result = await runEmbeddedSft({
          baseDir: opts.model,
          samples,
          outDir: opts.out,
          options: { epochs: opts.epochs, lr: opts.lr, batchTokens: opts.batchTokens, warmupSteps: opts.warmup, seed: opts.seed, saveEvery: opts.saveEvery },
          signal: controller.signal,
          onStep: (p) => {
            progress ??= startProgress({ label: 'sft', total: p.totalSteps, unit: 'steps' });
            tokens += p.tokens;
            progress.update(p.step, { loss: p.loss, lr: p.lr });
          },
        });
        progress?.stop();
        if (result.tooLong.length > 0) process.stderr.write(`left out ${result.tooLong.length} samples longer than the context (first: ${result.tooLong[0]})\n`);
        const last = result.history.at(-1);
        if (result.stopped) {
          process.stderr.write(`stopped at step ${last?.step ?? result.resumedFrom} of ${result.totalSteps}; saved to ${opts.out}. Run the same command to resume.\n`);
          process.exitCode = 130;
          return;
        }
        process.stdout.write(`trained ${result.totalSteps - result.resumedFrom} steps (${tokens.toLocaleString('en-US')} tokens)${result.resumedFrom > 0 ? `, resumed from step ${result.resumedFrom}` : ''}; final loss ${last?.loss.toFixed(4) ?? 'n/a'}; saved to ${opts.out}\n`);
      } catch (e) {
        progress?.stop();
        if (e instanceof SftRunMismatchError) throw new InputError(opts.out, undefined, undefined, 'holds a different training run (other base model, data or options); choose another --out');
        throw e;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function registerGenerate(engine: Command): void {
  engine
    .command('generate')
    .description('Generate a reply. The prompt is a user message rendered with the chat template, or raw text with --raw.')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--prompt <text>', 'the user message (or the raw prompt with --raw)')
    .option('--system <text>', 'a system message')
    .option('--raw', 'use --prompt as raw text, without the chat template')
    .option('--greedy', 'greedy decoding (the default is sampling at --temperature)')
    .option('--temperature <x>', 'sampling temperature', nonNegativeNumber, 0.7)
    .option('--top-p <x>', 'nucleus sampling', nonNegativeNumber, 1)
    .option('--max-tokens <n>', 'most tokens to generate', positiveInt, 256)
    .option('--seed <n>', 'sampling seed', positiveIntOrZero, 0)
    .addHelpText('after', '\nExample:\n  looptool engine generate --model models/sft --prompt "Weather in Oslo?" --greedy\n')
    .action(async (opts: { model: string; prompt: string; system?: string; raw?: boolean; greedy?: boolean; temperature: number; topP: number; maxTokens: number; seed: number }) => {
      const bundle = await loadEngineModel(opts.model);
      const messages = [...(opts.system ? [{ role: 'system' as const, content: opts.system }] : []), { role: 'user' as const, content: opts.prompt }];
      const promptText = opts.raw ? opts.prompt : renderChat(messages, [], true);
      const tokenizer = bundle.tokenizer;
      const [out] = generate(bundle.model, [Int32Array.from(tokenizer.encode(promptText))], {
        ...GREEDY,
        temperature: opts.greedy ? 0 : opts.temperature,
        topP: opts.topP,
        maxTokens: opts.maxTokens,
        seed: opts.seed,
        stopTokens: [tokenizer.addedTokenId(END_OF_TURN), tokenizer.addedTokenId(END_OF_TEXT)],
      });
      const kept = out!.finishReason === 'stop' ? out!.tokens.slice(0, -1) : out!.tokens;
      process.stdout.write(tokenizer.decode(kept) + '\n');
    });
}

function registerScore(engine: Command): void {
  engine
    .command('score')
    .description('Teacher-forced log-probabilities of a continuation after a prompt: the numbers GCP perplexity and GRPO ratios use.')
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--prompt <text>', 'raw prompt text (use --chat to render it as a user message)')
    .requiredOption('--continuation <text>', 'the text to score')
    .option('--chat', 'render --prompt as a user message with the chat template')
    .option('--json', 'print {tokens, ids, logprobs, perplexity} as JSON')
    .addHelpText('after', '\nExample:\n  looptool engine score --model models/sft --chat --prompt "Weather in Oslo?" --continuation \'<tool_call>\' --json\n')
    .action(async (opts: { model: string; prompt: string; continuation: string; chat?: boolean; json?: boolean }) => {
      const bundle = await loadEngineModel(opts.model);
      const tokenizer = bundle.tokenizer;
      const prompt = opts.chat ? renderChat([{ role: 'user', content: opts.prompt }], [], true) : opts.prompt;
      const ids = tokenizer.encode(opts.continuation);
      const logprobs = scoreContinuation(bundle.model, Int32Array.from(tokenizer.encode(prompt)), Int32Array.from(ids));
      const tokens = ids.map((id) => tokenizer.decode([id]));
      const perplexity = logprobs.length === 0 ? 1 : Math.exp(-logprobs.reduce((a, b) => a + b, 0) / logprobs.length);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ tokens, ids, logprobs, perplexity }) + '\n');
        return;
      }
      tokens.forEach((t, i) => process.stdout.write(`${JSON.stringify(t).padEnd(24)} ${logprobs[i]!.toFixed(4)}\n`));
      process.stdout.write(`perplexity ${perplexity.toFixed(4)} over ${tokens.length} tokens\n`);
    });
}

export function registerEngineCommand(program: Command): void {
  const engine = program.command('engine').description('The embedded model: create (init), train (sft, grpo), run (generate) and score it.');
  registerInit(engine);
  registerSft(engine);
  registerGrpoCommand(engine);
  registerGenerate(engine);
  registerScore(engine);
}

