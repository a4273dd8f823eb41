/** A round's composed dataset, read for a trainer: every line a looptool `Sample`, a bad one named by file and line. */
import { readRecords, validateRecord } from '../core/records.ts';
import { SampleSchema, type Sample } from '../core/types.ts';

export async function readRoundSamples(datasetPath: string): Promise<Sample[]> {
  return (await readRecords(datasetPath)).map((r) => validateRecord(SampleSchema, r, datasetPath));
}
