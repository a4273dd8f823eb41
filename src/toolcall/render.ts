/** Writing calls back out in each format the parsers read. */
import { renderLoopToolCalls } from '../core/convert/looptool.ts';
import { dumpJson, stringifyJson, tryParseJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { isPlainObject } from '../core/value.ts';

/** Hermes blocks exactly as LoopTool's data writes them: `<tool_call>\n{json.dumps(...)}\n</tool_call>` joined by newlines. */
export const renderHermesToolCalls: (calls: readonly ToolCall[]) => string = renderLoopToolCalls;

/** A JSON list of `{"name", "arguments"}` objects (Python json.dumps layout). */
export function renderJsonToolCalls(calls: readonly ToolCall[]): string {
  return dumpJson(calls.map((c) => ({ name: c.name, arguments: c.arguments })));
}

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** OpenAI `tool_calls` items; arguments become JSON strings (floats stay floats: `5.0`). */
export function toOpenAIToolCalls(calls: readonly ToolCall[], idPrefix = 'call_'): OpenAIToolCall[] {
  return calls.map((c, i) => ({ id: `${idPrefix}${i}`, type: 'function', function: { name: c.name, arguments: stringifyJson(c.arguments) } }));
}

/** OpenAI `tool_calls` items back to calls; an item whose arguments are not a JSON object gives an error message instead. */
export function fromOpenAIToolCalls(items: readonly OpenAIToolCall[]): ToolCall[] | string {
  const out: ToolCall[] = [];
  for (const [i, item] of items.entries()) {
    const parsed = tryParseJson(item.function.arguments);
    if (!parsed.ok || !isPlainObject(parsed.value)) return `tool_calls[${i}].function.arguments is not a JSON object`;
    out.push({ name: item.function.name, arguments: parsed.value });
  }
  return out;
}
