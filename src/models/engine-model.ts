/**
 * The embedded engine behind the `ChatModel` interface, and its model directory: a 🤗
 * checkpoint plus the tokenizer files with the chat template, so the same directory
 * loads in looptool, transformers, TRL or vLLM.
 */
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from '../engine/checkpoint.ts';
import type { LlamaConfig } from '../engine/config.ts';
import { generate, scoreContinuation, type GeneratedSequence } from '../engine/generate.ts';
import { createModel, type Model } from '../engine/model.ts';
import { loadTokenizer, tokenizerConfigJson, tokenizerToJson, type Tokenizer } from '../engine/tokenizer/index.ts';
import { parseHermesToolCalls } from '../toolcall/hermes.ts';
import type { Label } from '../core/types.ts';
import { CHAT_TEMPLATE_JINJA, renderAssistantTurn, renderChat } from './chat-template.ts';
import type { ChatChoice, ChatModel, ChatRequest, ChatResponse, GenerateOptions } from './chat-model.ts';

export const END_OF_TURN = '<|im_end|>';
export const END_OF_TEXT = '<|endoftext|>';
const TOOL_CALL_OPEN = '<tool_call>';

export interface EngineBundle {
  model: Model;
  tokenizer: Tokenizer;
}

/** Writes weights, config, tokenizer and chat template as one model directory (atomically, as a whole). */
/** `extraFiles` go into the same atomic write (a trainer's optimizer state, for example). */
export async function saveEngineModel(dir: string, config: LlamaConfig, params: Float32Array, tokenizer: Tokenizer, extraFiles: Record<string, string | Uint8Array> = {}): Promise<void> {
  if (tokenizer.vocabSize > config.vocabSize) throw new Error(`the tokenizer has ${tokenizer.vocabSize} ids but the model only ${config.vocabSize}`);
  const tokenizerConfig = tokenizerConfigJson(tokenizer, { chatTemplate: CHAT_TEMPLATE_JINJA, modelMaxLength: config.maxPositions });
  await saveCheckpoint(dir, {
    config,
    params,
    special: { eos: tokenizer.addedTokenId(END_OF_TURN), pad: tokenizer.addedTokenId(END_OF_TEXT) },
    files: {
      'tokenizer.json': `${JSON.stringify(tokenizerToJson(tokenizer), null, 2)}\n`,
      'tokenizer_config.json': `${JSON.stringify(tokenizerConfig, null, 2)}\n`,
      'generation_config.json': `${JSON.stringify({ eos_token_id: [tokenizer.addedTokenId(END_OF_TURN), tokenizer.addedTokenId(END_OF_TEXT)], pad_token_id: tokenizer.addedTokenId(END_OF_TEXT) }, null, 2)}\n`,
      ...extraFiles,
    },
  });
}

export async function loadEngineModel(dir: string): Promise<EngineBundle> {
  const { config, params } = await loadCheckpoint(dir);
  const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
  return { model: createModel(config, params), tokenizer };
}

/** Renders and tokenizes a request exactly as the model was trained to see it. */
export function encodeChatPrompt(tokenizer: Tokenizer, request: ChatRequest): Int32Array {
  return Int32Array.from(tokenizer.encode(renderChat(request.messages, request.tools, true)));
}

export class EngineChatModel implements ChatModel {
  readonly id: string;
  private readonly stopTokens: number[];

  constructor(
    private readonly bundle: EngineBundle,
    id = 'looptool-engine',
  ) {
    this.id = id;
    this.stopTokens = [bundle.tokenizer.addedTokenId(END_OF_TURN), bundle.tokenizer.addedTokenId(END_OF_TEXT)];
  }

  get tokenizer(): Tokenizer {
    return this.bundle.tokenizer;
  }

  async generate(requests: ChatRequest[], options: GenerateOptions = {}): Promise<ChatResponse[]> {
    const prompts = requests.map((r) => encodeChatPrompt(this.bundle.tokenizer, r));
    const { choices, latencyMs } = this.complete(prompts, options);
    const perRequest = Math.max(1, options.n ?? 1);
    return requests.map((_, i) => ({
      choices: choices.slice(i * perRequest, (i + 1) * perRequest),
      promptTokens: prompts[i]!.length,
      latencyMs,
    }));
  }

  /**
   * Generates `n` completions for each token prompt, all decoded together. Returns the
   * choices request by request (n per prompt) and the wall time.
   */
  complete(prompts: readonly Int32Array[], options: GenerateOptions = {}): { choices: ChatChoice[]; latencyMs: number } {
    options.signal?.throwIfAborted();
    const started = performance.now();
    const n = Math.max(1, options.n ?? 1);
    const expanded = prompts.flatMap((p) => Array.from({ length: n }, () => p));
    const limit = options.maxTokens ?? 256;
    const stops = options.stop ?? [];
    const tokenizer = this.bundle.tokenizer;
    // Each prompt gets the room its own length leaves: one long prompt must not cut the others' answers short.
    const room = expanded.map((p) => Math.max(0, Math.min(limit, this.bundle.model.config.maxPositions - p.length)));
    const fits = expanded.map((_, i) => i).filter((i) => room[i]! > 0);
    const sampling = {
      temperature: options.temperature ?? 1,
      topP: options.topP ?? 1,
      topK: options.topK ?? 0,
      stopTokens: this.stopTokens,
      seed: options.seed ?? 0,
      ...(stops.length === 0 ? {} : { shouldStop: (_seq: number, tokens: readonly number[]) => endsWithStop(tokenizer.decode(tokens.slice(-32)), stops) }),
    };
    const generated =
      fits.length === 0
        ? []
        : generate(
            this.bundle.model,
            fits.map((i) => expanded[i]!),
            // the seed per sequence as the shared-options form gives it (seed + index), so answers are the same as before
            fits.map((i) => ({ ...sampling, seed: sampling.seed + i, maxTokens: room[i]! })),
          );
    const sequences: GeneratedSequence[] = expanded.map((): GeneratedSequence => ({ tokens: [], logprobs: [], finishReason: 'length' }));
    fits.forEach((i, j) => (sequences[i] = generated[j]!));
    const choices = sequences.map((seq) => this.toChoice(seq, stops, options.logprobs === true));
    return { choices, latencyMs: performance.now() - started };
  }

  async labelLogprob(request: ChatRequest, label: Label): Promise<number> {
    if (label.kind === 'text') {
      // any text reply earns a text label: what matters is not opening with a tool call
      const [call] = this.scoreContinuation(request, TOOL_CALL_OPEN);
      return Math.log(Math.max(Number.MIN_VALUE, -Math.expm1(call!)));
    }
    return this.scoreContinuation(request, renderAssistantTurn(undefined, label.calls) + END_OF_TURN).reduce((a, b) => a + b, 0);
  }

  /** Teacher-forced log-probabilities of `continuation` (text) after the rendered request. */
  scoreContinuation(request: ChatRequest, continuation: string): number[] {
    const prompt = encodeChatPrompt(this.bundle.tokenizer, request);
    return scoreContinuation(this.bundle.model, prompt, Int32Array.from(this.bundle.tokenizer.encode(continuation)));
  }

  private toChoice(seq: GeneratedSequence, stops: readonly string[], withLogprobs: boolean): ChatChoice {
    return choiceFromSequence(this.bundle.tokenizer, this.stopTokens, seq, { stops, withLogprobs });
  }
}

/**
 * Turns generated tokens into a chat choice: the end-of-turn token dropped, text cut at
 * the first stop string, `prefix` (text forced into the prompt) put back in front, and
 * tool calls read from it.
 */
export function choiceFromSequence(
  tokenizer: Tokenizer,
  stopTokens: readonly number[],
  seq: GeneratedSequence,
  options: { stops?: readonly string[]; withLogprobs?: boolean; prefix?: string } = {},
): ChatChoice {
  const stoppedOnToken = seq.finishReason === 'stop' && stopTokens.includes(seq.tokens.at(-1)!);
  const kept = stoppedOnToken ? seq.tokens.slice(0, -1) : seq.tokens;
  let text = (options.prefix ?? '') + tokenizer.decode(kept);
  for (const s of options.stops ?? []) {
    const at = s === '' ? -1 : text.indexOf(s);
    if (at !== -1) text = text.slice(0, at);
  }
  const toolCalls = parseHermesToolCalls(text, { mode: 'lenient' });
  const finishReason = seq.finishReason === 'length' ? 'length' : toolCalls.ok ? 'tool_calls' : 'stop';
  const choice: ChatChoice = { text, toolCalls, completionTokens: seq.tokens.length, finishReason };
  if (options.withLogprobs) choice.tokenLogprobs = seq.logprobs;
  return choice;
}

function endsWithStop(tail: string, stops: readonly string[]): boolean {
  return stops.some((s) => s !== '' && tail.includes(s));
}
