/** `looptool bfcl score`: BFCL v3 scores of a model's results, with the official checker's verdicts. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError, writeJsonlAtomic } from '../core/records.ts';
import { bfclLeaderboard } from '../bench/bfcl/aggregate.ts';
import { loadBfclData } from '../bench/bfcl/data.ts';
import { BFCL_FORMATS, type BfclFormat } from '../bench/bfcl/decode.ts';
import { readBfclPredictions } from '../bench/bfcl/predictions.ts';
import { bfclDetailsRecord, bfclReportJson, formatBfclReport } from '../bench/bfcl/report.ts';
import { scoreBfcl } from '../bench/bfcl/score.ts';
import { smokePredictions } from '../bench/bfcl/smoke.ts';

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

/** Registers `looptool bfcl` and its `score` and `smoke` subcommands. */
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
}
