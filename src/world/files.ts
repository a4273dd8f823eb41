/**
 * A world directory on disk: the three splits as looptool samples and as LoopTool
 * `{instruction, input, output}` records, the noise truth, the tool catalog and a
 * manifest. Every file is written whole through a rename.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleToLoopTool } from '../core/convert/looptool.ts';
import { InputError, readRecords, validateRecord, writeFileAtomic, writeJsonlAtomic } from '../core/records.ts';
import { LabelSchema, SampleSchema, type Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { z } from 'zod';
import { DOMAINS, toolSpec } from './catalog.ts';
import type { GenerateOptions, WorldData } from './generate.ts';
import { NOISE_KINDS, type NoiseRecord } from './noise.ts';
import type { Split } from './types.ts';

export const SPLITS: readonly Split[] = ['base', 'seed', 'test'];

export interface WorldManifest {
  seed: number;
  noiseRate: number;
  tools: { min: number; max: number };
  counts: Record<Split, number>;
  noisyLabels: number;
  files: Record<string, string>;
}

const asValue = (x: unknown): Value => x as Value;

export async function writeWorld(dir: string, data: WorldData, options: GenerateOptions): Promise<WorldManifest> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const split of SPLITS) {
    const samples = data[split];
    await writeJsonlAtomic(join(dir, `${split}.jsonl`), samples.map(asValue));
    await writeJsonlAtomic(join(dir, `${split}.looptool.jsonl`), samples.map((s) => asValue(sampleToLoopTool(s))));
    files[split] = `${split}.jsonl`;
    files[`${split}.looptool`] = `${split}.looptool.jsonl`;
  }
  await writeJsonlAtomic(join(dir, 'noise.jsonl'), data.noise.map(asValue));
  files['noise'] = 'noise.jsonl';
  const catalog = DOMAINS.flatMap((d) => d.tools.map((t) => ({ domain: d.name, ...toolSpec(t) })));
  await writeFileAtomic(join(dir, 'tools.json'), JSON.stringify(catalog, null, 2) + '\n');
  files['tools'] = 'tools.json';
  const manifest: WorldManifest = {
    seed: options.seed,
    noiseRate: options.noise ?? 0.15,
    tools: options.tools ?? { min: 2, max: 8 },
    counts: { base: data.base.length, seed: data.seed.length, test: data.test.length },
    noisyLabels: data.noise.length,
    files,
  };
  await writeFileAtomic(join(dir, 'world.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The manifest `writeWorld` left in `dir`, or undefined when there is none (a directory of samples from elsewhere). */
export function readWorldManifest(dir: string): WorldManifest | undefined {
  const path = join(dir, 'world.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as WorldManifest) : undefined;
}

export async function readSplit(dir: string, split: Split): Promise<Sample[]> {
  const path = join(dir, `${split}.jsonl`);
  return (await readRecords(path)).map((r) => validateRecord(SampleSchema, r, path));
}

const NoiseRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(NOISE_KINDS),
  clean: LabelSchema,
  noisy: LabelSchema,
  detail: z.string(),
});

export async function readNoise(dir: string): Promise<NoiseRecord[]> {
  const path = join(dir, 'noise.jsonl');
  return (await readRecords(path)).map((r) => validateRecord(NoiseRecordSchema, r, path));
}

/** A verdict line from any stage: `{id, verdict}` with the verdict as a word or as `{verdict: word}`. */
export async function readVerdicts(path: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const r of await readRecords(path)) {
    const v = r.value as Record<string, unknown>;
    const id = v?.['id'];
    const raw = v?.['verdict'];
    const verdict = typeof raw === 'string' ? raw : typeof (raw as Record<string, unknown>)?.['verdict'] === 'string' ? ((raw as Record<string, unknown>)['verdict'] as string) : undefined;
    if (typeof id !== 'string') throw new InputError(path, r.line, 'id', 'expected the sample id as a string');
    if (verdict === undefined) throw new InputError(path, r.line, 'verdict', 'expected a verdict word or an object with one');
    out.set(id, verdict);
  }
  return out;
}
