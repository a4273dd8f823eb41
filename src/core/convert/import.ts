/**
 * Importing public tool-calling data as looptool samples: LoopTool-23k records
 * (`{instruction, input, output}`), ToolACE, xLAM / APIGen and ShareGPT-style
 * conversations, one sample per assistant turn (through the existing LoopTool and
 * ShareGPT converters).
 *
 * An import never stops at a bad record: each one that cannot be read is skipped and
 * counted by reason, with the first few examples by line. LoopTool records are checked
 * to come back byte for byte when exported again; those that would not are kept and
 * noted, with the field that would change.
 */
import { basename } from 'node:path';
import type { RecordAt } from '../records.ts';
import type { Sample, Tool } from '../types.ts';
import { isPlainObject, type ValueObject } from '../value.ts';
import { addIssue, emptyTally, RecordSkip, type IssueTally } from './import-report.ts';
import { FormatError, loopToolToSample, sampleToLoopTool, type LoopToolRecord } from './looptool.ts';
import { readRecordsLeniently } from './read-leniently.ts';
import { shareGptToSamples, type SkipReason } from './sharegpt.ts';
import { normalizeShareGpt } from './sharegpt-roles.ts';
import { toolAceToShareGpt, type CallListParser } from './toolace.ts';
import { xlamToShareGpt } from './xlam.ts';

export const IMPORT_FORMATS = ['looptool', 'toolace', 'xlam', 'sharegpt'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  /** toolace: reads an assistant turn's Python call list (`src/toolcall`'s parser, adapted). Required for toolace. */
  parseCalls?: CallListParser;
  /** Offered in conversations that list no tools of their own (sharegpt, toolace). */
  tools?: readonly Tool[];
  /** User messages of history to keep before each assistant turn (default 5, as the LoopTool release). */
  maxTurns?: number;
  /** Only assistant turns that call tools become samples, as in the LoopTool release (default: every assistant turn). */
  callsOnly?: boolean;
}

export interface ImportResult {
  format: ImportFormat;
  /** Records in the file, readable or not. */
  records: number;
  samples: Sample[];
  /** Records, or assistant turns within them, that made no sample, by reason. */
  skipped: IssueTally;
  /** Samples kept with something to know (for LoopTool records: would not export byte-identical). */
  notes: IssueTally;
}

/** Reads a file's text (JSONL, or one JSON array) and imports its records. Throws `InputError` only when the text is neither. */
export function importText(format: ImportFormat, text: string, file: string, options: ImportOptions = {}): ImportResult {
  const { records, unreadable } = readRecordsLeniently(text, file);
  const result = importRecords(format, records, file, options);
  for (const issue of unreadable) addIssue(result.skipped, issue);
  result.records += unreadable.length;
  return result;
}

const TURN_SKIP_MESSAGES: Record<SkipReason, string> = {
  tool_error_followed: 'an assistant call turn followed by a tool error is left out (as the LoopTool release does)',
  not_a_call_list: 'an assistant turn that starts like a call list but is not a list of calls',
  too_short: 'a conversation of fewer than two turns',
};

/** Imports parsed records; never throws on a bad record. */
export function importRecords(format: ImportFormat, records: readonly RecordAt[], file: string, options: ImportOptions = {}): ImportResult {
  if (format === 'toolace' && options.parseCalls === undefined) throw new Error('importing toolace needs options.parseCalls (a Python call-list parser)');
  const stem = basename(file).replace(/\.[^.]*$/, '');
  const result: ImportResult = { format, records: records.length, samples: [], skipped: emptyTally(), notes: emptyTally() };
  const textTurns = options.callsOnly !== true;
  const maxTurns = options.maxTurns ?? 5;

  const fromShareGpt = (conversation: ValueObject, prefix: string, line: number, origin: string, withText: boolean): void => {
    const { samples, skipped } = shareGptToSamples(conversation, prefix, { maxTurns, textTurns: withText }, origin);
    result.samples.push(...samples);
    let turnsSkipped = 0;
    for (const [reason, n] of Object.entries(skipped) as [SkipReason, number][]) {
      addIssue(result.skipped, { line, reason, message: TURN_SKIP_MESSAGES[reason] }, n);
      turnsSkipped += n;
    }
    const assistantTurns = (conversation['conversations'] as unknown[]).filter((t) => isPlainObject(t) && t['from'] === 'assistant').length;
    const unused = assistantTurns - samples.length - turnsSkipped;
    if (unused > 0 && !skipped.too_short) {
      const message = withText ? 'an assistant turn with no conversation before it, or a call list without calls' : 'an assistant text reply (only call turns become samples with --calls-only)';
      addIssue(result.skipped, { line, reason: withText ? 'assistant_turn_unused' : 'text_reply_left_out', message }, unused);
    }
  };

  for (const r of records) {
    const origin = `${file}:${r.line}`;
    const note = (reason: string, field: string, message: string): void => addIssue(result.notes, { line: r.line, reason, field, message });
    try {
      if (!isPlainObject(r.value)) throw new RecordSkip('not_an_object', undefined, 'expected a JSON object');
      const v = r.value;
      const id = typeof v['id'] === 'string' || typeof v['id'] === 'number' ? String(v['id']) : undefined;
      switch (format) {
        case 'looptool':
          result.samples.push(importLoopToolRecord(v, `${stem}-${r.line}`, origin, r.line, result.notes));
          break;
        case 'toolace':
          fromShareGpt(toolAceToShareGpt(v, options.parseCalls!, options.tools, note), `${stem}-${id ?? r.line}`, r.line, origin, textTurns);
          break;
        case 'xlam': {
          const { conversation, textLabel } = xlamToShareGpt(v, note);
          fromShareGpt(conversation, `${stem}-${id ?? r.line}`, r.line, origin, textTurns || textLabel);
          break;
        }
        case 'sharegpt':
          fromShareGpt(normalizeShareGpt(v, options.tools, note), id ?? `${stem}-${r.line}`, r.line, origin, textTurns);
          break;
      }
    } catch (e) {
      if (e instanceof RecordSkip) addIssue(result.skipped, e.field === undefined ? { line: r.line, reason: e.reason, message: e.message } : { line: r.line, reason: e.reason, field: e.field, message: e.message });
      else if (e instanceof FormatError) addIssue(result.skipped, { line: r.line, reason: 'bad_field', field: e.field, message: e.message });
      else throw e;
    }
  }
  return result;
}

const LOOPTOOL_FIELDS = ['instruction', 'input', 'output'] as const;

function importLoopToolRecord(v: ValueObject, id: string, origin: string, line: number, notes: IssueTally): Sample {
  for (const key of LOOPTOOL_FIELDS) {
    if (typeof v[key] !== 'string') throw new RecordSkip('missing_field', key, v[key] === undefined ? 'is missing' : 'must be a string');
  }
  const record = v as unknown as LoopToolRecord;
  const sample = loopToolToSample(record, id, origin);
  const back = sampleToLoopTool(sample);
  const changed = LOOPTOOL_FIELDS.find((key) => back[key] !== record[key]);
  if (changed !== undefined) {
    const at = firstDifference(back[changed], record[changed]);
    addIssue(notes, { line, reason: 'changes_on_export', field: changed, message: `exported again, ${changed} would differ from character ${at} on (${JSON.stringify(record[changed].slice(at, at + 30))} becomes ${JSON.stringify(back[changed].slice(at, at + 30))})` });
  }
  const extra = Object.keys(v).filter((k) => !(LOOPTOOL_FIELDS as readonly string[]).includes(k));
  if (extra.length > 0) addIssue(notes, { line, reason: 'extra_keys_dropped', message: `keys other than instruction, input and output are not kept: ${extra.join(', ')}` });
  return sample;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
