/**
 * Loading the BFCL v3 data folder: `BFCL_v3_<category>.json` questions and
 * `possible_answer/BFCL_v3_<category>.json` answers. Both are JSON Lines despite the
 * name; line i of a question file and of its answer file carry the same id. Every
 * problem is reported with file, line and field.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, parseJsonl, validateRecord } from '../../core/records.ts';
import { ValueSchema } from '../../core/types.ts';
import type { Value } from '../../core/value.ts';
import type { BfclExpectedCall, BfclFunctionDoc } from '../../check/bfcl/docs.ts';
import { isMultiTurnCategory, isRelevanceCategory } from '../../check/bfcl/entry.ts';
import { BFCL_V3_CATEGORIES, VERSION_PREFIX, categoryOfId } from './categories.ts';

export interface BfclEntry {
  id: string;
  category: string;
  /** The function docs offered (empty for multi-turn entries, whose docs come per class). */
  docs: BfclFunctionDoc[];
  /** Expected calls of a single-turn AST entry; undefined for relevance and multi-turn entries. */
  answers?: BfclExpectedCall[];
  /** The question turns as stored. */
  question: Value;
}

export interface BfclData {
  dir: string;
  /** Categories loaded, in leaderboard order. */
  categories: string[];
  entries: Map<string, BfclEntry>;
  byCategory: Map<string, BfclEntry[]>;
}

const ParamDocSchema = z.object({
  type: z.string(),
  items: z.object({ type: z.string() }).optional(),
});

const FunctionDocSchema = z.object({
  name: z.string(),
  parameters: z.object({
    properties: z.record(z.string(), ParamDocSchema),
    required: z.array(z.string()),
  }),
});

const QuestionSchema = z.object({
  id: z.string(),
  question: ValueSchema,
  function: z.array(FunctionDocSchema).optional(),
});

const AnswerSchema = z.object({
  id: z.string(),
  ground_truth: z.array(z.record(z.string(), z.record(z.string(), z.array(ValueSchema)))),
});

/** The path of a category's question file (or answer file) in a data folder. */
export function bfclDataFile(dir: string, category: string, answers = false): string {
  const name = `${VERSION_PREFIX}_${category}.json`;
  return answers ? join(dir, 'possible_answer', name) : join(dir, name);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(path, undefined, undefined, err.code === 'ENOENT' ? 'no such file (is this a BFCL v3 data folder?)' : err.message);
  }
}

function expectedCalls(groundTruth: Record<string, Record<string, Value[]>>[], file: string, line: number): BfclExpectedCall[] {
  return groundTruth.map((call, i) => {
    const name = Object.keys(call)[0];
    if (name === undefined) throw new InputError(file, line, `ground_truth[${i}]`, 'an expected call needs a function name');
    return { name, params: call[name]! };
  });
}

async function loadCategory(dir: string, category: string): Promise<BfclEntry[]> {
  const questionFile = bfclDataFile(dir, category);
  const questions = parseJsonl(await readText(questionFile), questionFile);
  const multiTurn = isMultiTurnCategory(category);
  const entries: BfclEntry[] = questions.map((record) => {
    const q = validateRecord(QuestionSchema, record, questionFile);
    if (categoryOfId(q.id) !== category) throw new InputError(questionFile, record.line, 'id', `${q.id} does not belong to category ${category}`);
    if (!multiTurn && q.function === undefined) throw new InputError(questionFile, record.line, 'function', 'a single-turn entry needs its function docs');
    return { id: q.id, category, docs: (q.function ?? []) as BfclFunctionDoc[], question: q.question as Value };
  });
  if (multiTurn || isRelevanceCategory(category)) return entries;
  const answerFile = bfclDataFile(dir, category, true);
  const answers = parseJsonl(await readText(answerFile), answerFile);
  if (answers.length !== entries.length) {
    throw new InputError(answerFile, undefined, undefined, `${answers.length} possible answers for ${entries.length} questions in ${questionFile}`);
  }
  answers.forEach((record, i) => {
    const a = validateRecord(AnswerSchema, record, answerFile);
    const entry = entries[i]!;
    if (a.id !== entry.id) throw new InputError(answerFile, record.line, 'id', `${a.id} where ${entry.id} (line ${i + 1} of the questions) was expected`);
    entry.answers = expectedCalls(a.ground_truth as Record<string, Record<string, Value[]>>[], answerFile, record.line);
  });
  return entries;
}

/**
 * Loads the given categories (default: all of v3) from a BFCL data folder. Ids must be
 * unique and begin with their file's category.
 */
export async function loadBfclData(dir: string, categories: readonly string[] = BFCL_V3_CATEGORIES): Promise<BfclData> {
  if (!existsSync(dir)) throw new InputError(dir, undefined, undefined, 'no such data folder');
  const loaded = await Promise.all(categories.map((c) => loadCategory(dir, c)));
  const entries = new Map<string, BfclEntry>();
  const byCategory = new Map<string, BfclEntry[]>();
  categories.forEach((category, i) => {
    const list = loaded[i]!;
    byCategory.set(category, list);
    for (const entry of list) {
      if (entries.has(entry.id)) throw new InputError(bfclDataFile(dir, category), undefined, 'id', `duplicate id ${entry.id}`);
      entries.set(entry.id, entry);
    }
  });
  return { dir, categories: [...categories], entries, byCategory };
}
