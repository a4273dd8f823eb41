/** A round's composed dataset, read for a trainer: every line a looptool `Sample`, a bad one named by file and line. */
import { InputError, readRecords, validateRecord } from '../core/records.ts';
import { SampleSchema, type Sample } from '../core/types.ts';

export async function readRoundSamples(datasetPath: string): Promise<Sample[]> {
  return (await readRecords(datasetPath)).map((r) => validateRecord(SampleSchema, r, datasetPath));
}

/** The samples an external trainer exports; an empty round is refused at prepare, before its scripts would start a cluster on nothing. */
export async function readSamplesToExport(datasetPath: string): Promise<Sample[]> {
  const samples = await readRoundSamples(datasetPath);
  if (samples.length === 0) throw new InputError(datasetPath, undefined, undefined, 'holds no samples to train on');
  return samples;
}
