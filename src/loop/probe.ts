/**
 * GCP: greedy-probe the current model on the round's dataset. For each sample: the
 * model's prediction at temperature 0, whether it matches the label under the LoopTool
 * reward, and the perplexity of what it generated. Records stream into the run store as
 * they come, so a killed probe resumes with the samples it had not reached.
 */
import { scoreAgainstLabel, type RewardVariant } from '../check/reward.ts';
import type { Label, Sample } from '../core/types.ts';
import type { ChatChoice, ChatModel } from '../models/chat-model.ts';
import { ModelError } from '../models/chat-model.ts';
import type { StreamRecord } from '../store/jsonl-stream.ts';

/** Where a stage writes: the run store's stream, or anything with the same two methods. */
export interface RecordSink<R extends StreamRecord = StreamRecord> {
  has(id: string): boolean;
  append(records: readonly R[]): number;
}

export interface ProbeRecord extends StreamRecord {
  status: 'done' | 'failed';
  /** The model's answer as a label: its calls, or its text when it made none (or none that parse). */
  prediction?: Label;
  /** The raw reply. */
  text?: string;
  correct?: boolean;
  /** Why the reward said what it said (`match`, `calls_differ`, …). */
  reason?: string;
  /** exp of the mean negative log-probability of the generated tokens. */
  perplexity?: number | null;
  completionTokens?: number;
  /** For a wrong answer, where the model can score one: how reachable the label is for a sampled answer (`ChatModel.labelLogprob`). */
  labelLogprob?: number;
  /** For failed requests: what went wrong after the provider's retries. */
  error?: string;
}

export interface ProbeOptions {
  /** Requests handed to the model at once (the engine batches them; HTTP providers fan them out). */
  batchSize?: number;
  maxTokens?: number;
  rewardVariant?: RewardVariant;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ProbeSummary {
  probed: number;
  skipped: number;
  failed: number;
}

export function perplexityOf(logprobs: readonly number[] | undefined): number | null {
  if (!logprobs || logprobs.length === 0) return null;
  const mean = logprobs.reduce((s, x) => s + x, 0) / logprobs.length;
  return Math.exp(-mean);
}

export function predictionOf(choice: ChatChoice): Label {
  const parse = choice.toolCalls;
  if (parse.ok && parse.calls.length > 0) return { kind: 'calls', calls: parse.calls };
  return { kind: 'text', text: parse.content !== '' ? parse.content : choice.text };
}

function recordFor(sample: Sample, choice: ChatChoice, variant: RewardVariant): ProbeRecord {
  const reward = scoreAgainstLabel(choice.text, sample.label, { variant });
  return {
    id: sample.id,
    status: 'done',
    prediction: predictionOf(choice),
    text: choice.text,
    correct: reward.score > 0,
    reason: reward.reason,
    perplexity: perplexityOf(choice.tokenLogprobs),
    completionTokens: choice.completionTokens,
  };
}

/**
 * Probes every sample not yet in `sink`. A batch that fails is retried one sample at a
 * time so one bad request cannot sink its neighbours; a sample that still fails is
 * recorded as failed with the reason, never dropped.
 */
export async function probeGreedy(dataset: readonly Sample[], model: ChatModel, sink: RecordSink<ProbeRecord>, options: ProbeOptions = {}): Promise<ProbeSummary> {
  const todo = dataset.filter((s) => !sink.has(s.id));
  const summary: ProbeSummary = { probed: 0, skipped: dataset.length - todo.length, failed: 0 };
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const variant = options.rewardVariant ?? 'official';
  const gen = { temperature: 0, logprobs: true, maxTokens: options.maxTokens ?? 256, signal: options.signal };
  let done = summary.skipped;
  options.onProgress?.(done, dataset.length);
  for (let i = 0; i < todo.length; i += batchSize) {
    options.signal?.throwIfAborted();
    const batch = todo.slice(i, i + batchSize);
    let records: ProbeRecord[];
    try {
      const responses = await model.generate(batch.map((s) => ({ messages: s.messages, tools: s.tools })), gen);
      records = batch.map((s, j) => recordFor(s, responses[j]!.choices[0]!, variant));
    } catch (e) {
      if (options.signal?.aborted) throw e;
      records = [];
      for (const s of batch) {
        try {
          const [r] = await model.generate([{ messages: s.messages, tools: s.tools }], gen);
          records.push(recordFor(s, r!.choices[0]!, variant));
        } catch (err) {
          if (options.signal?.aborted) throw err;
          records.push({ id: s.id, status: 'failed', error: err instanceof ModelError || err instanceof Error ? err.message : String(err) });
        }
      }
    }
    if (model.labelLogprob) {
      for (const [j, r] of records.entries()) {
        const s = batch[j]!;
        if (r.status === 'done' && r.correct === false) r.labelLogprob = await model.labelLogprob({ messages: s.messages, tools: s.tools }, s.label);
      }
    }
    sink.append(records);
    for (const r of records) {
      if (r.status === 'failed') summary.failed++;
      else summary.probed++;
    }
    done += batch.length;
    options.onProgress?.(done, dataset.length);
  }
  return summary;
}

export type ProbeClass = 'mastered' | 'borderline' | 'failed' | 'error';

/** The perplexity at `quantile` among correct predictions: above it a correct answer is borderline. */
export function perplexityCut(records: readonly ProbeRecord[], quantile: number): number {
  const ppl = records
    .filter((r) => r.status === 'done' && r.correct && typeof r.perplexity === 'number')
    .map((r) => r.perplexity as number)
    .sort((a, b) => a - b);
  if (ppl.length === 0) return Infinity;
  const at = Math.min(ppl.length - 1, Math.max(0, Math.floor(quantile * ppl.length)));
  return ppl[at]!;
}

/** GCP's classes: mastered (correct, low perplexity), borderline (correct, high), failed (wrong), error (no answer). */
export function classifyProbe(record: ProbeRecord, cut: number): ProbeClass {
  if (record.status !== 'done') return 'error';
  if (!record.correct) return 'failed';
  return typeof record.perplexity === 'number' && record.perplexity > cut ? 'borderline' : 'mastered';
}
