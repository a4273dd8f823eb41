/** Token generation over the KV cache: greedy or sampled, batched, with per-token log-probabilities. */
import { createKvCache, extend, type KvCache } from './infer.ts';
import type { Model } from './model.ts';
import { seededRandom } from './params.ts';

export interface SamplingOptions {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probability reaches topP (1 = off). */
  topP: number;
  /** Keep only the k most likely tokens (0 = off). */
  topK: number;
  maxTokens: number;
  /** Generation of a sequence ends after any of these tokens (it is kept in the output). */
  stopTokens: readonly number[];
  /** Seeds sequence i with seed + i, so a batch is reproducible and its members differ. */
  seed: number;
  /** Called after every token; returning true ends that sequence (stop strings are checked here by callers). */
  shouldStop?: (sequence: number, tokens: readonly number[]) => boolean;
  /** Also return the k most likely tokens at every step, with their log-probs (0 = off). */
  topLogprobs?: number;
}

export interface TokenAlternative {
  token: number;
  logprob: number;
}

export interface GeneratedSequence {
  tokens: number[];
  /** log p(token) under the model's own distribution (temperature 1, no truncation), one per token. */
  logprobs: number[];
  /** When asked for: the most likely tokens at each step, best first. */
  topLogprobs?: TokenAlternative[][];
  finishReason: 'stop' | 'length';
}

export const GREEDY: SamplingOptions = { temperature: 0, topP: 1, topK: 0, maxTokens: 256, stopTokens: [], seed: 0 };

/**
 * Generates a continuation for each prompt, decoding all unfinished sequences together
 * each step. `options` is shared, or one per prompt (requests with different settings
 * still decode in one batch).
 */
export function generate(model: Model, prompts: readonly Int32Array[], options: SamplingOptions | readonly SamplingOptions[]): GeneratedSequence[] {
  const V = model.config.vocabSize;
  const optionsOf = (i: number): SamplingOptions => (Array.isArray(options) ? (options as readonly SamplingOptions[])[i]! : (options as SamplingOptions));
  const caches: KvCache[] = prompts.map((p, i) => createKvCache(model, Math.min(model.config.maxPositions, p.length + optionsOf(i).maxTokens)));
  const out: GeneratedSequence[] = prompts.map((_, i) => (optionsOf(i).topLogprobs ? { tokens: [], logprobs: [], topLogprobs: [], finishReason: 'length' } : { tokens: [], logprobs: [], finishReason: 'length' }));
  const rngs = prompts.map((_, i) => seededRandom(Array.isArray(options) ? optionsOf(i).seed : optionsOf(i).seed + i));
  const stops = prompts.map((_, i) => new Set(optionsOf(i).stopTokens));

  let active = prompts.map((_, i) => i).filter((i) => prompts[i]!.length > 0);
  let logits = extend(model, active.map((i) => caches[i]!), active.map((i) => prompts[i]!));
  while (active.length > 0) {
    const next: number[] = [];
    const nextTokens: Int32Array[] = [];
    active.forEach((seq, row) => {
      const o = optionsOf(seq);
      const rowLogits = logits.subarray(row * V, row * V + V);
      const token = pickToken(rowLogits, o, rngs[seq]!);
      const result = out[seq]!;
      result.tokens.push(token);
      result.logprobs.push(logSoftmaxAt(rowLogits, token));
      if (o.topLogprobs) result.topLogprobs!.push(topAlternatives(rowLogits, o.topLogprobs));
      const cache = caches[seq]!;
      if (stops[seq]!.has(token) || o.shouldStop?.(seq, result.tokens)) {
        result.finishReason = 'stop';
      } else if (result.tokens.length < o.maxTokens && cache.length < cache.capacity) {
        next.push(seq);
        nextTokens.push(Int32Array.of(token));
      }
    });
    active = next;
    if (active.length > 0) logits = extend(model, active.map((i) => caches[i]!), nextTokens);
  }
  return out;
}

/** log softmax(logits)[token], computed stably. */
export function logSoftmaxAt(logits: Float32Array, token: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return logits[token]! - max - Math.log(sum);
}

/** The k most likely tokens with their log-probs, best first. */
export function topAlternatives(logits: Float32Array, k: number): TokenAlternative[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  const logZ = max + Math.log(sum);
  const best: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    if (best.length < k || logits[i]! > logits[best[best.length - 1]!]!) {
      let j = Math.min(best.length, k - 1);
      if (best.length < k) best.push(i);
      while (j > 0 && logits[best[j - 1]!]! < logits[i]!) {
        best[j] = best[j - 1]!;
        j--;
      }
      best[j] = i;
    }
  }
  return best.map((token) => ({ token, logprob: logits[token]! - logZ }));
}

function pickToken(logits: Float32Array, options: SamplingOptions, rand: () => number): number {
  if (options.temperature <= 0) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
  const keep = options.topK > 0 ? order.slice(0, options.topK) : order;
  const max = logits[keep[0]!]!;
  const weights = keep.map((i) => Math.exp((logits[i]! - max) / options.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let cut = keep.length;
  if (options.topP < 1) {
    let mass = 0;
    for (let j = 0; j < keep.length; j++) {
      mass += weights[j]! / total;
      if (mass >= options.topP) {
        cut = j + 1;
        break;
      }
    }
  }
  const kept = weights.slice(0, cut);
  const keptTotal = kept.reduce((a, b) => a + b, 0);
  let r = rand() * keptTotal;
  for (let j = 0; j < cut; j++) {
    r -= kept[j]!;
    if (r <= 0) return keep[j]!;
  }
  return keep[cut - 1]!;
}

/**
 * Teacher-forced log-probabilities of `continuation` after `prompt`: one per
 * continuation token (GCP's perplexity and GRPO's ratios use these).
 */
export function scoreContinuation(model: Model, prompt: Int32Array, continuation: Int32Array): number[] {
  if (continuation.length === 0) return [];
  const V = model.config.vocabSize;
  const cache = createKvCache(model, prompt.length + continuation.length);
  const full = new Int32Array(prompt.length + continuation.length);
  full.set(prompt);
  full.set(continuation, prompt.length);
  // Logits at positions prompt.length−1 … end−2 predict the continuation's tokens.
  const all = extend(model, [cache], [full.subarray(0, full.length - 1)], true);
  const out: number[] = [];
  for (let j = 0; j < continuation.length; j++) {
    const row = prompt.length - 1 + j;
    out.push(logSoftmaxAt(all.subarray(row * V, row * V + V), continuation[j]!));
  }
  return out;
}
