/** A `ChatModel` from a description: an OpenAI-compatible server or an embedded model directory. */
import type { ChatModel } from './chat-model.ts';
import { EngineChatModel, loadEngineModel } from './engine-model.ts';
import { OpenAIChatModel, type PromptMode } from './openai-chat-model.ts';
import type { ResponseCache } from './response-cache.ts';

export interface ModelSpec {
  provider: 'openai' | 'engine';
  baseUrls?: string[];
  model?: string;
  path?: string;
  apiKey?: string;
  mode?: PromptMode;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  extraBody?: Record<string, unknown>;
}

export async function chatModelFor(spec: ModelSpec, cache?: ResponseCache): Promise<ChatModel> {
  if (spec.provider === 'engine') {
    if (!spec.path) throw new Error('an engine model needs a path');
    return new EngineChatModel(await loadEngineModel(spec.path), spec.path);
  }
  if (!spec.baseUrls || spec.baseUrls.length === 0 || !spec.model) throw new Error('an openai model needs baseUrls and model');
  return new OpenAIChatModel({
    baseUrls: spec.baseUrls,
    model: spec.model,
    ...(spec.apiKey !== undefined ? { apiKey: spec.apiKey } : {}),
    ...(spec.mode !== undefined ? { mode: spec.mode } : {}),
    ...(spec.concurrency !== undefined ? { concurrency: spec.concurrency } : {}),
    ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
    ...(spec.maxRetries !== undefined ? { maxRetries: spec.maxRetries } : {}),
    ...(spec.extraBody !== undefined ? { extraBody: spec.extraBody } : {}),
    ...(cache ? { cache } : {}),
  });
}

/** `chatModelFor` that opens each described model once and keeps it (the models it opened are listed, e.g. for usage totals). */
export function modelPool(cache?: ResponseCache): { modelFor(spec: ModelSpec): Promise<ChatModel>; models(): ChatModel[] } {
  const open = new Map<string, ChatModel>();
  return {
    async modelFor(spec) {
      const key = JSON.stringify(spec);
      let m = open.get(key);
      if (!m) open.set(key, (m = await chatModelFor(spec, cache)));
      return m;
    },
    models: () => [...open.values()],
  };
}
