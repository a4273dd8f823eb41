/**
 * Writes a round's samples as verl's RLHF dataset: `train.parquet` and
 * `validation.parquet` (the files `data.train_files` and `data.val_files` point at).
 *
 * The nested columns are real Parquet nested types, declared by an explicit schema
 * (hyparquet-writer's type guessing would not make structs), so pyarrow reads them as
 * `list<element: struct<role: string, content: string>>` and `struct<…>`, and
 * 🤗 datasets as `List({role, content})` and dicts — exactly what verl's own
 * preprocessing (`datasets.Dataset.to_parquet`) produces.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Sample } from '../../core/types.ts';
import { sampleToVerlRow, VERL_DATA_SOURCE, type VerlRow, type VerlSplit } from './rows.ts';
import { splitTrainValidation } from './split.ts';

type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const string = (name: string, repetition: 'REQUIRED' | 'OPTIONAL' = 'REQUIRED'): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: repetition });

/** The file schema, depth-first as Parquet lists it; a group's `num_children` counts its direct children. */
export const VERL_PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'schema', num_children: 5 },
  string('data_source'),
  // The standard three-level LIST: prompt (LIST) → list (repeated) → element (struct).
  { name: 'prompt', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
  string('role'),
  string('content'),
  string('ability'),
  { name: 'reward_model', repetition_type: 'REQUIRED', num_children: 2 },
  string('style'),
  string('ground_truth'),
  { name: 'extra_info', repetition_type: 'REQUIRED', num_children: 4 },
  { name: 'index', type: 'INT64', repetition_type: 'REQUIRED' },
  string('id'),
  string('kind', 'OPTIONAL'),
  string('split'),
];

/** Rows as one Parquet file's bytes. */
export function verlRowsToParquet(rows: readonly VerlRow[]): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: 'data_source', data: rows.map((r) => r.data_source) },
      { name: 'prompt', data: rows.map((r) => r.prompt) },
      { name: 'ability', data: rows.map((r) => r.ability) },
      { name: 'reward_model', data: rows.map((r) => r.reward_model) },
      // INT64 columns take bigints.
      { name: 'extra_info', data: rows.map((r) => ({ ...r.extra_info, index: BigInt(r.extra_info.index) })) },
    ],
    schema: VERL_PARQUET_SCHEMA,
  });
}

export interface VerlExportOptions {
  /** Share of samples held out for validation (default 0.05), chosen by a seeded shuffle. */
  validationShare?: number;
  /** Seed of the split (default 0): the same seed and samples give the same files. */
  seed?: number;
  /** `data_source` of every row (default "looptool"); verl routes rewards by it. */
  dataSource?: string;
}

export interface VerlExport {
  trainFile: string;
  validationFile: string;
  trainRows: number;
  validationRows: number;
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
function writeAtomically(file: string, bytes: ArrayBuffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, new Uint8Array(bytes));
  renameSync(temp, file);
}

export function verlRowsOfSplit(samples: readonly Sample[], split: VerlSplit, dataSource: string): VerlRow[] {
  return samples.map((s, i) => sampleToVerlRow(s, i, split, dataSource));
}

/** Writes `train.parquet` and `validation.parquet` for `samples` into `dir` (created if missing). */
export function exportVerlParquet(samples: readonly Sample[], dir: string, options: VerlExportOptions = {}): VerlExport {
  const dataSource = options.dataSource ?? VERL_DATA_SOURCE;
  const parts = splitTrainValidation(samples, options.validationShare ?? 0.05, options.seed ?? 0);
  mkdirSync(dir, { recursive: true });
  const trainFile = join(dir, 'train.parquet');
  const validationFile = join(dir, 'validation.parquet');
  writeAtomically(trainFile, verlRowsToParquet(verlRowsOfSplit(parts.train, 'train', dataSource)));
  writeAtomically(validationFile, verlRowsToParquet(verlRowsOfSplit(parts.validation, 'validation', dataSource)));
  return { trainFile, validationFile, trainRows: parts.train.length, validationRows: parts.validation.length };
}
