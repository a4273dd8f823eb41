/**
 * The Assistant over a `ChatModel` — an OpenAI-compatible server or the embedded engine
 * (assets/base-model) alike: it sees the tools and the dialogue and answers in Hermes
 * `<tool_call>` blocks or in words, read by the provider's tool-call parser.
 */
import type { ChatChoice, ChatModel } from '../models/chat-model.ts';
import { stripThink } from '../toolcall/think.ts';
import type { Assistant, AssistantInput, AssistantReply, LlmRoleOptions } from './roles.ts';

export function replyOf(choice: ChatChoice | undefined): AssistantReply {
  if (!choice) return { kind: 'unparsed', text: '', error: 'the model gave no choice' };
  const parse = choice.toolCalls;
  if (parse.ok && parse.calls.length > 0) return { kind: 'calls', calls: parse.calls, text: choice.text };
  if (parse.ok || parse.failure.kind === 'no_calls') return { kind: 'text', text: (parse.content !== '' ? parse.content : stripThink(choice.text)).trim() };
  return { kind: 'unparsed', text: choice.text, error: parse.failure.message };
}

export class ChatModelAssistant implements Assistant {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmRoleOptions = {},
  ) {
    this.name = `model:${model.id}`;
  }

  async reply(input: AssistantInput): Promise<AssistantReply> {
    const [r] = await this.model.generate([{ messages: [...input.messages], tools: [...input.tools] }], {
      temperature: this.options.temperature ?? 0.7,
      maxTokens: this.options.maxTokens ?? 256,
      seed: input.seed,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return replyOf(r?.choices[0]);
  }
}
