/** `looptool import`: public tool-calling data (LoopTool-23k, ToolACE, xLAM, ShareGPT) as looptool samples, with counts of what was skipped and why. */
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { validateToolCall } from '../check/schema.ts';
import { addIssue, formatIssue, totalOf, type IssueTally } from '../core/convert/import-report.ts';
import { IMPORT_FORMATS, importText, type ImportFormat, type ImportResult } from '../core/convert/import.ts';
import type { CallListParser } from '../core/convert/toolace.ts';
import { stringifyJson } from '../core/json.ts';
import { InputError, readStdin, writeJsonlAtomic } from '../core/records.ts';
import type { Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { parsePythonToolCalls } from '../toolcall/python.ts';
import { positiveWholeNumber } from './flag-parsers.ts';
import { readToolSetOption } from './tool-set-option.ts';

const HELP = `
Formats:
  looptool  LoopTool-23k records {instruction, input, output} (Qwen layout, tools
            inside the instruction); each record is checked to export back byte for
            byte, and those that would not are noted (kept)
  toolace   ToolACE {system, conversations}: tools read from the JSON list in the
            system text, Python call lists ([f(a=1)]) in assistant turns
  xlam      xLAM / APIGen {id, query, tools, answers} (tools and answers as JSON
            strings); an empty answer list becomes a "no function fits" reply
  sharegpt  {tools, conversations: [{from, value}]}; also human/gpt turns and
            LLaMA-Factory's function_call/observation turns

Every assistant turn becomes a sample (the conversation before it is the prompt);
--calls-only keeps only turns that call tools, as the LoopTool release did. A call
turn followed by a tool error is left out. Bad records never stop the import: they
are counted by reason, with the first examples by line. Every label is checked
against its sample's tools; --strict drops those that break the schema.

Input is JSONL or one JSON array; output is looptool sample JSONL, written
atomically, ready for looptool iterate or looptool convert.

Examples:
  looptool import --format xlam xlam_function_calling_60k.json --out xlam.jsonl
  looptool import --format toolace data.json --out toolace.jsonl --calls-only
  looptool import --format looptool LoopTool-23k.json --out seed.jsonl
  looptool import --format sharegpt chats.jsonl --tools my-api.openapi.json --out chats.samples.jsonl
`;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import public tool-calling data (LoopTool-23k, ToolACE, xLAM, ShareGPT) as looptool samples')
    .argument('<input>', 'data file: JSONL or one JSON array; - for stdin')
    .addOption(new Option('--format <format>', 'what the input is').choices(IMPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'where to write the samples (JSONL)')
    .option('--tools <path>', 'a tool set (see looptool tools check) for conversations that list no tools')
    .option('--max-turns <n>', 'user messages of history kept before each assistant turn', positiveWholeNumber, 5)
    .option('--calls-only', 'only assistant turns that call tools become samples')
    .option('--strict', 'drop samples whose label breaks its tools\' schema (default: keep and count them)')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText('after', HELP)
    .action(async (input: string, opts: { format: ImportFormat; out: string; tools?: string; maxTurns: number; callsOnly?: boolean; strict?: boolean; json?: boolean }) => {
      const tools = opts.tools === undefined ? undefined : await readToolSetOption(opts.tools);
      const file = input === '-' ? '<stdin>' : input;
      const text =
        input === '-'
          ? await readStdin()
          : await readFile(input, 'utf8').catch((e: NodeJS.ErrnoException) => {
              throw new InputError(input, undefined, undefined, e.code === 'ENOENT' ? 'no such file' : e.message);
            });
      const result = importText(opts.format, text, file, { parseCalls: pythonCallList, maxTurns: opts.maxTurns, callsOnly: opts.callsOnly === true, ...(tools ? { tools } : {}) });
      checkLabels(result, opts.strict === true);
      await writeJsonlAtomic(opts.out, result.samples as unknown as Value[]);
      if (opts.json) process.stdout.write(`${stringifyJson(report(result, opts.out) as unknown as Value)}\n`);
      process.stderr.write(summary(result, file, opts.out));
    });
}

/** ToolACE's call lists through the Python call parser: the whole text must be the list. */
export const pythonCallList: CallListParser = (text) => {
  const parsed = parsePythonToolCalls(text);
  if (!parsed.ok) return { ok: false, message: parsed.failure.message };
  if (parsed.content !== '') return { ok: false, message: `text outside the call list: ${parsed.content.slice(0, 60)}` };
  return { ok: true, calls: parsed.calls };
};

/** Labels against their own tools: a call to a tool not offered, a missing required argument, a wrong type. */
function checkLabels(result: ImportResult, strict: boolean): void {
  const kept: Sample[] = [];
  for (const sample of result.samples) {
    const problem = sample.label.kind === 'calls' ? sample.label.calls.flatMap((c) => validateToolCall(c, sample.tools).map((v) => `${c.name}: ${v.path}: ${v.message}`))[0] : undefined;
    if (problem === undefined) {
      kept.push(sample);
      continue;
    }
    const line = Number(/:(\d+)$/.exec(sample.provenance.origin ?? '')?.[1] ?? 0);
    addIssue(strict ? result.skipped : result.notes, { line, reason: 'label_breaks_schema', message: `${sample.id}: ${problem}` });
    if (!strict) kept.push(sample);
  }
  result.samples = kept;
}

function tallyLines(title: string, tally: IssueTally, file: string): string {
  const total = totalOf(tally);
  if (total === 0) return '';
  let out = `${title} ${total}:\n`;
  for (const [reason, n] of Object.entries(tally.counts).sort((a, b) => b[1] - a[1])) {
    out += `  ${reason.padEnd(24)} ${n}\n`;
    for (const e of tally.examples.filter((x) => x.reason === reason)) out += `      ${formatIssue(file, e)}\n`;
  }
  return out;
}

function summary(result: ImportResult, file: string, out: string): string {
  return (
    `read ${result.records} ${result.format} record${result.records === 1 ? '' : 's'} from ${file}; wrote ${result.samples.length} sample${result.samples.length === 1 ? '' : 's'} to ${out}\n` +
    tallyLines('skipped', result.skipped, file) +
    tallyLines('notes (samples kept)', result.notes, file)
  );
}

function report(result: ImportResult, out: string): Record<string, unknown> {
  return { format: result.format, records: result.records, samples: result.samples.length, out, skipped: result.skipped, notes: result.notes };
}
