/** Separating a model's `<think>` reasoning from its answer. */

export interface ThinkSplit {
  /** The reasoning text, or undefined when there is none. */
  reasoning: string | undefined;
  /** The answer: the text with the reasoning block removed. */
  answer: string;
}

/**
 * Splits off reasoning. Handles a closed `<think>…</think>` block, a lone `</think>`
 * (chat templates that open the block in the prompt, as Qwen3's does) and an unclosed
 * `<think>` (generation cut off mid-thought: all of it is reasoning).
 */
export function splitThink(text: string): ThinkSplit {
  const close = text.indexOf('</think>');
  const open = text.indexOf('<think>');
  if (close === -1) {
    if (open === -1) return { reasoning: undefined, answer: text };
    return { reasoning: text.slice(open + 7), answer: text.slice(0, open) };
  }
  const start = open !== -1 && open < close ? open + 7 : 0;
  const before = open !== -1 && open < close ? text.slice(0, open) : '';
  return { reasoning: text.slice(start, close), answer: before + text.slice(close + 8) };
}

export function stripThink(text: string): string {
  return splitThink(text).answer;
}
