/** The simulated Tool over a `ChatModel`: one result per call, read from the JSON list the model wrote. */
import { tryParseJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { stripThink } from '../toolcall/think.ts';
import { toolPrompt } from './prompts/tool-prompt.ts';
import type { LlmRoleOptions, RoleResult, ToolInput, ToolOutcome, ToolRole } from './roles.ts';

/** The JSON list in a reply (code fences and prose around it allowed), matched to the calls in order. */
export function parseToolResults(text: string, calls: readonly ToolCall[]): RoleResult<ToolOutcome[]> {
  const body = stripThink(text);
  const from = body.search(/[[{]/);
  const to = Math.max(body.lastIndexOf(']'), body.lastIndexOf('}'));
  if (from < 0 || to < from) return { ok: false, error: 'the tool reply holds no JSON' };
  const parsed = tryParseJson(body.slice(from, to + 1));
  if (!parsed.ok) return { ok: false, error: `the tool reply is not JSON: ${parsed.error}` };
  const list: Value[] = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (list.length !== calls.length) return { ok: false, error: `${list.length} results for ${calls.length} calls` };
  const out: ToolOutcome[] = [];
  for (const [i, item] of list.entries()) {
    const call = calls[i]!;
    if (!isPlainObject(item)) return { ok: false, error: `result ${i + 1} is not an object` };
    if (typeof item['name'] === 'string' && item['name'] !== call.name) return { ok: false, error: `result ${i + 1} is for ${item['name']}, the call was ${call.name}` };
    const result = item['result'] ?? item['results'] ?? (item['error'] !== undefined ? { error: item['error']! } : undefined);
    if (result === undefined) return { ok: false, error: `result ${i + 1} has no "result"` };
    out.push({ name: call.name, result });
  }
  return { ok: true, value: out };
}

export class LlmTool implements ToolRole {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmRoleOptions = {},
  ) {
    this.name = `llm:${model.id}`;
  }

  async run(input: ToolInput): Promise<RoleResult<ToolOutcome[]>> {
    const [r] = await this.model.generate([{ messages: toolPrompt(input.tools, input.calls), tools: [] }], {
      temperature: this.options.temperature ?? 0.7,
      maxTokens: this.options.maxTokens ?? 512,
      seed: input.seed,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return parseToolResults(r?.choices[0]?.text ?? '', input.calls);
  }
}
