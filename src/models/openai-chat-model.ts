/**
 * A `ChatModel` over OpenAI-compatible servers (vLLM, SGLang, llama.cpp, Ollama) through
 * the `openai` SDK: one or several endpoints taken in turn with failover, bounded
 * concurrency, retries with exponential backoff and jitter on 429 / 5xx / timeouts /
 * dropped connections, a per-request timeout, a response cache on disk, and token and
 * time accounting.
 *
 * Two prompting modes: `chat` sends `tools` and reads `tool_calls` (the server renders
 * and parses), `hermes` renders the LoopTool system prompt with `<tools>` itself and
 * parses `<tool_call>` blocks from the text, as the paper trained.
 */
import OpenAI from 'openai';
import { renderLoopToolCalls, renderLoopToolInstruction, DEFAULT_INSTRUCTION } from '../core/convert/looptool.ts';
import { stringifyJson, tryParseJson } from '../core/json.ts';
import type { Message, Tool, ToolCall } from '../core/types.ts';
import { isPlainObject } from '../core/value.ts';
import { parseHermesToolCalls } from '../toolcall/hermes.ts';
import { failedParse, parsedCalls, type ToolCallParse } from '../toolcall/result.ts';
import { ModelError, type ChatChoice, type ChatModel, type ChatRequest, type ChatResponse, type FinishReason, type GenerateOptions } from './chat-model.ts';
import { nodeFetch } from './node-fetch.ts';
import { cacheKey, type ResponseCache } from './response-cache.ts';

export type PromptMode = 'chat' | 'hermes';

export interface OpenAIChatModelOptions {
  /** Base URLs such as `http://127.0.0.1:8000/v1`; requests go round-robin, skipping ones that are down. */
  baseUrls: readonly string[];
  model: string;
  apiKey?: string;
  mode?: PromptMode;
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Per-request timeout in ms (default 120 000). */
  timeoutMs?: number;
  /** Retries after the first try (default 5). */
  maxRetries?: number;
  /** First backoff in ms, doubled each retry up to `maxBackoffMs` (defaults 250 and 15 000), with jitter. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Extra body fields for the server, e.g. vLLM's `{top_k: 20, chat_template_kwargs: {enable_thinking: false}}`. */
  extraBody?: Record<string, unknown>;
  /** System instruction and date for `hermes` mode (LoopTool's record layout). */
  instruction?: string;
  date?: string;
  cache?: ResponseCache;
  /** The fetch the SDK uses (default: `nodeFetch`, keep-alive sockets without web streams). */
  fetch?: typeof fetch;
  /** For tests: how to wait between retries. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Counters a stage reads before and after its work. */
export interface UsageCounters {
  requests: number;
  cacheHits: number;
  retries: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  /** Sum of request wall times, ms. */
  latencyMs: number;
}

interface Endpoint {
  url: string;
  client: OpenAI;
  downUntil: number;
}

/** Messages as an OpenAI chat body, each tool result linked to the call it answers. */
export function chatMessages(messages: readonly Message[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const pending: string[] = [];
  let counter = 0;
  for (const m of messages) {
    if (m.role === 'assistant') {
      const msg: Record<string, unknown> = { role: 'assistant', content: m.content ?? null };
      if (m.toolCalls && m.toolCalls.length > 0) {
        msg['tool_calls'] = m.toolCalls.map((c) => {
          const id = `call_${counter++}`;
          pending.push(id);
          return { id, type: 'function', function: { name: c.name, arguments: stringifyJson(c.arguments) } };
        });
      }
      out.push(msg);
    } else if (m.role === 'tool') {
      out.push({ role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? pending.shift() ?? `call_${counter++}` });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

/** Messages as the paper's model saw them: calls as `<tool_call>` text, results as `<tool_response>` user turns. */
export function hermesMessages(request: ChatRequest, instruction: string, date: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ role: 'system', content: renderLoopToolInstruction(request.tools, date, instruction) }];
  const ms = request.messages;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.role === 'system') continue;
    if (m.role === 'assistant') out.push({ role: 'assistant', content: m.toolCalls && m.toolCalls.length > 0 ? renderLoopToolCalls(m.toolCalls) : (m.content ?? '') });
    else if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else {
      const block: string[] = [];
      for (; i < ms.length && ms[i]!.role === 'tool'; i++) block.push(`<tool_response>\n${(ms[i] as { content: string }).content}\n</tool_response>`);
      i--;
      out.push({ role: 'user', content: block.join('\n') });
    }
  }
  return out;
}

function chatTools(tools: readonly Tool[]): Record<string, unknown>[] {
  return tools.map((t) => ({ type: 'function', function: t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters } }));
}

interface WireChoice {
  message?: { content?: string | null; tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[] | null } | null;
  finish_reason?: string | null;
  logprobs?: { content?: { logprob?: number }[] | null } | null;
}

/** Calls from a chat-mode reply; arguments that are not a JSON object make a typed failure. */
function callsFromChat(choice: WireChoice): ToolCallParse {
  const content = choice.message?.content ?? '';
  const wire = choice.message?.tool_calls ?? [];
  if (wire.length === 0) return parseHermesToolCalls(content, { mode: 'lenient' });
  const calls: ToolCall[] = [];
  for (const [i, c] of wire.entries()) {
    const name = c.function?.name;
    const args = c.function?.arguments;
    if (typeof name !== 'string') return failedParse('shape', `tool_calls[${i}] has no function name`, calls, content);
    const parsed = typeof args === 'string' ? tryParseJson(args === '' ? '{}' : args) : { ok: true as const, value: args };
    if (!parsed.ok || !isPlainObject(parsed.value)) return failedParse('syntax', `tool_calls[${i}].function.arguments is not a JSON object`, calls, content);
    calls.push({ name, arguments: parsed.value });
  }
  return parsedCalls(calls, content.trim());
}

function finishReason(raw: string | null | undefined, parse: ToolCallParse): FinishReason {
  if (raw === 'length') return 'length';
  if (raw === 'tool_calls' || (parse.ok && parse.calls.length > 0)) return 'tool_calls';
  return 'stop';
}

/** Whether trying again can help, from the SDK's error classes and HTTP status. */
export function classifyError(e: unknown): ModelError {
  if (e instanceof ModelError) return e;
  if (e instanceof OpenAI.APIUserAbortError) return new ModelError('request aborted', false);
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new ModelError('request timed out', true);
  if (e instanceof OpenAI.APIConnectionError) return new ModelError(`connection failed: ${e.message}`, true);
  if (e instanceof OpenAI.APIError) {
    const status = e.status;
    const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    return new ModelError(`HTTP ${status ?? '?'}: ${e.message}`, retryable, status);
  }
  // a body that is not JSON, a reset mid-stream: the next try may well work
  return new ModelError(`bad response: ${e instanceof Error ? e.message : String(e)}`, true);
}

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

interface CachedResponse {
  choices: ChatChoice[];
  promptTokens: number;
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  readonly usage: UsageCounters = { requests: 0, cacheHits: 0, retries: 0, failures: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0 };
  private readonly endpoints: Endpoint[];
  private readonly limiter: Semaphore;
  private next = 0;
  private readonly mode: PromptMode;

  constructor(private readonly options: OpenAIChatModelOptions) {
    if (options.baseUrls.length === 0) throw new Error('at least one base URL is needed');
    this.id = options.model;
    this.mode = options.mode ?? 'hermes';
    this.endpoints = options.baseUrls.map((url) => ({
      url,
      downUntil: 0,
      client: new OpenAI({ baseURL: url, apiKey: options.apiKey ?? 'none', maxRetries: 0, timeout: options.timeoutMs ?? 120_000, fetch: options.fetch ?? nodeFetch }),
    }));
    this.limiter = new Semaphore(Math.max(1, options.concurrency ?? 16));
  }

  async generate(requests: ChatRequest[], options: GenerateOptions = {}): Promise<ChatResponse[]> {
    return Promise.all(requests.map((r) => this.limiter.run(() => this.one(r, options))));
  }

  private body(request: ChatRequest, options: GenerateOptions): Record<string, unknown> {
    const body: Record<string, unknown> = {
      model: this.options.model,
      messages: this.mode === 'chat' ? chatMessages(request.messages) : hermesMessages(request, this.options.instruction ?? DEFAULT_INSTRUCTION, this.options.date ?? 'Unknown'),
      temperature: options.temperature ?? 0,
      ...(options.topP !== undefined ? { top_p: options.topP } : {}),
      ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
      ...(options.n !== undefined && options.n !== 1 ? { n: options.n } : {}),
      ...(options.stop && options.stop.length > 0 ? { stop: options.stop } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.logprobs ? { logprobs: true } : {}),
      ...(options.topK !== undefined ? { top_k: options.topK } : {}),
      ...this.options.extraBody,
    };
    if (this.mode === 'chat' && request.tools.length > 0) body['tools'] = chatTools(request.tools);
    return body;
  }

  private async one(request: ChatRequest, options: GenerateOptions): Promise<ChatResponse> {
    const body = this.body(request, options);
    const key = this.options.cache ? cacheKey({ mode: this.mode, body }) : '';
    const cached = this.options.cache?.get(key) as CachedResponse | undefined;
    if (cached) {
      this.usage.cacheHits++;
      return { choices: cached.choices, promptTokens: cached.promptTokens, latencyMs: 0 };
    }
    const maxRetries = this.options.maxRetries ?? 5;
    let last: ModelError | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      options.signal?.throwIfAborted();
      const endpoint = this.pickEndpoint();
      const started = performance.now();
      try {
        this.usage.requests++;
        const raw = (await endpoint.client.chat.completions.create(body as never, { signal: options.signal, timeout: this.options.timeoutMs ?? 120_000 })) as unknown;
        const response = this.readResponse(raw, options);
        const latencyMs = performance.now() - started;
        this.usage.latencyMs += latencyMs;
        this.usage.promptTokens += response.promptTokens;
        for (const c of response.choices) this.usage.completionTokens += c.completionTokens;
        this.options.cache?.set(key, response);
        return { ...response, latencyMs };
      } catch (e) {
        this.usage.latencyMs += performance.now() - started;
        last = classifyError(e);
        if (!last.retryable || attempt === maxRetries) break;
        if (last.status === undefined) endpoint.downUntil = Date.now() + 1000; // connection-level: try the others first
        this.usage.retries++;
        const base = Math.min(this.options.maxBackoffMs ?? 15_000, (this.options.backoffMs ?? 250) * 2 ** attempt);
        await (this.options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(base * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
      }
    }
    this.usage.failures++;
    throw last ?? new ModelError('no attempt was made', false);
  }

  private pickEndpoint(): Endpoint {
    const now = Date.now();
    for (let i = 0; i < this.endpoints.length; i++) {
      const e = this.endpoints[(this.next + i) % this.endpoints.length]!;
      if (e.downUntil <= now) {
        this.next = (this.next + i + 1) % this.endpoints.length;
        return e;
      }
    }
    // all are marked down: take the one that comes back first
    return this.endpoints.reduce((a, b) => (a.downUntil <= b.downUntil ? a : b));
  }

  private readResponse(raw: unknown, options: GenerateOptions): CachedResponse {
    if (!isPlainObject(raw as never) || !Array.isArray((raw as { choices?: unknown }).choices)) throw new ModelError('response has no choices', true);
    const r = raw as { choices: WireChoice[]; usage?: { prompt_tokens?: number; completion_tokens?: number } };
    const n = Math.max(1, options.n ?? 1);
    if (r.choices.length < n) throw new ModelError(`asked for ${n} choices, got ${r.choices.length}`, true);
    const totalCompletion = r.usage?.completion_tokens ?? 0;
    const choices = r.choices.slice(0, n).map((choice): ChatChoice => {
      const parse = this.mode === 'chat' ? callsFromChat(choice) : parseHermesToolCalls(choice.message?.content ?? '', { mode: 'lenient' });
      const content = choice.message?.content ?? '';
      const text = this.mode === 'chat' && parse.ok && parse.calls.length > 0 && (choice.message?.tool_calls?.length ?? 0) > 0 ? [content.trim(), renderLoopToolCalls(parse.calls)].filter((x) => x !== '').join('\n') : content;
      const logprobs = choice.logprobs?.content?.map((t) => t.logprob ?? 0);
      return {
        text,
        toolCalls: parse,
        ...(options.logprobs && logprobs ? { tokenLogprobs: logprobs } : {}),
        completionTokens: logprobs?.length ?? Math.round(totalCompletion / n),
        finishReason: finishReason(choice.finish_reason, parse),
      };
    });
    return { choices, promptTokens: r.usage?.prompt_tokens ?? 0 };
  }
}
