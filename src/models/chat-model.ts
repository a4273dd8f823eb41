/**
 * The one interface every model sits behind — the embedded engine, an OpenAI-compatible
 * server — so the loop's stages never know which they are talking to.
 */
import type { Label, Message, Tool } from '../core/types.ts';
import type { ToolCallParse } from '../toolcall/result.ts';

export interface ChatRequest {
  messages: Message[];
  tools: Tool[];
}

export interface GenerateOptions {
  /** 0 = greedy. */
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  /** Completions per request (GRPO groups). */
  n?: number;
  stop?: string[];
  seed?: number;
  /** Return the log-probability of every generated token. */
  logprobs?: boolean;
  signal?: AbortSignal;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface ChatChoice {
  /** The raw assistant text (reasoning and `<tool_call>` blocks included). */
  text: string;
  /** The tool calls read from the text; an unparseable reply is a typed failure, never an exception. */
  toolCalls: ToolCallParse;
  /** log p of each generated token under the model, when asked for. */
  tokenLogprobs?: number[];
  completionTokens: number;
  finishReason: FinishReason;
}

export interface ChatResponse {
  choices: ChatChoice[];
  promptTokens: number;
  latencyMs: number;
}

export interface ChatModel {
  /** A name for logs and run manifests (a model path or a served model id). */
  readonly id: string;
  /** One response per request, in order; requests are batched as the provider sees fit. */
  generate(requests: ChatRequest[], options?: GenerateOptions): Promise<ChatResponse[]>;
  /**
   * How reachable `label` is for a sampled answer, as a log-probability: of the label's
   * calls rendered token by token, or, for a text label (any text reply earns it), of not
   * opening with a tool call. Only models that can score a given continuation have it.
   */
  labelLogprob?(request: ChatRequest, label: Label): Promise<number>;
}

/** A model call that failed; `retryable` says whether trying again can help (timeouts, 429, 5xx) or not (bad request, auth). */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}
