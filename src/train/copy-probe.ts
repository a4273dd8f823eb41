/**
 * A cheap check of whether an embedded model copies from its context: teacher-forced
 * (the right answer fed in, one forward pass per sample), how often the most likely next
 * token is the right one on the tokens of the called functions' names and of the
 * arguments' values. Greedy held-out accuracy needs every token of a call right and
 * stays near 0 until copying works; these token rates move long before, so a pretrain
 * recipe can be judged in seconds instead of after a full run.
 */
import type { Sample, ToolCall } from '../core/types.ts';
import { logits, type Model } from '../engine/model.ts';
import type { Tokenizer } from '../engine/tokenizer/index.ts';
import { renderAssistantTurn } from '../models/chat-template.ts';
import { renderLabel, sampleToExample } from './sample-tokens.ts';

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
}

/** A character range of the rendered answer and what it holds. */
interface Span {
  start: number;
  end: number;
  kind: 'name' | 'value';
  /** The value occurs verbatim in the user's messages. */
  literal: boolean;
}

function leafTexts(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leafTexts(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) leafTexts(item, out);
}

/** Where each call's name and argument values sit in the rendered answer, in order. */
function answerSpans(answer: string, calls: readonly ToolCall[], request: string): Span[] {
  const spans: Span[] = [];
  let from = 0;
  for (const call of calls) {
    const callText = renderAssistantTurn(undefined, [call]);
    const callAt = answer.indexOf(callText, from);
    if (callAt < 0) continue;
    const nameText = JSON.stringify(call.name);
    const nameAt = answer.indexOf(nameText, callAt);
    spans.push({ start: nameAt + 1, end: nameAt + nameText.length - 1, kind: 'name', literal: false });
    let at = nameAt + nameText.length;
    const values: string[] = [];
    leafTexts(call.arguments, values);
    for (const value of values) {
      // Values as JSON writes them inside the call (escapes included), quotes left out.
      const needle = JSON.stringify(value).replace(/^"|"$/g, '');
      const found = answer.indexOf(needle, at);
      if (found < 0 || found >= callAt + callText.length) continue;
      spans.push({ start: found, end: found + needle.length, kind: 'value', literal: request.includes(value) });
      at = found + needle.length;
    }
    from = callAt + callText.length;
  }
  return spans;
}

/** For each answer token, the character offset where it ends in the decoded answer. */
function tokenEnds(tokenizer: Tokenizer, answer: Int32Array): number[] {
  const ids = Array.from(answer);
  const ends: number[] = [];
  for (let i = 1; i <= ids.length; i++) ends.push(tokenizer.decode(ids.slice(0, i)).length);
  return ends;
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
  const result: CopyProbe = { samples: 0, nameTokens: tally(), valueTokens: tally(), firstValueTokens: tally(), wholeValues: tally(), literalValues: tally() };
  let done = 0;
  for (const sample of samples) {
    done++;
    onSample?.(done);
    if (sample.label.kind !== 'calls') continue;
    const { tokens, lossMask } = sampleToExample(tokenizer, sample);
    if (tokens.length > maxTokens) continue;
    const promptLength = lossMask.indexOf(1);
    const answerTokens = tokens.subarray(promptLength);
    const answer = renderLabel(sample.label);
    const request = sample.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const spans = answerSpans(answer, sample.label.calls, request);
    const ends = tokenEnds(tokenizer, answerTokens);
    const predicted = predict(tokens);
    const right = Array.from(answerTokens, (token, i) => predicted[promptLength + i - 1] === token);
    result.samples++;
    for (const span of spans) {
      let first = true;
      let whole = true;
      for (let i = 0; i < answerTokens.length; i++) {
        const start = i === 0 ? 0 : ends[i - 1]!;
        if (ends[i]! <= span.start || start >= span.end) continue;
        const ok = right[i]!;
        whole &&= ok;
        if (span.kind === 'name') {
          count(result.nameTokens, ok);
          continue;
        }
        count(result.valueTokens, ok);
        if (first) count(result.firstValueTokens, ok);
        first = false;
      }
      if (span.kind === 'value' && !first) {
        count(result.wholeValues, whole);
        if (span.literal) count(result.literalValues, whole);
      }
    }
  }
  return result;
}
