/**
 * The LLM expander: a model reads a verified failure (tools, conversation, the right
 * answer, the wrong one and why it was wrong) and writes new samples of the same
 * structure and difficulty in other contexts, each as an `INPUT:` conversation and an
 * `OUTPUT:` answer. The reply is hostile input: every block that does not parse into a
 * conversation and an answer is counted as rejected, never thrown.
 */
import { renderLoopToolCalls } from '../core/convert/looptool.ts';
import { dumpJson } from '../core/json.ts';
import type { Label, Message, Sample } from '../core/types.ts';
import type { ChatModel, GenerateOptions } from '../models/chat-model.ts';
import { parseHermesToolCalls } from '../toolcall/hermes.ts';
import type { ExpansionReport, ExpansionSeed, Expander } from './expander.ts';

/** The paper's four directions for a new context; each request picks one per sample. */
export const SCENARIO_FOCUSES = [
  'complexity: the same kind of request with more details or constraints to get right',
  'persona: a different kind of user (a student, a busy manager, a retiree, a non-native speaker) with their own way of asking',
  'interaction style: terse, chatty, indirect or polite wording, or the information spread over the sentence differently',
  'data: different concrete values (names, places, dates, amounts, ids) of the same types',
] as const;

function renderTurns(messages: readonly Message[]): string {
  return messages
    .map((m) => {
      if (m.role === 'assistant') return `assistant: ${m.toolCalls && m.toolCalls.length > 0 ? renderLoopToolCalls(m.toolCalls) : (m.content ?? '')}`;
      return `${m.role}: ${m.content}`;
    })
    .join('\n');
}

function renderAnswer(label: Label): string {
  return label.kind === 'calls' ? renderLoopToolCalls(label.calls) : label.text;
}

export function expansionPrompt(seed: ExpansionSeed, n: number): Message[] {
  const s = seed.sample;
  const tools = s.tools.map((t) => dumpJson({ name: t.name, description: t.description ?? '', parameters: t.parameters })).join('\n');
  const wrong = seed.prediction ? `\n\nA model answered wrongly:\n${renderAnswer(seed.prediction)}` : '';
  const why = seed.verdict?.errorAnalysis ? `\n\nWhy it was wrong: ${seed.verdict.errorAnalysis}` : '';
  const focuses = Array.from({ length: n }, (_, i) => `Sample ${i + 1}: vary the ${SCENARIO_FOCUSES[i % SCENARIO_FOCUSES.length]}`).join('\n');
  const user =
    `Tools:\n${tools}\n\nConversation:\n${renderTurns(s.messages)}\n\nCorrect next turn:\n${renderAnswer(s.label)}${wrong}${why}\n\n` +
    `Write ${n} new samples that test the same skill and would trip a model up the same way, using only these tools. ` +
    `Keep the structure (how many calls, which kinds of arguments, whether a text reply is right) and change the context:\n${focuses}\n\n` +
    `Write each sample exactly like this, nothing else:\nINPUT:\nuser: <the user's message>\nOUTPUT:\n<the correct next turn: <tool_call> blocks, or a text reply>`;
  return [
    { role: 'system', content: 'You create training data for a tool-calling assistant. Every sample you write must be correct: arguments come from the conversation and fit the tool schemas.' },
    { role: 'user', content: user },
  ];
}

const ROLE_LINE = /^(user|assistant|tool)\s*:\s?(.*)$/i;

/** The turns of an `INPUT:` block: `user:` / `assistant:` / `tool:` lines, continued until the next role; plain text is one user turn. */
export function parseTurns(text: string): Message[] {
  const messages: Message[] = [];
  let current: { role: string; lines: string[] } | undefined;
  const flush = (): void => {
    if (!current) return;
    const content = current.lines.join('\n').trim();
    if (current.role === 'assistant') {
      const calls = parseHermesToolCalls(content, { mode: 'lenient' });
      messages.push(calls.ok && calls.calls.length > 0 ? { role: 'assistant', toolCalls: calls.calls } : { role: 'assistant', content });
    } else if (content !== '') messages.push(current.role === 'tool' ? { role: 'tool', content } : { role: 'user', content });
    current = undefined;
  };
  for (const line of text.split('\n')) {
    const m = ROLE_LINE.exec(line.trim());
    if (m) {
      flush();
      current = { role: m[1]!.toLowerCase(), lines: [m[2]!] };
    } else if (current) current.lines.push(line);
    else if (line.trim() !== '') current = { role: 'user', lines: [line] };
  }
  flush();
  return messages;
}

/** Reads `INPUT:` / `OUTPUT:` blocks; a block without both parts, or with a broken call, is reported as rejected. */
export function parseExpansions(text: string): { samples: { messages: Message[]; label: Label }[]; rejected: Record<string, number> } {
  const body = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const rejected: Record<string, number> = {};
  const reject = (why: string): void => {
    rejected[why] = (rejected[why] ?? 0) + 1;
  };
  const samples: { messages: Message[]; label: Label }[] = [];
  const blocks = body.split(/^\s*(?:\*\*)?\s*INPUT\s*(?:\*\*)?\s*:\s*(?:\*\*)?/im).slice(1);
  for (const block of blocks) {
    const parts = block.split(/^\s*(?:\*\*)?\s*OUTPUT\s*(?:\*\*)?\s*:\s*(?:\*\*)?/im);
    if (parts.length < 2) {
      reject('no_output');
      continue;
    }
    const messages = parseTurns(parts[0]!.replace(/```\w*/g, ''));
    if (messages.length === 0 || messages[messages.length - 1]!.role === 'assistant') {
      reject('no_user_turn');
      continue;
    }
    const out = parts[1]!
      .replace(/```\w*/g, '')
      .replace(/^\s*#+.*$/gm, '')
      .trim();
    const parsed = parseHermesToolCalls(out, { mode: 'lenient' });
    if (parsed.ok && parsed.calls.length > 0) samples.push({ messages, label: { kind: 'calls', calls: parsed.calls } });
    else if (!parsed.ok && parsed.failure.kind !== 'no_calls') reject('unparseable_output');
    else if (out === '') reject('empty_output');
    else samples.push({ messages, label: { kind: 'text', text: out } });
  }
  if (blocks.length === 0) reject('no_blocks');
  return { samples, rejected };
}

export interface LlmExpanderOptions {
  round?: number;
  generate?: GenerateOptions;
}

export class LlmExpander implements Expander {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmExpanderOptions = {},
  ) {
    this.name = `llm:${model.id}`;
  }

  async expand(seed: ExpansionSeed, n: number): Promise<ExpansionReport> {
    let text = '';
    try {
      const [r] = await this.model.generate([{ messages: expansionPrompt(seed, n), tools: [] }], { temperature: 0.8, maxTokens: 400 * n, ...this.options.generate });
      text = r?.choices[0]?.text ?? '';
    } catch {
      return { samples: [], attempts: n, rejected: { model_error: n } };
    }
    const parsed = parseExpansions(text);
    const samples: Sample[] = parsed.samples.slice(0, n).map((p, i) => ({
      id: `${seed.sample.id}~r${this.options.round ?? 0}x${i}`,
      tools: seed.sample.tools,
      messages: p.messages,
      label: p.label,
      provenance: { source: 'expanded', round: this.options.round ?? 0, parentId: seed.sample.id, labelHistory: [] },
      ...(seed.sample.meta?.['kind'] !== undefined ? { meta: { kind: seed.sample.meta['kind'] } } : {}),
    }));
    return { samples, attempts: Math.max(n, parsed.samples.length + Object.values(parsed.rejected).reduce((a, b) => a + b, 0)), rejected: parsed.rejected };
  }
}
