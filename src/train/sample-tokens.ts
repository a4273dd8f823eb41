/**
 * Turning a `Sample` into a training sequence for the embedded model: the rendered
 * conversation (no loss) followed by the label rendered as the assistant turn, closed by
 * the end-of-turn token (loss on every token of it).
 */
import type { Label, Sample } from '../core/types.ts';
import type { TokenExample } from '../engine/sft.ts';
import type { Tokenizer } from '../engine/tokenizer/index.ts';
import { renderAssistantTurn, renderChat } from '../models/chat-template.ts';
import { END_OF_TURN } from '../models/engine-model.ts';

/** The text the model should produce for a label (without the end-of-turn token). */
export function renderLabel(label: Label): string {
  return label.kind === 'calls' ? renderAssistantTurn(undefined, label.calls) : label.text;
}

export function sampleToExample(tokenizer: Tokenizer, sample: Sample): TokenExample {
  const prompt = tokenizer.encode(renderChat(sample.messages, sample.tools, true));
  const answer = tokenizer.encode(renderLabel(sample.label) + END_OF_TURN);
  const tokens = Int32Array.from([...prompt, ...answer]);
  const lossMask = new Uint8Array(tokens.length);
  lossMask.fill(1, prompt.length);
  return { tokens, lossMask };
}
