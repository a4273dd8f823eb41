/**
 * The added tokens looptool's chat format needs, in id order. They follow Qwen2.5/Qwen3:
 * the control tokens are `special` (a decode that skips special tokens drops them), the
 * markup tokens are not, so `<tool_call>` blocks and `<think>` sections survive such a
 * decode and stay parseable, as tool-call parsers in serving stacks expect.
 */

export interface SpecialTokenSpec {
  content: string;
  special: boolean;
}

/** End of a document; also the padding token. */
export const ENDOFTEXT = '<|endoftext|>';
/** Opens a ChatML turn. */
export const IM_START = '<|im_start|>';
/** Closes a ChatML turn; the end-of-sequence token for generation. */
export const IM_END = '<|im_end|>';

/** The default added tokens: end of text, ChatML turn markers, tool-call, tool-response and think tags. */
export const DEFAULT_SPECIAL_TOKENS: readonly SpecialTokenSpec[] = [
  { content: ENDOFTEXT, special: true },
  { content: IM_START, special: true },
  { content: IM_END, special: true },
  { content: '<tool_call>', special: false },
  { content: '</tool_call>', special: false },
  { content: '<tool_response>', special: false },
  { content: '</tool_response>', special: false },
  { content: '<think>', special: false },
  { content: '</think>', special: false },
];
