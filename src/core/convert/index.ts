/** The converters by format name: reading records into samples and writing samples as records. */
import { basename } from 'node:path';
import { InputError, validateRecord, type RecordAt } from '../records.ts';
import { SampleSchema, type Sample } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { bfclToSample, sampleToBfcl } from './bfcl.ts';
import { FormatError, loopToolToSample, sampleToLoopTool } from './looptool.ts';
import { openAiToSamples, sampleToOpenAi } from './openai.ts';
import { sampleToShareGpt, shareGptToSamples } from './sharegpt.ts';

export const FORMATS = ['samples', 'looptool', 'sharegpt', 'openai', 'bfcl'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReadOptions {
  /** sharegpt: user messages of history to keep. */
  maxTurns?: number;
  /** sharegpt: also turn assistant text replies into samples. */
  textTurns?: boolean;
  /** openai: one sample per assistant turn instead of the last one only. */
  everyTurn?: boolean;
  /** bfcl: possible answers by entry id. */
  bfclAnswers?: Map<string, ValueObject>;
}

export interface WriteOptions {
  /** looptool: the system instruction text. */
  instruction?: string;
  /** looptool: the date written into the instruction, when a sample carries none. */
  date?: string;
}

export interface ReadResult {
  samples: Sample[];
  skipped: Record<string, number>;
}

function record(r: RecordAt, file: string): ValueObject {
  if (!isPlainObject(r.value)) throw new InputError(file, r.line, undefined, 'expected a JSON object');
  return r.value;
}

function withPlace<T>(file: string, line: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FormatError) throw new InputError(file, line, e.field, e.message);
    throw e;
  }
}

/** Reads records of a format into samples; errors name file, line and field. */
export function readSamplesAs(format: Format, records: readonly RecordAt[], file: string, options: ReadOptions = {}): ReadResult {
  const samples: Sample[] = [];
  const skipped: Record<string, number> = {};
  const stem = basename(file).replace(/\.[^.]*$/, '');
  for (const r of records) {
    const origin = `${file}:${r.line}`;
    switch (format) {
      case 'samples':
        samples.push(validateRecord(SampleSchema, r, file));
        break;
      case 'looptool': {
        const v = record(r, file);
        for (const key of ['instruction', 'input', 'output'] as const) {
          if (typeof v[key] !== 'string') throw new InputError(file, r.line, key, 'must be a string');
        }
        samples.push(withPlace(file, r.line, () => loopToolToSample(v as unknown as { instruction: string; input: string; output: string }, `${stem}-${r.line}`, origin)));
        break;
      }
      case 'sharegpt': {
        const v = record(r, file);
        const prefix = typeof v['id'] === 'string' || typeof v['id'] === 'number' ? String(v['id']) : `${stem}-${r.line}`;
        const result = withPlace(file, r.line, () => shareGptToSamples(v, prefix, { maxTurns: options.maxTurns ?? 5, textTurns: options.textTurns ?? false }, origin));
        samples.push(...result.samples);
        for (const [reason, n] of Object.entries(result.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
        break;
      }
      case 'openai': {
        const v = record(r, file);
        const prefix = typeof v['id'] === 'string' ? v['id'] : `${stem}-${r.line}`;
        const found = withPlace(file, r.line, () => openAiToSamples(v, prefix, { everyTurn: options.everyTurn ?? false }, origin));
        if (found.length === 0) skipped['no_assistant_turn'] = (skipped['no_assistant_turn'] ?? 0) + 1;
        samples.push(...found);
        break;
      }
      case 'bfcl': {
        const v = record(r, file);
        if (!Array.isArray(v['function'])) {
          skipped['multi_turn_entry'] = (skipped['multi_turn_entry'] ?? 0) + 1;
          break;
        }
        const id = typeof v['id'] === 'string' ? v['id'] : '';
        samples.push(withPlace(file, r.line, () => bfclToSample(v, options.bfclAnswers?.get(id), origin)));
        break;
      }
    }
  }
  return { samples, skipped };
}

/** Writes samples as records of a format. */
export function writeSamplesAs(format: Format, samples: readonly Sample[], options: WriteOptions = {}): Value[] {
  switch (format) {
    case 'samples':
      return samples as unknown as Value[];
    case 'looptool':
      return samples.map((s) => sampleToLoopTool(s, options) as unknown as ValueObject);
    case 'sharegpt':
      return samples.map(sampleToShareGpt);
    case 'openai':
      return samples.map(sampleToOpenAi);
    case 'bfcl':
      return samples.map(sampleToBfcl);
  }
}
