/**
 * Reading a data file record by record without giving up at the first bad line: a
 * JSONL line that is not JSON becomes a skipped record (with its line), the others are
 * read. One JSON array (or one pretty-printed object) is read whole, as
 * `parseRecordsText` does; an array that does not parse is a broken file, not a bad
 * record, and throws `InputError` with its line.
 */
import { tryParseJson } from '../json.ts';
import { InputError, parseRecordsText, type RecordAt } from '../records.ts';
import type { ImportIssue } from './import-report.ts';

export function readRecordsLeniently(text: string, file: string): { records: RecordAt[]; unreadable: ImportIssue[] } {
  const first = text.search(/\S/);
  if (first !== -1 && text[first] === '[') {
    const firstLine = text.slice(first).split('\n', 1)[0]!.trim();
    const wholeFileArray = !(firstLine.endsWith(']') && tryParseJson(firstLine).ok);
    if (wholeFileArray) return { records: parseRecordsText(text, file), unreadable: [] };
  }
  if (first !== -1 && text[first] === '{' && countLines(text) > 1) {
    // One pretty-printed record rather than JSONL.
    const whole = tryParseJson(text);
    if (whole.ok) return { records: [{ line: text.slice(0, first).split('\n').length, value: whole.value }], unreadable: [] };
  }
  const records: RecordAt[] = [];
  const unreadable: ImportIssue[] = [];
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    const parsed = tryParseJson(raw);
    if (parsed.ok) records.push({ line, value: parsed.value });
    else unreadable.push({ line, reason: 'invalid_json', message: `not valid JSON: ${parsed.error}` });
  }
  if (records.length === 0 && unreadable.length > 0 && unreadable.length === countLines(text)) {
    throw new InputError(file, unreadable[0]!.line, undefined, `neither JSONL nor a JSON array: ${unreadable[0]!.message}`);
  }
  return { records, unreadable };
}

function countLines(text: string): number {
  return text.split('\n').filter((l) => l.trim() !== '').length;
}
