/**
 * EDDE's interface: from a verified failure, new samples that keep its structure and its
 * error pattern in a different context.
 */
import type { Label, Message, Sample } from '../core/types.ts';
import { renderLoopToolOutput } from '../core/convert/looptool.ts';
import type { JudgeVerdict } from './judge.ts';

export interface ExpansionSeed {
  sample: Sample;
  /** The model's wrong answer, when there was one: its error pattern is kept (the look-alike it chose, say). */
  prediction?: Label;
  verdict?: JudgeVerdict;
}

export interface ExpansionReport {
  samples: Sample[];
  /** Candidates drawn, valid or not. */
  attempts: number;
  /** Why candidates were thrown away, by reason. */
  rejected: Record<string, number>;
}

export interface Expander {
  readonly name: string;
  expand(seed: ExpansionSeed, n: number): Promise<ExpansionReport>;
  /** Samples this stage already made (read back on resume), so new ones do not repeat them. */
  remember?(samples: readonly Sample[]): void;
}

function turnText(m: Message): string {
  if (m.role === 'assistant') return m.toolCalls && m.toolCalls.length > 0 ? JSON.stringify(m.toolCalls) : (m.content ?? '');
  return m.content;
}

/** What makes two samples the same for deduplication: the tools offered, the conversation's words and the answer. */
export function sampleFingerprint(sample: Sample): string {
  const tools = sample.tools.map((t) => t.name).join(',');
  return `${tools}\n${sample.messages.map((m) => `${m.role}:${turnText(m).trim().toLowerCase()}`).join('\n')}\n=>${renderLoopToolOutput(sample.label)}`;
}
