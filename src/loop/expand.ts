/**
 * EDDE: every verified failure (model wrong, or label wrong and now corrected) seeds k new
 * samples that keep its structure and error pattern. Each candidate is validated before
 * it joins — the tools it calls exist and its calls fit their schemas, and the judge does
 * not find its label wrong — and each seed's outcome streams into the run store, so a
 * killed stage resumes with the seeds it had not reached.
 */
import { validateToolCall } from '../check/schema.ts';
import type { Label, Sample } from '../core/types.ts';
import type { StreamRecord } from '../store/jsonl-stream.ts';
import type { ExpansionSeed, Expander } from './expander.ts';
import type { Judge } from './judge.ts';
import type { ProbeRecord, RecordSink } from './probe.ts';
import type { VerifyRecord } from './verify.ts';

export interface ExpandRecord extends StreamRecord {
  /** The new samples (already validated). */
  samples: Sample[];
  attempts: number;
  rejected: Record<string, number>;
}

export interface ExpandOptions {
  /** New samples per seed (the paper's 4). */
  perSeed?: number;
  /** A judge that must not find a new label wrong; without one only the schema is checked. */
  judge?: Judge;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ExpandSummary {
  seeds: number;
  skipped: number;
  made: number;
  attempts: number;
}

/** The seeds of EDDE: verify records whose verdict made the sample an error seed. */
export function errorSeeds(dataset: readonly Sample[], probes: readonly ProbeRecord[], verdicts: readonly VerifyRecord[]): ExpansionSeed[] {
  const byId = new Map(dataset.map((s) => [s.id, s]));
  const predictions = new Map(probes.map((p) => [p.id, p.prediction]));
  const out: ExpansionSeed[] = [];
  for (const v of verdicts) {
    if (v.action !== 'relabel' && v.action !== 'keep_seed') continue;
    const sample = byId.get(v.id);
    if (!sample) continue;
    const prediction = predictions.get(v.id);
    out.push({
      sample: { ...sample, label: v.label },
      ...(prediction !== undefined ? { prediction } : {}),
      verdict: { verdict: v.verdict, errorAnalysis: v.errorAnalysis, correctApproach: v.correctApproach, judge: v.judge },
    });
  }
  return out;
}

/** Why a candidate cannot join, or undefined when it can. */
export async function rejectionOf(sample: Sample, judge: Judge | undefined): Promise<string | undefined> {
  const label: Label = sample.label;
  if (label.kind === 'calls') {
    if (label.calls.length === 0) return 'no_calls';
    for (const c of label.calls) if (validateToolCall(c, sample.tools).length > 0) return 'schema';
  } else if (label.text.trim() === '') return 'empty_reply';
  if (!sample.messages.some((m) => m.role === 'user')) return 'no_user_turn';
  if (judge) {
    const v = await judge.compare(sample, label, label);
    if (v.verdict === 'both_incorrect' || v.verdict === 'label_incorrect') return 'judged_wrong';
  }
  return undefined;
}

/**
 * Expands every seed not yet in `sink`. `done` are the records already there (read back
 * on resume): the expander is told about them, so a resumed stage makes what an
 * uninterrupted one would have.
 */
export async function expandFailures(seeds: readonly ExpansionSeed[], expander: Expander, sink: RecordSink<ExpandRecord>, options: ExpandOptions = {}, done: readonly ExpandRecord[] = []): Promise<ExpandSummary> {
  expander.remember?.(done.flatMap((r) => r.samples));
  const todo = seeds.filter((s) => !sink.has(s.sample.id));
  const summary: ExpandSummary = { seeds: seeds.length, skipped: seeds.length - todo.length, made: 0, attempts: 0 };
  const k = Math.max(1, options.perSeed ?? 4);
  const width = Math.max(1, options.concurrency ?? 4);
  let finished = summary.skipped;
  options.onProgress?.(finished, seeds.length);
  for (let i = 0; i < todo.length; i += width) {
    options.signal?.throwIfAborted();
    const chunk = todo.slice(i, i + width);
    const records = await Promise.all(
      chunk.map(async (seed): Promise<ExpandRecord> => {
        const report = await expander.expand(seed, k);
        const rejected = { ...report.rejected };
        const samples: Sample[] = [];
        for (const s of report.samples) {
          const why = await rejectionOf(s, options.judge);
          if (why === undefined) samples.push(s);
          else rejected[why] = (rejected[why] ?? 0) + 1;
        }
        return { id: seed.sample.id, samples, attempts: report.attempts, rejected };
      }),
    );
    sink.append(records);
    for (const r of records) {
      summary.made += r.samples.length;
      summary.attempts += r.attempts;
    }
    finished += chunk.length;
    options.onProgress?.(finished, seeds.length);
  }
  return summary;
}
