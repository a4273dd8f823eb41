/**
 * Verified dialogues as per-turn samples, through the OpenAI-format converter (every
 * assistant turn of a dialogue is a sample whose context is what came before it). A
 * dialogue with a rejected step is cut there (its dialogue already ends before the step)
 * or dropped whole, by policy.
 */
import { openAiToSamples } from '../core/convert/openai.ts';
import { stringifyJson } from '../core/json.ts';
import type { Message, Sample, Tool } from '../core/types.ts';
import type { ValueObject } from '../core/value.ts';
import type { DialogueRecord } from './dialogue.ts';

export const POLICIES = ['cut', 'drop'] as const;
export type Policy = (typeof POLICIES)[number];

export const SAMPLE_KINDS = ['single', 'parallel', 'multi_turn', 'no_call'] as const;
export type SynthSampleKind = (typeof SAMPLE_KINDS)[number];

/** One kind per sample: a text label is no-call; calls after an earlier assistant turn are multi-turn; else parallel (2+ calls) or single. */
export function sampleKind(sample: Sample): SynthSampleKind {
  if (sample.label.kind === 'text') return 'no_call';
  if (sample.messages.some((m) => m.role === 'assistant')) return 'multi_turn';
  return sample.label.calls.length > 1 ? 'parallel' : 'single';
}

function openAiRecord(messages: readonly Message[], tools: readonly Tool[]): ValueObject {
  return {
    tools: tools.map((t): ValueObject => {
      const fn: ValueObject = t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters };
      return { type: 'function', function: fn };
    }),
    messages: messages.map((m): ValueObject => {
      if (m.role === 'assistant') {
        return m.toolCalls && m.toolCalls.length > 0
          ? { role: 'assistant', content: m.content ?? null, tool_calls: m.toolCalls.map((c) => ({ type: 'function', function: { name: c.name, arguments: stringifyJson(c.arguments) } })) }
          : { role: 'assistant', content: m.content ?? '' };
      }
      if (m.role === 'tool') return m.name === undefined ? { role: 'tool', content: m.content } : { role: 'tool', name: m.name, content: m.content };
      return { role: m.role, content: m.content };
    }),
  };
}

export type DialogueFate = 'kept' | 'cut' | 'dropped';

export function dialogueSamples(dialogue: DialogueRecord, policy: Policy): { samples: Sample[]; fate: DialogueFate } {
  const rejected = dialogue.status === 'rejected';
  if (rejected && policy === 'drop') return { samples: [], fate: 'dropped' };
  const lastAssistant = dialogue.messages.map((m) => m.role).lastIndexOf('assistant');
  const kept = dialogue.messages.slice(0, lastAssistant + 1);
  const samples = lastAssistant < 0 ? [] : openAiToSamples(openAiRecord(kept, dialogue.tools), dialogue.id, { everyTurn: true }, `synth:${dialogue.id}`);
  const needAt = new Map(dialogue.steps.map((s) => [s.at, dialogue.plan.steps[s.need]?.kind]));
  for (const s of samples) {
    const at = s.messages.length;
    s.meta = { kind: sampleKind(s), need: needAt.get(at) ?? 'unknown', dialogue: dialogue.id, date: dialogue.date };
  }
  return { samples, fate: rejected ? 'cut' : 'kept' };
}
