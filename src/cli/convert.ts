/** `looptool convert`: between LoopTool records, ShareGPT/xLAM, OpenAI chat, BFCL entries and looptool samples. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FORMATS, readSamplesAs, writeSamplesAs, type Format } from '../core/convert/index.ts';
import { InputError, readRecords, writeJsonlAtomic } from '../core/records.ts';
import { isPlainObject, type ValueObject } from '../core/value.ts';

const HELP = `
Formats:
  samples   looptool's own Sample JSONL (tools, messages, label, provenance)
  looptool  LoopTool training records {instruction, input, output}, Qwen layout;
            rendering is byte-exact with Python json.dumps (give the instruction text
            with --instruction-file to reproduce another pipeline's records exactly)
  sharegpt  {tools, conversations: [{from, value}], date?}: one sample per assistant
            call turn (a turn followed by a tool error is skipped), history cut to
            --max-turns user messages; --text-turns adds text replies
  openai    {messages, tools} chat-completions bodies; the last assistant message is
            the label (--every-turn: one sample per assistant message)
  bfcl      BFCL question entries; labels from the possible answers (--answers, or
            possible_answer/<same file name> beside IN); multi-turn entries skipped

Input may be JSONL or one JSON array; output is JSONL, written atomically.

Examples:
  looptool convert --from sharegpt --to looptool xlam.json train.jsonl --max-turns 8
  looptool convert --from bfcl --to samples ../shared/benchmarks/bfcl_v3/BFCL_v3_simple.json simple.jsonl
  looptool convert --from samples --to openai samples.jsonl chat.jsonl
`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

async function loadAnswers(inPath: string, given: string | undefined): Promise<Map<string, ValueObject> | undefined> {
  const path = given ?? join(dirname(inPath), 'possible_answer', basename(inPath));
  if (given === undefined && !existsSync(path)) return undefined;
  const answers = new Map<string, ValueObject>();
  for (const r of await readRecords(path)) {
    if (!isPlainObject(r.value) || typeof r.value['id'] !== 'string') throw new InputError(path, r.line, 'id', 'each answer needs a string id');
    answers.set(r.value['id'], r.value);
  }
  return answers;
}

interface ConvertFlags {
  from: Format;
  to: Format;
  maxTurns: number;
  textTurns?: boolean;
  everyTurn?: boolean;
  answers?: string;
  instructionFile?: string;
  date?: string;
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert tool-calling data between formats')
    .argument('<in>', 'input file (JSONL or a JSON array); - for stdin')
    .argument('<out>', 'output JSONL file')
    .addOption(new Option('--from <format>', 'input format').choices(FORMATS).makeOptionMandatory())
    .addOption(new Option('--to <format>', 'output format').choices(FORMATS).makeOptionMandatory())
    .option('--max-turns <n>', 'sharegpt: user messages of history to keep', positiveInt, 5)
    .option('--text-turns', 'sharegpt: also make samples of assistant text replies')
    .option('--every-turn', 'openai: one sample per assistant message')
    .option('--answers <file>', 'bfcl: the possible-answer file')
    .option('--instruction-file <file>', 'looptool: system instruction text to write into records')
    .option('--date <text>', 'looptool: date for the instruction when a sample has none')
    .addHelpText('after', HELP)
    .action(async (inPath: string, outPath: string, flags: ConvertFlags) => {
      const file = inPath === '-' ? '<stdin>' : inPath;
      const records = await readRecords(inPath);
      const bfclAnswers = flags.from === 'bfcl' && inPath !== '-' ? await loadAnswers(inPath, flags.answers) : undefined;
      const { samples, skipped } = readSamplesAs(flags.from, records, file, {
        maxTurns: flags.maxTurns,
        textTurns: flags.textTurns === true,
        everyTurn: flags.everyTurn === true,
        ...(bfclAnswers ? { bfclAnswers } : {}),
      });
      const instruction = flags.instructionFile ? (await readFile(flags.instructionFile, 'utf8')).replace(/\n$/, '') : undefined;
      const out = writeSamplesAs(flags.to, samples, { ...(instruction !== undefined ? { instruction } : {}), ...(flags.date ? { date: flags.date } : {}) });
      await writeJsonlAtomic(outPath, out);
      const skippedText = Object.entries(skipped).map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`).join(', ');
      process.stderr.write(`read ${records.length} records (${samples.length} samples), wrote ${out.length} to ${outPath}${skippedText ? `; skipped: ${skippedText}` : ''}\n`);
    });
}
