/**
 * Reading BFCL predictions: either a folder in the official result layout (one
 * `BFCL_v3_<category>_result.json` per category, one `{"id", "result", ...}` per line)
 * or a single JSONL file of `{id, result}` lines for any mix of categories. Unknown ids,
 * repeated ids, lines that are not JSON objects and entries filed under the wrong
 * category are errors naming the file and line.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, parseRecordsText, type RecordAt } from '../../core/records.ts';
import { isPlainObject } from '../../core/value.ts';
import { VERSION_PREFIX } from './categories.ts';
import type { BfclData } from './data.ts';
import type { BfclPrediction } from './score.ts';

const RESULT_FILE = new RegExp(`^${VERSION_PREFIX}_(\\w+?)(?:_result)?\\.json$`);

/** The category a result file holds, from its name, or undefined for other files. */
export function resultFileCategory(fileName: string): string | undefined {
  return RESULT_FILE.exec(fileName)?.[1];
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(path, undefined, undefined, (e as Error).message);
  }
}

function predictionOf(record: RecordAt, file: string, data: BfclData, seen: Map<string, string>, fileCategory?: string): BfclPrediction {
  const value = record.value;
  if (!isPlainObject(value)) throw new InputError(file, record.line, undefined, 'expected an object {"id": ..., "result": ...}');
  const id = value['id'];
  if (typeof id !== 'string') throw new InputError(file, record.line, 'id', 'expected the entry id as a string');
  if (!Object.prototype.hasOwnProperty.call(value, 'result')) throw new InputError(file, record.line, 'result', 'missing (the model output of this entry)');
  const entry = data.entries.get(id);
  if (entry === undefined) throw new InputError(file, record.line, 'id', `unknown id ${JSON.stringify(id)} (not in the data at ${data.dir})`);
  if (fileCategory !== undefined && entry.category !== fileCategory) {
    throw new InputError(file, record.line, 'id', `${id} belongs to ${entry.category}, not to this file's category ${fileCategory}`);
  }
  const earlier = seen.get(id);
  if (earlier !== undefined) throw new InputError(file, record.line, 'id', `${id} is predicted twice (first at ${earlier})`);
  seen.set(id, `${file}:${record.line}`);
  return { id, result: value['result']! };
}

/** Subfolders holding result files: the official layout keeps one folder per model. */
async function subfoldersWithResults(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const names = await readdir(join(dir, entry.name)).catch(() => [] as string[]);
    if (names.some((name) => resultFileCategory(name) !== undefined)) out.push(entry.name);
  }
  return out.sort();
}

/** Reads predictions from a result folder or one JSONL file, checked against the data's ids. */
export async function readBfclPredictions(path: string, data: BfclData): Promise<BfclPrediction[]> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new InputError(path, undefined, undefined, 'no such file or folder');
  const seen = new Map<string, string>();
  const out: BfclPrediction[] = [];
  if (!info.isDirectory()) {
    for (const record of parseRecordsText(await readText(path), path)) out.push(predictionOf(record, path, data, seen));
    return out;
  }
  const files = (await readdir(path)).filter((name) => resultFileCategory(name) !== undefined).sort();
  if (files.length === 0) {
    const holders = await subfoldersWithResults(path);
    const hint = holders.length > 0 ? `; the subfolders ${holders.join(', ')} have some: pass one of them` : ' (pass the folder that holds them, or one JSONL file)';
    throw new InputError(path, undefined, undefined, `no ${VERSION_PREFIX}_<category>_result.json files here${hint}`);
  }
  for (const name of files) {
    const file = join(path, name);
    const category = resultFileCategory(name)!;
    if (!data.byCategory.has(category)) {
      throw new InputError(file, undefined, undefined, `unknown category ${category} (known: ${data.categories.join(', ')})`);
    }
    for (const record of parseRecordsText(await readText(file), file)) out.push(predictionOf(record, file, data, seen, category));
  }
  return out;
}

