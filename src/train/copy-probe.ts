/**
 * A cheap check of whether an embedded model copies from its context: teacher-forced
 * (the right answer fed in, one forward pass per sample), how often the most likely next
 * token is the right one on the tokens of the called functions' names and of the
 * arguments' values. Greedy held-out accuracy needs every token of a call right and
 * stays near 0 until copying works; these token rates move long before, so a pretrain
 * recipe can be judged in seconds instead of after a full run.
 */
import type { Sample } from '../core/types.ts';
import { logits, type Model } from '../engine/model.ts';
import type { Tokenizer } from '../engine/tokenizer/index.ts';
import { answerTokens } from './answer-spans.ts';

export interface Tally {
  correct: number;
  total: number;
}

export interface CopyProbe {
  /** Samples whose label calls functions (the others carry no names or values to copy). */
  samples: number;
  /** Tokens of the called functions' names. */
  nameTokens: Tally;
  /** Tokens of argument values (strings without their quotes, numbers, booleans). */
  valueTokens: Tally;
  /** The first token of each value: where a value must be found rather than continued. */
  firstValueTokens: Tally;
  /** Values whose every token is right. */
  wholeValues: Tally;
  /** Values written in the request exactly as in the call, and how many of those are whole. */
  literalValues: Tally;
  /**
   * First tokens of literal values that stand only once in the prompt — in the request:
   * no pattern learned from other samples predicts them, only copying does.
   */
  uniqueFirstTokens: Tally;
  /**
   * Later value tokens whose previous token is followed by one and the same token
   * wherever it stands in the prompt: copying the continuation is unambiguous there.
   */
  uniqueContinuations: Tally;
}

function argmax(row: Float32Array, offset: number, vocab: number): number {
  let best = 0;
  for (let v = 1; v < vocab; v++) if (row[offset + v]! > row[offset + best]!) best = v;
  return best;
}

function tally(): Tally {
  return { correct: 0, total: 0 };
}

function count(t: Tally, ok: boolean): void {
  t.total++;
  if (ok) t.correct++;
}

/** The most likely next token at every position of one sequence (index t predicts token t + 1). */
export type NextTokenPredictor = (tokens: Int32Array) => Int32Array;

/** The embedded model's argmax predictions, from one forward pass. */
export function greedyNextTokens(model: Model): NextTokenPredictor {
  const vocab = model.config.vocabSize;
  return (tokens) => {
    const out = logits(model, tokens, [tokens.length]);
    return Int32Array.from({ length: tokens.length }, (_, t) => argmax(out, t * vocab, vocab));
  };
}

/** Probes `model` on the samples whose label is a list of calls; samples longer than its context are skipped. */
export function probeCopying(model: Model, tokenizer: Tokenizer, samples: readonly Sample[], onSample?: (done: number) => void): CopyProbe {
  return probeCopyingWith(greedyNextTokens(model), tokenizer, samples, model.config.maxPositions, onSample);
}

/** The probe over any predictor (tests use ones whose answers are known). `onSample` reports samples done. */
export function probeCopyingWith(predict: NextTokenPredictor, tokenizer: Tokenizer, samples: readonly Sample[], maxTokens: number, onSample?: (done: number) => void): CopyProbe {
  const result: CopyProbe = { samples: 0, nameTokens: tally(), valueTokens: tally(), firstValueTokens: tally(), wholeValues: tally(), literalValues: tally(), uniqueFirstTokens: tally(), uniqueContinuations: tally() };
  samples.forEach((sample, i) => {
    probeSample(predict, tokenizer, sample, maxTokens, result);
    onSample?.(i + 1);
  });
  return result;
}

interface Occurrences {
  count: number;
  /** The tokens that follow it in the prompt. */
  next: Set<number>;
}

/** How often each token stands in the prompt, and what follows it there. */
function followersInPrompt(tokens: Int32Array, promptLength: number): Map<number, Occurrences> {
  const out = new Map<number, Occurrences>();
  for (let i = 0; i < promptLength; i++) {
    let seen = out.get(tokens[i]!);
    if (seen === undefined) out.set(tokens[i]!, (seen = { count: 0, next: new Set() }));
    seen.count++;
    if (i + 1 < promptLength) seen.next.add(tokens[i + 1]!);
  }
  return out;
}

/** Adds one sample's names and values to `result`, unless it has no calls or does not fit. */
function probeSample(predict: NextTokenPredictor, tokenizer: Tokenizer, sample: Sample, maxTokens: number, result: CopyProbe): void {
  if (sample.label.kind !== 'calls') return;
  const { tokens, promptLength, spans } = answerTokens(tokenizer, sample);
  if (tokens.length > maxTokens) return;
  const predicted = predict(tokens);
  // Answer token i is predicted at the position before it.
  const right = (i: number): boolean => predicted[promptLength + i - 1] === tokens[promptLength + i];
  result.samples++;
  const followers = followersInPrompt(tokens, promptLength);
  for (const span of spans) {
    let whole = true;
    for (let i = span.first; i < span.end; i++) {
      const ok = right(i);
      whole &&= ok;
      if (span.kind === 'name') {
        count(result.nameTokens, ok);
        continue;
      }
      count(result.valueTokens, ok);
      const token = tokens[promptLength + i]!;
      if (i === span.first) {
        count(result.firstValueTokens, ok);
        if (span.literal && followers.get(token)?.count === 1) count(result.uniqueFirstTokens, ok);
      } else {
        const previous = followers.get(tokens[promptLength + i - 1]!);
        if (previous?.next.size === 1 && previous.next.has(token)) count(result.uniqueContinuations, ok);
      }
    }
    if (span.kind === 'value') {
      count(result.wholeValues, whole);
      if (span.literal) count(result.literalValues, whole);
    }
  }
}
