/**
 * An OpenAI-compatible HTTP server over the embedded engine: `/v1/models`,
 * `/v1/chat/completions` (tools, tool_choice, sampling, n, stop, seed, logprobs) and
 * `/v1/completions`. Requests that arrive together are decoded together in one batch.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { formatPath } from '../core/records.ts';
import { stringifyJson } from '../core/json.ts';
import type { Value } from '../core/value.ts';
import { generate, type GeneratedSequence, type SamplingOptions, type TokenAlternative } from '../engine/generate.ts';
import type { Tokenizer } from '../engine/tokenizer/index.ts';
import { renderChat } from '../models/chat-template.ts';
import { choiceFromSequence, END_OF_TEXT, END_OF_TURN, type EngineBundle } from '../models/engine-model.ts';
import { ChatCompletionRequestSchema, CompletionRequestSchema, messagesFromRequest, RequestFieldError, toolsFromRequest, type ChatCompletionRequest, type CompletionRequest } from './openai-schema.ts';

export interface OpenAIServerOptions {
  bundle: EngineBundle;
  /** The id clients name in `model` and see in `/v1/models`. */
  modelId: string;
  /** When set, every request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  maxBodyBytes?: number;
  /** Upper bound for max_tokens; also the default when a request gives none. */
  maxTokensCap?: number;
  /** How long the first request of a batch waits for company, in ms. */
  batchWindowMs?: number;
  /** Most sequences decoded in one batch. */
  maxBatchSequences?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

interface Job {
  prompts: Int32Array[];
  options: SamplingOptions[];
  resolve: (out: GeneratedSequence[]) => void;
  reject: (e: unknown) => void;
}

/** Collects jobs for a short window and runs them as one `generate` call. */
class Batcher {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly bundle: EngineBundle,
    private readonly windowMs: number,
    private readonly maxSequences: number,
  ) {}

  run(prompts: Int32Array[], options: SamplingOptions[]): Promise<GeneratedSequence[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ prompts, options, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), this.windowMs);
  }

  private flush(): void {
    const jobs: Job[] = [];
    let sequences = 0;
    while (this.queue.length > 0 && (jobs.length === 0 || sequences + this.queue[0]!.prompts.length <= this.maxSequences)) {
      const job = this.queue.shift()!;
      jobs.push(job);
      sequences += job.prompts.length;
    }
    try {
      const out = generate(this.bundle.model, jobs.flatMap((j) => j.prompts), jobs.flatMap((j) => j.options));
      let at = 0;
      for (const job of jobs) {
        job.resolve(out.slice(at, at + job.prompts.length));
        at += job.prompts.length;
      }
    } catch (e) {
      for (const job of jobs) job.reject(e);
    }
    this.scheduled = false;
    this.schedule();
  }
}

function zodToHttp(error: ZodError): HttpError {
  const issue = error.issues[0]!;
  const param = issue.path.length > 0 ? formatPath(issue.path) : null;
  return new HttpError(400, param ? `${param}: ${issue.message}` : issue.message, 'invalid_request_error', param);
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body exceeds ${limit} bytes`, 'invalid_request_error', null, 'body_too_large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'invalid_request_error', null, 'invalid_json');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body as Value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function tokenInfo(tokenizer: Tokenizer, token: number, logprob: number): { token: string; logprob: number; bytes: number[] } {
  return { token: tokenizer.decode([token]), logprob, bytes: Array.from(tokenizer.tokenBytes(token)) };
}

export function createOpenAIServer(options: OpenAIServerOptions): Server {
  const { bundle, modelId } = options;
  const tokenizer = bundle.tokenizer;
  const context = bundle.model.config.maxPositions;
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const cap = options.maxTokensCap ?? 1024;
  const stopTokens = [tokenizer.addedTokenId(END_OF_TURN), tokenizer.addedTokenId(END_OF_TEXT)];
  const batcher = new Batcher(bundle, options.batchWindowMs ?? 2, options.maxBatchSequences ?? 64);
  const created = Math.floor(Date.now() / 1000);

  const sampling = (r: { temperature?: number | null; top_p?: number | null; top_k?: number | null; seed?: number | null; stop?: string | string[] | null }, promptLength: number, requested: number | null | undefined, top: number, index: number, baseSeed: number): SamplingOptions => {
    if (requested != null && requested > cap) throw new HttpError(400, `max_tokens ${requested} exceeds this server's cap of ${cap}`, 'invalid_request_error', 'max_tokens');
    const room = context - promptLength;
    if (room <= 0) throw new HttpError(400, `the prompt has ${promptLength} tokens; the model's context is ${context}`, 'invalid_request_error', 'messages', 'context_length_exceeded');
    const stops = r.stop == null ? [] : typeof r.stop === 'string' ? [r.stop] : r.stop;
    return {
      temperature: r.temperature ?? 1,
      topP: r.top_p ?? 1,
      topK: r.top_k ?? 0,
      maxTokens: Math.min(requested ?? cap, room),
      stopTokens,
      seed: baseSeed + index,
      topLogprobs: top,
      ...(stops.length === 0 ? {} : { shouldStop: (_s: number, toks: readonly number[]) => stops.some((s) => s !== '' && tokenizer.decode(toks.slice(-32)).includes(s)) }),
    };
  };

  async function chatCompletion(body: unknown): Promise<unknown> {
    const parsed = ChatCompletionRequestSchema.safeParse(body);
    if (!parsed.success) throw zodToHttp(parsed.error);
    const r: ChatCompletionRequest = parsed.data;
    if (r.model !== undefined && r.model !== modelId) throw new HttpError(404, `model "${r.model}" does not exist; this server serves "${modelId}"`, 'invalid_request_error', 'model', 'model_not_found');
    let messages;
    try {
      messages = messagesFromRequest(r.messages);
    } catch (e) {
      if (e instanceof RequestFieldError) throw new HttpError(400, `${e.param}: ${e.message}`, 'invalid_request_error', e.param);
      throw e;
    }
    const choice = r.tool_choice ?? 'auto';
    const tools = choice === 'none' ? [] : toolsFromRequest(r.tools);
    let prefix = '';
    if (typeof choice === 'object') {
      if (!tools.some((t) => t.name === choice.function.name)) throw new HttpError(400, `tool_choice names "${choice.function.name}", which is not in tools`, 'invalid_request_error', 'tool_choice');
      // Forcing a function: its call is begun in the prompt, so the model can only fill in the arguments.
      prefix = `<tool_call>\n{"name": ${JSON.stringify(choice.function.name)}, "arguments": `;
    } else if (choice === 'required') {
      if (tools.length === 0) throw new HttpError(400, 'tool_choice "required" needs tools', 'invalid_request_error', 'tool_choice');
      prefix = '<tool_call>\n';
    }
    const prompt = Int32Array.from(tokenizer.encode(renderChat(messages, tools, true) + prefix));
    const n = r.n ?? 1;
    const top = r.logprobs ? r.top_logprobs ?? 0 : 0;
    const baseSeed = r.seed ?? randomBytes(4).readUInt32LE(0);
    const requested = r.max_completion_tokens ?? r.max_tokens;
    const opts = Array.from({ length: n }, (_, j) => sampling(r, prompt.length, requested, top, j, baseSeed));
    const sequences = await batcher.run(Array.from({ length: n }, () => prompt), opts);
    const stops = r.stop == null ? [] : typeof r.stop === 'string' ? [r.stop] : r.stop;
    let completionTokens = 0;
    const choices = sequences.map((seq, index) => {
      completionTokens += seq.tokens.length;
      const c = choiceFromSequence(tokenizer, stopTokens, seq, { stops, prefix });
      const calls = tools.length > 0 && c.toolCalls.ok ? c.toolCalls.calls : [];
      const message: Record<string, unknown> = { role: 'assistant', content: calls.length > 0 ? (c.toolCalls.content === '' ? null : c.toolCalls.content) : c.text };
      if (calls.length > 0) {
        message['tool_calls'] = calls.map((call) => ({ id: `call_${randomBytes(12).toString('hex')}`, type: 'function', function: { name: call.name, arguments: stringifyJson(call.arguments) } }));
      }
      const finish = c.finishReason === 'tool_calls' && calls.length === 0 ? 'stop' : c.finishReason;
      return {
        index,
        message,
        logprobs: r.logprobs ? { content: chatLogprobs(tokenizer, seq, stopTokens) } : null,
        finish_reason: finish,
      };
    });
    return {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: modelId,
      choices,
      usage: { prompt_tokens: prompt.length, completion_tokens: completionTokens, total_tokens: prompt.length + completionTokens },
    };
  }

  async function completion(body: unknown): Promise<unknown> {
    const parsed = CompletionRequestSchema.safeParse(body);
    if (!parsed.success) throw zodToHttp(parsed.error);
    const r: CompletionRequest = parsed.data;
    if (r.model !== undefined && r.model !== modelId) throw new HttpError(404, `model "${r.model}" does not exist; this server serves "${modelId}"`, 'invalid_request_error', 'model', 'model_not_found');
    const texts = typeof r.prompt === 'string' ? [r.prompt] : r.prompt;
    const n = r.n ?? 1;
    const baseSeed = r.seed ?? randomBytes(4).readUInt32LE(0);
    const prompts: Int32Array[] = [];
    const opts: SamplingOptions[] = [];
    let promptTokens = 0;
    texts.forEach((text) => {
      const ids = Int32Array.from(tokenizer.encode(text));
      promptTokens += ids.length;
      for (let j = 0; j < n; j++) {
        prompts.push(ids);
        opts.push(sampling(r, ids.length, r.max_tokens ?? 16, r.logprobs ?? 0, prompts.length - 1, baseSeed));
      }
    });
    const sequences = await batcher.run(prompts, opts);
    const stops = r.stop == null ? [] : typeof r.stop === 'string' ? [r.stop] : r.stop;
    let completionTokens = 0;
    const choices = sequences.map((seq, index) => {
      completionTokens += seq.tokens.length;
      const c = choiceFromSequence(tokenizer, stopTokens, seq, { stops });
      return {
        index,
        text: c.text,
        logprobs: r.logprobs == null ? null : legacyLogprobs(tokenizer, seq, stopTokens),
        finish_reason: seq.finishReason === 'length' ? 'length' : 'stop',
      };
    });
    return {
      id: `cmpl-${randomBytes(12).toString('hex')}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: modelId,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
  }

  async function route(req: IncomingMessage): Promise<unknown> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw new HttpError(401, 'missing or wrong API key (send "Authorization: Bearer <key>")', 'invalid_request_error', null, 'invalid_api_key');
    }
    if (path === '/v1/models' || path === '/models') {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET');
      return { object: 'list', data: [{ id: modelId, object: 'model', created, owned_by: 'looptool', max_model_len: context }] };
    }
    if (path === '/v1/chat/completions' || path === '/v1/completions') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      const body = await readBody(req, maxBody);
      return path === '/v1/chat/completions' ? chatCompletion(body) : completion(body);
    }
    throw new HttpError(404, `no route ${req.method} ${path}`, 'invalid_request_error', null, 'not_found');
  }

  return createServer((req, res) => {
    route(req).then(
      (body) => send(res, 200, body),
      (e: unknown) => {
        if (e instanceof HttpError) {
          send(res, e.status, { error: { message: e.message, type: e.type, param: e.param, code: e.code } });
        } else {
          send(res, 500, { error: { message: e instanceof Error ? e.message : String(e), type: 'server_error', param: null, code: null } });
        }
      },
    );
  });
}

function generatedTokens(seq: GeneratedSequence, stopTokens: readonly number[]): number {
  return seq.finishReason === 'stop' && stopTokens.includes(seq.tokens.at(-1)!) ? seq.tokens.length - 1 : seq.tokens.length;
}

function chatLogprobs(tokenizer: Tokenizer, seq: GeneratedSequence, stopTokens: readonly number[]): unknown[] {
  const count = generatedTokens(seq, stopTokens);
  return seq.tokens.slice(0, count).map((token, i) => ({
    ...tokenInfo(tokenizer, token, seq.logprobs[i]!),
    top_logprobs: (seq.topLogprobs?.[i] ?? []).map((alt: TokenAlternative) => tokenInfo(tokenizer, alt.token, alt.logprob)),
  }));
}

function legacyLogprobs(tokenizer: Tokenizer, seq: GeneratedSequence, stopTokens: readonly number[]): unknown {
  const count = generatedTokens(seq, stopTokens);
  const tokens = seq.tokens.slice(0, count).map((t) => tokenizer.decode([t]));
  const offsets: number[] = [];
  let at = 0;
  for (const t of tokens) {
    offsets.push(at);
    at += t.length;
  }
  return {
    tokens,
    token_logprobs: seq.logprobs.slice(0, count),
    top_logprobs: (seq.topLogprobs ?? []).slice(0, count).map((alts) => Object.fromEntries(alts.map((a) => [tokenizer.decode([a.token]), a.logprob]))),
    text_offset: offsets,
  };
}
