/**
 * Request bodies of the OpenAI-compatible API, as zod schemas (errors carry the path
 * of the bad field), and their conversion to looptool's messages and tools.
 */
import { z } from 'zod';
import { FormatError } from '../core/convert/looptool.ts';
import { messageFromOpenAi } from '../core/convert/openai.ts';
import type { Message, Tool } from '../core/types.ts';
import { isPlainObject, isValue, type ValueObject } from '../core/value.ts';

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart)]);

const RequestToolCall = z.object({
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const RequestMessage = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: Content }),
  z.object({ role: z.literal('developer'), content: Content }),
  z.object({ role: z.literal('user'), content: Content }),
  z.object({ role: z.literal('assistant'), content: Content.nullish(), tool_calls: z.array(RequestToolCall).nullish() }),
  z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string().optional(), name: z.string().optional() }),
]);

const JsonObject = z.custom<ValueObject>((v) => isPlainObject(v) && isValue(v), { message: 'expected a JSON object' });

const RequestTool = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: JsonObject.optional() }),
});

const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);

const Stop = z.union([z.string(), z.array(z.string()).max(4)]).nullish();

const sampling = {
  model: z.string().optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  n: z.number().int().min(1).max(64).nullish(),
  stop: Stop,
  seed: z.number().int().nullish(),
  stream: z.literal(false, { message: 'streaming is not supported by this server; leave "stream" out or false' }).nullish(),
  user: z.string().optional(),
};

export const ChatCompletionRequestSchema = z.object({
  ...sampling,
  messages: z.array(RequestMessage).min(1),
  tools: z.array(RequestTool).nullish(),
  tool_choice: ToolChoice.nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const CompletionRequestSchema = z.object({
  ...sampling,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
  max_tokens: z.number().int().min(1).nullish(),
  /** The legacy API's `logprobs` is the number of alternatives to return per token. */
  logprobs: z.number().int().min(0).max(20).nullish(),
  echo: z.literal(false, { message: '"echo" is not supported' }).nullish(),
});
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;

/** A bad field in a request: becomes a 400 with OpenAI's error body. */
export class RequestFieldError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestFieldError';
  }
}

/** OpenAI messages → looptool messages. Tool-call arguments must be JSON objects. */
export function messagesFromRequest(messages: ChatCompletionRequest['messages']): Message[] {
  return messages.map((m, i) => {
    try {
      return messageFromOpenAi(m, `messages[${i}]`);
    } catch (e) {
      if (e instanceof FormatError) throw new RequestFieldError(e.field, e.message);
      throw e;
    }
  });
}

export function toolsFromRequest(tools: ChatCompletionRequest['tools']): Tool[] {
  return (tools ?? []).map((t) => ({
    name: t.function.name,
    ...(t.function.description === undefined ? {} : { description: t.function.description }),
    parameters: t.function.parameters ?? { type: 'object', properties: {} },
  }));
}
