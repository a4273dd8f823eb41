/**
 * Reading record files (JSONL, or a JSON array) with errors that name the file, the
 * line and the field, and writing them atomically.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { z } from 'zod';
import { JsonSyntaxError, parseJson, stringifyJson } from './json.ts';
import type { Value } from './value.ts';

/** Bad input from outside: names where it is, so the user can go and fix it. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly field: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'InputError';
  }
}

export interface RecordAt {
  /** 1-based line where the record starts. */
  line: number;
  value: Value;
}

/** Splits JSONL text into records; blank lines are skipped, a malformed line throws `InputError` naming it. */
export function parseJsonl(text: string, file: string): RecordAt[] {
  const out: RecordAt[] = [];
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    if (raw.trim() !== '') {
      try {
        out.push({ line, value: parseJson(raw) });
      } catch (e) {
        throw new InputError(file, line, undefined, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    start = end + 1;
    line++;
  }
  return out;
}

/**
 * Reads records from a file that is either JSONL or one JSON array (as `json.dump` of a
 * list writes it). `-` reads standard input.
 */
export async function readRecords(path: string): Promise<RecordAt[]> {
  const text = path === '-' ? await readStdin() : await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(path, undefined, undefined, e.code === 'ENOENT' ? 'no such file' : e.message);
  });
  return parseRecordsText(text, path === '-' ? '<stdin>' : path);
}

export function parseRecordsText(text: string, file: string): RecordAt[] {
  const first = text.search(/\S/);
  if (first !== -1 && text[first] === '[') {
    let value: Value;
    try {
      value = parseJson(text);
    } catch (e) {
      // A JSONL file whose first record is an array is also legal: fall back to lines.
      if (text.slice(first).split('\n', 1)[0]!.trim().endsWith(']')) return parseJsonl(text, file);
      const at = e instanceof JsonSyntaxError ? e.position : 0;
      throw new InputError(file, lineOfPosition(text, at), undefined, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (Array.isArray(value)) {
      const starts = arrayItemLines(text);
      return value.map((v, i) => ({ line: starts[i] ?? 1, value: v }));
    }
  }
  return parseJsonl(text, file);
}

/** Validates one record against a zod schema; a failure names file, line and the field's path. */
export function validateRecord<T>(schema: z.ZodType<T>, record: RecordAt, file: string): T {
  const result = schema.safeParse(record.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length === 0 ? undefined : formatPath(issue.path);
  throw new InputError(file, record.line, field, issue.message);
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Writes JSONL through a temporary file and a rename, so a reader never sees half a file. */
export async function writeJsonlAtomic(path: string, records: Iterable<Value>): Promise<void> {
  const lines: string[] = [];
  for (const r of records) lines.push(stringifyJson(r));
  await writeFileAtomic(path, lines.length === 0 ? '' : lines.join('\n') + '\n');
}

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data, 'utf8');
  await rename(tmp, path);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The 1-based line of the character at `position` in `text`. */
export function lineOfPosition(text: string, position: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Line numbers where each top-level item of a JSON array starts, found by a light scan. */
function arrayItemLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let inString = false;
  let line = 1;
  let expectItem = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (expectItem && depth === 1 && c !== ']') {
      lines.push(line);
      expectItem = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectItem = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectItem = true;
  }
  return lines;
}
