/**
 * The run directory (DESIGN.md): `manifest.json` with the config, each round's stage
 * states, model refs and figures; `round-N/<stage>.jsonl` streams; whole files written
 * through a temporary file, an fsync and a rename, so a reader — or a resumed run —
 * never sees half of one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError, formatPath } from '../core/records.ts';
import { stringifyJson } from '../core/json.ts';
import { ValueSchema } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import { JsonlStream, type OpenedStream, type StreamRecord } from './jsonl-stream.ts';

const StageStateSchema = z.object({
  state: z.enum(['pending', 'running', 'done', 'failed']),
  records: z.number().int().nonnegative().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  figures: z.record(z.string(), ValueSchema).optional(),
});
export type StageState = z.infer<typeof StageStateSchema>;

const RoundSchema = z.object({
  round: z.number().int().nonnegative(),
  stages: z.record(z.string(), StageStateSchema),
  /** The model this round probes with, and the one its training produced. */
  model: ValueSchema.optional(),
  trained: ValueSchema.optional(),
  figures: z.record(z.string(), ValueSchema).optional(),
});
export type RoundState = z.infer<typeof RoundSchema>;

export const RunManifestSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  createdAt: z.string(),
  config: ValueSchema,
  rounds: z.array(RoundSchema),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/** Writes a whole file durably: temp file, fsync, rename, fsync of the directory. */
export function writeFileDurable(path: string, data: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const bytes = Buffer.from(data, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, null);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export class RunStore {
  private current: RunManifest;
  private readonly streams = new Map<string, JsonlStream>();

  private constructor(
    readonly dir: string,
    manifest: RunManifest,
  ) {
    this.current = manifest;
  }

  /** Opens a run directory, creating it with `config` when it has no manifest yet. */
  static open(dir: string, init: { name?: string; config: Value }): RunStore {
    const path = join(dir, 'manifest.json');
    if (existsSync(path)) return new RunStore(dir, readManifest(path));
    const manifest: RunManifest = { version: 1, name: init.name ?? dir.split('/').filter(Boolean).pop() ?? 'run', createdAt: new Date().toISOString(), config: init.config, rounds: [] };
    writeFileDurable(path, JSON.stringify(manifest, null, 2) + '\n');
    return new RunStore(dir, manifest);
  }

  get manifest(): Readonly<RunManifest> {
    return this.current;
  }

  roundDir(round: number): string {
    return join(this.dir, `round-${round}`);
  }

  round(round: number): RoundState {
    let r = this.current.rounds.find((x) => x.round === round);
    if (!r) {
      r = { round, stages: {} };
      this.current.rounds.push(r);
      this.current.rounds.sort((a, b) => a.round - b.round);
    }
    return r;
  }

  stageState(round: number, stage: string): StageState {
    return this.round(round).stages[stage] ?? { state: 'pending' };
  }

  /** Changes a stage's state (and anything else in the manifest) and writes the manifest durably. */
  update(round: number, stage: string, patch: Partial<StageState>): void {
    const r = this.round(round);
    r.stages[stage] = { ...(r.stages[stage] ?? { state: 'pending' }), ...patch };
    this.save();
  }

  updateRound(round: number, patch: Partial<Omit<RoundState, 'round' | 'stages'>>): void {
    Object.assign(this.round(round), patch);
    this.save();
  }

  save(): void {
    writeFileDurable(join(this.dir, 'manifest.json'), JSON.stringify(this.current, null, 2) + '\n');
  }

  /** The stage's stream, opened once; a torn tail from a crash is repaired on opening. */
  openStream(round: number, stage: string): OpenedStream {
    const key = `${round}/${stage}`;
    const existing = this.streams.get(key);
    if (existing) existing.close();
    const opened = JsonlStream.open(join(this.roundDir(round), `${stage}.jsonl`));
    this.streams.set(key, opened.stream);
    return opened;
  }

  /** Writes one of the round's whole files (a composed dataset, say) durably. */
  writeRecords(round: number, name: string, records: readonly StreamRecord[] | readonly Value[]): string {
    const path = join(this.roundDir(round), `${name}.jsonl`);
    writeFileDurable(path, records.map((r) => stringifyJson(r as unknown as Value)).join('\n') + (records.length > 0 ? '\n' : ''));
    return path;
  }

  close(): void {
    for (const s of this.streams.values()) s.close();
    this.streams.clear();
  }
}

function readManifest(path: string): RunManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, undefined, undefined, `not a readable manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = RunManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(path, undefined, formatPath(issue.path), issue.message);
  }
  return parsed.data;
}
