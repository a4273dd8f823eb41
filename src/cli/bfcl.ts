/** `looptool bfcl score`: BFCL v3 scores of a model's results, with the official checker's verdicts. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setMaxListeners } from 'node:events';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError, writeJsonlAtomic } from '../core/records.ts';
import { bfclLeaderboard } from '../bench/bfcl/aggregate.ts';
import { loadBfclData } from '../bench/bfcl/data.ts';
import { BFCL_FORMATS, type BfclFormat } from '../bench/bfcl/decode.ts';
import { readBfclPredictions } from '../bench/bfcl/predictions.ts';
import { bfclDetailsRecord, bfclReportJson, formatBfclReport } from '../bench/bfcl/report.ts';
import { scoreBfcl } from '../bench/bfcl/score.ts';
import { smokePredictions } from '../bench/bfcl/smoke.ts';
import { LIVE_CATEGORIES, NON_LIVE_CATEGORIES } from '../bench/bfcl/categories.ts';
import { runBfcl } from '../bench/bfcl/run.ts';
import { OpenAIChatModel, type PromptMode } from '../models/openai-chat-model.ts';
import { startProgress } from './progress.ts';

const DEFAULT_DATA = '../shared/benchmarks/bfcl_v3';

const SCORE_HELP = `
What it does:
  Decodes each prediction the way the official BFCL v3 code decodes that model format,
  checks it with the official AST checker (possible answers, string normalisation,
  int accepted for float, "" = may be left out, greedy parallel matching, Java/JS type
  conversion) or the relevance rule (irrelevance: no call may be decoded), and prints
  the accuracy per category and the leaderboard aggregation (Non-Live unweighted, Live
  weighted by entries, Overall = mean of Live, Non-Live and Multi-Turn).

Predictions:
  PATH is either a folder in the official result layout, one file per category
  (BFCL_v3_simple_result.json, BFCL_v3_live_multiple_result.json, ...), or one JSONL
  file; every line is {"id": "simple_0", "result": ...}. Any subset of ids may be
  given: entries without a prediction are counted per category, not scored as wrong.
  Multi-turn entries are reported as not scored (they need the tool simulators).

Formats (--format):
  python     prompt mode: "result" is the reply text, e.g. "[get_weather(city='Paris')]"
  hermes     "result" is the raw text with <tool_call>\\n{"name": ..., "arguments": {...}}\\n</tool_call>
  openai-fc  "result" is [{"get_weather": "{\\"city\\": \\"Paris\\"}"}], or a string for a text reply
  A "result" that is already a list of {name: {arguments}} is scored as it is.

Examples:
  looptool bfcl score --predictions results/my-model
  looptool bfcl score --predictions preds.jsonl --format hermes --data ../shared/benchmarks/bfcl_v3
  looptool bfcl score --predictions results/gpt --format openai-fc --underscore-to-dot --json
  looptool bfcl score --predictions preds.jsonl --details details.jsonl
      (one line per entry: {"id", "category", "valid", "error_type", "errors"}, with the
       official error-type names such as "value_error:string" or "ast_decoder:decoder_failed")
`;

interface ScoreFlags {
  predictions: string;
  data?: string;
  format: BfclFormat;
  underscoreToDot?: boolean;
  json?: boolean;
  details?: string;
}

function resolveDataDir(given: string | undefined): string {
  if (given !== undefined) return given;
  if (existsSync(resolve(DEFAULT_DATA))) return DEFAULT_DATA;
  throw new InputError(
    '--data',
    undefined,
    undefined,
    `not given, and the default ${DEFAULT_DATA} (relative to ${process.cwd()}) does not exist; pass --data DIR, the folder with BFCL_v3_*.json and possible_answer/`,
  );
}

async function runScore(flags: ScoreFlags): Promise<void> {
  const dataDir = resolveDataDir(flags.data);
  const data = await loadBfclData(dataDir);
  const predictions = await readBfclPredictions(flags.predictions, data);
  const underscoreToDot = flags.underscoreToDot === true;
  const score = scoreBfcl(data, predictions, { format: flags.format, underscoreToDot });
  const meta = { format: flags.format, underscoreToDot, dataDir, predictionsPath: flags.predictions };
  const board = bfclLeaderboard(score.categories);
  if (flags.details !== undefined) await writeJsonlAtomic(flags.details, score.items.map(bfclDetailsRecord));
  process.stdout.write(flags.json ? `${JSON.stringify(bfclReportJson(score, meta, board), null, 2)}\n` : formatBfclReport(score, meta, board));
}

interface SmokeFlags {
  data?: string;
  json?: boolean;
  details?: string;
}

async function runSmoke(flags: SmokeFlags): Promise<void> {
  const dataDir = resolveDataDir(flags.data);
  const started = performance.now();
  const data = await loadBfclData(dataDir);
  const predictions = smokePredictions(data);
  const score = scoreBfcl(data, predictions, { format: 'python', underscoreToDot: false });
  const board = bfclLeaderboard(score.categories);
  const meta = { format: 'python' as const, underscoreToDot: false, dataDir, predictionsPath: '(the data\'s own possible answers, rendered as prompt-mode replies)' };
  if (flags.details !== undefined) await writeJsonlAtomic(flags.details, score.items.map(bfclDetailsRecord));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(bfclReportJson(score, meta, board), null, 2)}\n`);
    return;
  }
  process.stdout.write(formatBfclReport(score, meta, board));
  const failed = score.items.filter((i) => !i.valid);
  process.stdout.write(`\n${failed.length} of ${score.items.length} entries fail: ${failed.map((i) => `${i.id} (${i.errorType})`).join(', ') || 'none'}\n`);
  process.stdout.write(`(entries the data itself makes unpassable are expected here; done in ${((performance.now() - started) / 1000).toFixed(2)} s)\n`);
}

interface RunFlags {
  endpoint: string[];
  model: string;
  mode: PromptMode;
  out: string;
  data?: string;
  categories?: string[];
  limit?: number;
  maxTokens: number;
  concurrency: number;
  timeout: number;
  apiKey?: string;
  json?: boolean;
}

const RUN_HELP = `
Sends each single-turn entry (AST and relevance categories, or --categories) to an
OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama, looptool serve) greedily,
writes the replies in the official result layout (OUT/BFCL_v3_<category>_result.json,
one {"id", "result"} line per entry) as they come, and scores them. A killed run picks
up where it stopped when run again; failed requests are retried then.

Modes (--mode):
  hermes  looptool renders the tools into the system prompt and reads <tool_call> blocks
  chat    the server gets "tools" and returns "tool_calls" (function names with dots are
          sent as a_b and scored with underscore-to-dot)

Examples:
  looptool bfcl run --endpoint http://127.0.0.1:8000/v1 --model qwen3-8b --out results/qwen3-8b
  looptool bfcl run --endpoint http://127.0.0.1:8000/v1 --model m --mode chat --categories simple,multiple --limit 50 --out /tmp/quick
`;

async function runModel(flags: RunFlags): Promise<void> {
  const dataDir = resolveDataDir(flags.data);
  const singleTurn: readonly string[] = [...NON_LIVE_CATEGORIES, ...LIVE_CATEGORIES];
  const categories = flags.categories ?? singleTurn;
  for (const c of categories) if (!singleTurn.includes(c)) throw new InputError('--categories', undefined, undefined, `"${c}" is not a single-turn category (${singleTurn.join(', ')})`);
  const model = new OpenAIChatModel({ baseUrls: flags.endpoint, model: flags.model, mode: flags.mode, concurrency: flags.concurrency, timeoutMs: flags.timeout * 1000, ...(flags.apiKey ? { apiKey: flags.apiKey } : {}) });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  let bar: ReturnType<typeof startProgress> | undefined;
  let barFor = '';
  try {
    const summaries = await runBfcl(dataDir, model, flags.out, {
      categories,
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      maxTokens: flags.maxTokens,
      batchSize: flags.concurrency * 2,
      dotsToUnderscores: flags.mode === 'chat',
      signal: abort.signal,
      onProgress: (category, done, total) => {
        if (barFor !== category) {
          bar?.stop();
          bar = startProgress({ label: category, total, unit: 'entries' });
          barFor = category;
        }
        bar!.update(done);
      },
    });
    bar?.stop();
    const failed = summaries.reduce((s, x) => s + x.failed, 0);
    if (failed > 0) process.stderr.write(`${failed} requests failed after retries; run the same command again to retry them\n`);
  } catch (e) {
    bar?.stop();
    if (abort.signal.aborted) {
      process.stderr.write(`\nstopped; the replies so far are in ${flags.out}. Run the same command to continue.\n`);
      process.exitCode = 130;
      return;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
  }
  const data = await loadBfclData(dataDir, categories);
  const predictions = await readBfclPredictions(flags.out, data);
  const underscoreToDot = flags.mode === 'chat';
  const score = scoreBfcl(data, predictions, { format: 'hermes', underscoreToDot });
  const board = bfclLeaderboard(score.categories);
  const meta = { format: 'hermes' as const, underscoreToDot, dataDir, predictionsPath: flags.out };
  process.stdout.write(flags.json ? `${JSON.stringify(bfclReportJson(score, meta, board), null, 2)}\n` : formatBfclReport(score, meta, board));
}

/** Registers `looptool bfcl` and its `score`, `smoke` and `run` subcommands. */
export function registerBfclCommand(program: Command): void {
  const bfcl = program.command('bfcl').description('BFCL v3 (Berkeley Function Calling Leaderboard): score results with the official rules');
  bfcl
    .command('score')
    .description('score model results on BFCL v3: per-category accuracy, the leaderboard aggregation and the overall score')
    .requiredOption('--predictions <path>', 'result folder (BFCL_v3_<category>_result.json files) or one JSONL file of {id, result}')
    .option('--data <dir>', `BFCL v3 data folder (default: ${DEFAULT_DATA} when it exists)`)
    .addOption(new Option('--format <format>', 'how the results are written').choices(BFCL_FORMATS).default('python'))
    .option('--underscore-to-dot', 'the model was shown a_b for a function named a.b (models that cannot use dots in names)')
    .option('--json', 'print the report as JSON')
    .option('--details <file>', 'write one JSON line per scored entry: id, category, valid, error_type, errors')
    .addHelpText('after', SCORE_HELP)
    .action(async (flags: ScoreFlags) => runScore(flags));
  bfcl
    .command('smoke')
    .description("score the data's own possible answers as model replies: an end-to-end check of loader, decoder, checker and aggregation")
    .option('--data <dir>', `BFCL v3 data folder (default: ${DEFAULT_DATA} when it exists)`)
    .option('--json', 'print the report as JSON')
    .option('--details <file>', 'write one JSON line per scored entry: id, category, valid, error_type, errors')
    .addHelpText('after', '\nExample:\n  looptool bfcl smoke            # expect 100% but for the entries the data cannot satisfy\n')
    .action(async (flags: SmokeFlags) => runSmoke(flags));
  bfcl
    .command('run')
    .description('answer the BFCL v3 single-turn entries (AST and relevance) with a served model, write the official result layout, and score it')
    .requiredOption('--endpoint <url...>', 'OpenAI-compatible base URL(s), e.g. http://127.0.0.1:8000/v1 (several: round-robin with failover)')
    .requiredOption('--model <name>', 'served model name')
    .requiredOption('--out <dir>', 'result folder (created; a rerun continues it)')
    .addOption(new Option('--mode <mode>', 'prompting').choices(['hermes', 'chat']).default('hermes'))
    .option('--data <dir>', `BFCL v3 data folder (default: ${DEFAULT_DATA} when it exists)`)
    .option('--categories <list>', 'comma-separated single-turn categories (default: all)', (v: string) => v.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .option('--limit <n>', 'only the first n entries of each category', (v: string) => positive(v))
    .option('--max-tokens <n>', 'most tokens per reply', (v: string) => positive(v), 512)
    .option('--concurrency <n>', 'requests in flight', (v: string) => positive(v), 16)
    .option('--timeout <seconds>', 'per request', (v: string) => positive(v), 120)
    .option('--api-key <key>', 'Bearer key for the server')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', RUN_HELP)
    .action(async (flags: RunFlags) => runModel(flags));
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
