/**
 * Which tokens of a sample's answer are the called functions' names and which are the
 * arguments' values. The copy probe scores these tokens; the world pretrain can weight
 * them above the answer's JSON, which a small model predicts long before it copies.
 */
import type { Sample, ToolCall } from '../core/types.ts';
import type { TokenExample } from '../engine/sft.ts';
import type { Tokenizer } from '../engine/tokenizer/index.ts';
import { renderAssistantTurn } from '../models/chat-template.ts';
import { renderLabel, sampleToExample } from './sample-tokens.ts';

export interface AnswerSpan {
  kind: 'name' | 'value';
  /** The value occurs verbatim in the user's messages. */
  literal: boolean;
  /** Answer tokens [first, end) that hold the span, counted from the answer's start. */
  first: number;
  end: number;
}

export interface AnswerTokens {
  tokens: Int32Array;
  /** Tokens before the answer. */
  promptLength: number;
  /** Names and values in answer order; empty for a text answer. */
  spans: AnswerSpan[];
  /**
   * Answer tokens (counted from the answer's start) where the model decides what comes
   * next: the first, which opens a call or a text reply, and the one after each call
   * closes, which opens another call or ends the turn.
   */
  decisions: number[];
}

interface CharSpan {
  start: number;
  end: number;
  kind: AnswerSpan['kind'];
  literal: boolean;
}

function leafValues(value: unknown, out: Array<string | number | boolean>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.push(value);
  else if (Array.isArray(value)) for (const item of value) leafValues(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) leafValues(item, out);
}

/**
 * The next place in answer[from, end) where `value` stands as a JSON value — a string in
 * its quotes and not followed by ":" (that is a key), a number or boolean after ": ", "["
 * or ", " and not running on — as the range of its text (a string's without the quotes).
 */
function findValue(answer: string, value: string | number | boolean, from: number, end: number): { start: number; end: number } | undefined {
  const text = JSON.stringify(value);
  for (let at = answer.indexOf(text, from); at >= 0 && at + text.length <= end; at = answer.indexOf(text, at + 1)) {
    const after = answer[at + text.length] ?? '';
    if (typeof value === 'string') {
      if (after !== ':') return { start: at + 1, end: at + text.length - 1 };
      continue;
    }
    const before = answer[at - 1] ?? '';
    if ((before === ' ' || before === '[') && !/[\w.]/.test(after)) return { start: at, end: at + text.length };
  }
  return undefined;
}

/** Where each call's name and argument values sit in the rendered answer, in order. */
function charSpans(answer: string, calls: readonly ToolCall[], request: string): CharSpan[] {
  const spans: CharSpan[] = [];
  let from = 0;
  for (const call of calls) {
    const callText = renderAssistantTurn(undefined, [call]);
    const callAt = answer.indexOf(callText, from);
    if (callAt < 0) continue;
    const callEnd = callAt + callText.length;
    const nameText = JSON.stringify(call.name);
    const nameAt = answer.indexOf(nameText, callAt);
    spans.push({ start: nameAt + 1, end: nameAt + nameText.length - 1, kind: 'name', literal: false });
    let at = nameAt + nameText.length;
    const values: Array<string | number | boolean> = [];
    leafValues(call.arguments, values);
    for (const value of values) {
      const found = findValue(answer, value, at, callEnd);
      if (found === undefined) continue;
      spans.push({ ...found, kind: 'value', literal: request.includes(String(value)) });
      at = found.end;
    }
    from = callEnd;
  }
  return spans;
}

/** The sample tokenized as SFT sees it, with the answer tokens that hold names and values. */
export function answerTokens(tokenizer: Tokenizer, sample: Sample): AnswerTokens {
  const { tokens, lossMask } = sampleToExample(tokenizer, sample);
  const promptLength = lossMask.indexOf(1);
  const answerIds = tokens.subarray(promptLength);
  const decisions = answerIds.length > 0 ? [0] : [];
  if (sample.label.kind !== 'calls') return { tokens, promptLength, spans: [], decisions };
  const request = sample.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  // Spans are compared in UTF-8 bytes, as the tokenizer encodes: where each answer token
  // ends, in one pass (decoding every prefix was quadratic), and where each span starts
  // and ends in the rendered answer.
  const ends: number[] = [];
  let bytes = 0;
  for (const id of answerIds) ends.push((bytes += tokenizer.tokenBytes(id).length));
  const answer = renderLabel(sample.label);
  const bytesBefore = (at: number): number => Buffer.byteLength(answer.slice(0, at));
  const spans: AnswerSpan[] = [];
  for (const span of charSpans(answer, sample.label.calls, request)) {
    const spanStart = bytesBefore(span.start);
    const spanEnd = bytesBefore(span.end);
    let first = -1;
    let end = -1;
    for (let i = 0; i < answerIds.length; i++) {
      const start = i === 0 ? 0 : ends[i - 1]!;
      if (ends[i]! <= spanStart || start >= spanEnd) continue;
      if (first < 0) first = i;
      end = i + 1;
    }
    if (first >= 0) spans.push({ kind: span.kind, literal: span.literal, first, end });
  }
  for (let at = answer.indexOf(CALL_CLOSE); at >= 0; at = answer.indexOf(CALL_CLOSE, at + 1)) {
    // The token after the one that ends with the closing tag; after the last call's,
    // which ends the rendered answer, that is the end-of-turn token.
    const next = ends.indexOf(bytesBefore(at + CALL_CLOSE.length)) + 1;
    if (next > 0 && next < answerIds.length) decisions.push(next);
  }
  return { tokens, promptLength, spans, decisions };
}

const CALL_CLOSE = '</tool_call>';

/**
 * The SFT example of `sample` with the answer's other tokens — the JSON around the calls'
 * names and values, and text answers — weighted `formatWeight` against 1 for name and
 * value tokens. Below 1, the loss leans on the few tokens a model must find in the
 * request rather than on the many it predicts early.
 *
 * `decisionWeight` (the format weight unless given) weighs the answer's decision tokens
 * (see `AnswerTokens.decisions`): whether to call at all, and whether to call again.
 * At the format weight a model learns the JSON's shape long before it learns when a
 * request lacks a value or has no tool that fits, and calls for everything; weighted
 * like a value, the choice is learned where the request shows it (a value left out),
 * though not yet where it takes comparing the request with the tool list.
 *
 * `promptWeight` above 0 also trains the prompt's tokens (after the first) as a language
 * model, at that weight: every prompt token gives a gradient, not the few answer tokens
 * alone, and the prompt repeats itself (a tool's required parameters name its
 * properties again), which rewards heads that look back and copy.
 */
export function weightedExample(tokenizer: Tokenizer, sample: Sample, formatWeight: number, promptWeight = 0, decisionWeight = formatWeight): TokenExample {
  const { tokens, promptLength, spans, decisions } = answerTokens(tokenizer, sample);
  const lossMask = new Uint8Array(tokens.length).fill(1, promptLength);
  const weights = new Float32Array(tokens.length).fill(formatWeight, promptLength);
  if (promptWeight > 0) {
    lossMask.fill(1, 1, promptLength);
    weights.fill(promptWeight, 1, promptLength);
  }
  for (const span of spans) weights.fill(1, promptLength + span.first, promptLength + span.end);
  for (const at of decisions) weights[promptLength + at] = decisionWeight;
  return { tokens, lossMask, weights };
}
