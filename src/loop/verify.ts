/**
 * JGLV: where the probed prediction and the label disagree, a judge decides. Label wrong
 * → the label is replaced by the prediction (the old one kept in the sample's history)
 * and the sample is an error seed; model wrong → the label stays and the sample is an
 * error seed; both wrong → relabelled with the judge's mended label when it built one
 * (an error seed like any relabelled sample), else dropped; both correct → treated as a
 * correct prediction; undecided → kept unchanged, counted, not a seed.
 */
import type { Label, Sample } from '../core/types.ts';
import type { StreamRecord } from '../store/jsonl-stream.ts';
import type { Judge, Verdict } from './judge.ts';
import type { ProbeRecord, RecordSink } from './probe.ts';

export type VerifyAction = 'relabel' | 'keep_seed' | 'drop' | 'treat_correct' | 'keep';

export interface VerifyRecord extends StreamRecord {
  verdict: Verdict;
  action: VerifyAction;
  errorAnalysis: string;
  correctApproach: string;
  judge: string;
  votes?: { judge: string; verdict: Verdict }[];
  /** The label after this stage (the prediction when the label was wrong; the mended label for a both-wrong pair the judge mended). */
  label: Label;
  /** The label before, when it was replaced. */
  previous?: Label;
}

export function actionFor(verdict: Verdict, mended = false): VerifyAction {
  switch (verdict) {
    case 'label_incorrect':
      return 'relabel';
    case 'model_incorrect':
      return 'keep_seed';
    case 'both_incorrect':
      return mended ? 'relabel' : 'drop';
    case 'both_correct':
      return 'treat_correct';
    case 'undecided':
      return 'keep';
  }
}

export interface VerifyOptions {
  /** Disagreements judged at once. */
  concurrency?: number;
  /** Use the judge's mended label for a both-wrong pair (default true); false drops them all. */
  mend?: boolean;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface VerifySummary {
  judged: number;
  skipped: number;
  verdicts: Partial<Record<Verdict, number>>;
  /** Both-wrong pairs relabelled with the judge's mended label instead of dropped. */
  mended: number;
}

/** Judges every failed probe record (wrong answer, not a request error) not yet in `sink`. */
export async function verifyLabels(dataset: readonly Sample[], probes: readonly ProbeRecord[], judge: Judge, sink: RecordSink<VerifyRecord>, options: VerifyOptions = {}): Promise<VerifySummary> {
  const byId = new Map(dataset.map((s) => [s.id, s]));
  const failed = probes.filter((p) => p.status === 'done' && p.correct === false && p.prediction !== undefined && byId.has(p.id));
  const todo = failed.filter((p) => !sink.has(p.id));
  const summary: VerifySummary = { judged: 0, skipped: failed.length - todo.length, verdicts: {}, mended: 0 };
  const width = Math.max(1, options.concurrency ?? 8);
  let done = summary.skipped;
  options.onProgress?.(done, failed.length);
  for (let i = 0; i < todo.length; i += width) {
    options.signal?.throwIfAborted();
    const chunk = todo.slice(i, i + width);
    const records = await Promise.all(
      chunk.map(async (p): Promise<VerifyRecord> => {
        const sample = byId.get(p.id)!;
        const v = await judge.compare(sample, sample.label, p.prediction!);
        // a both-wrong pair is relabelled only with a label the judge mended (and mending is on)
        const mended = options.mend !== false && v.verdict === 'both_incorrect' ? v.mended : undefined;
        const action = actionFor(v.verdict, mended !== undefined);
        return {
          id: p.id,
          verdict: v.verdict,
          action,
          errorAnalysis: v.errorAnalysis,
          correctApproach: v.correctApproach,
          judge: v.judge,
          ...(v.votes ? { votes: v.votes.map((x) => ({ judge: x.judge, verdict: x.verdict })) } : {}),
          label: action === 'relabel' ? (mended ?? p.prediction!) : sample.label,
          ...(action === 'relabel' ? { previous: sample.label } : {}),
        };
      }),
    );
    sink.append(records);
    for (const r of records) {
      summary.verdicts[r.verdict] = (summary.verdicts[r.verdict] ?? 0) + 1;
      if (r.verdict === 'both_incorrect' && r.action === 'relabel') summary.mended++;
    }
    summary.judged += records.length;
    done += chunk.length;
    options.onProgress?.(done, failed.length);
  }
  return summary;
}

/** The sample with its verified label, the change recorded in its history. */
export function applyVerdict(sample: Sample, record: VerifyRecord, round: number): Sample {
  if (record.action !== 'relabel') return sample;
  return {
    ...sample,
    label: record.label,
    provenance: {
      ...sample.provenance,
      source: sample.provenance.source === 'seed' ? 'corrected' : sample.provenance.source,
      labelHistory: [...sample.provenance.labelHistory, { round, stage: 'verify', previous: record.previous ?? sample.label, reason: record.errorAnalysis }],
    },
  };
}
