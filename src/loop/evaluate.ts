/**
 * Held-out evaluation: greedy answers of a model on clean samples, scored with the same
 * reward as the probe, overall and per sample kind (the `kind` a world sample carries in
 * its meta; "other" for samples without one).
 */
import type { Sample } from '../core/types.ts';
import type { RewardVariant } from '../check/reward.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { probeGreedy, type ProbeRecord } from './probe.ts';

export interface KindScore {
  accuracy: number;
  correct: number;
  total: number;
}

export interface HeldOutScore extends KindScore {
  byKind: Record<string, KindScore>;
}

export interface EvaluateOptions {
  batchSize?: number;
  maxTokens?: number;
  rewardVariant?: RewardVariant;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export function sampleKind(sample: Sample): string {
  const kind = sample.meta?.['kind'];
  return typeof kind === 'string' ? kind : 'other';
}

/** Scores probe records against their samples; a failed request counts as wrong. */
export function scoreRecords(samples: readonly Sample[], records: readonly ProbeRecord[]): HeldOutScore {
  const byId = new Map(records.map((r) => [r.id, r]));
  const byKind: Record<string, KindScore> = {};
  let correct = 0;
  for (const s of samples) {
    const k = (byKind[sampleKind(s)] ??= { accuracy: 0, correct: 0, total: 0 });
    k.total++;
    if (byId.get(s.id)?.correct === true) {
      k.correct++;
      correct++;
    }
  }
  for (const k of Object.values(byKind)) k.accuracy = k.total === 0 ? 0 : k.correct / k.total;
  return { accuracy: samples.length === 0 ? 0 : correct / samples.length, correct, total: samples.length, byKind };
}

export async function evaluateHeldOut(model: ChatModel, samples: readonly Sample[], options: EvaluateOptions = {}): Promise<{ score: HeldOutScore; records: ProbeRecord[] }> {
  const records: ProbeRecord[] = [];
  const seen = new Set<string>();
  const sink = {
    has: (id: string) => seen.has(id),
    append: (batch: readonly ProbeRecord[]) => {
      for (const r of batch) {
        seen.add(r.id);
        records.push(r);
      }
      return batch.length;
    },
  };
  await probeGreedy(samples, model, sink, { batchSize: options.batchSize ?? 16, maxTokens: options.maxTokens ?? 128, rewardVariant: options.rewardVariant ?? 'official', ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return { score: scoreRecords(samples, records), records };
}
