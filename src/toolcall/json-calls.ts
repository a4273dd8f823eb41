/**
 * Tool calls written as plain JSON: one `{name, arguments}` object or a list of them,
 * OpenAI `tool_calls` items (`{function: {name, arguments: "<json>"}}`), optionally in a
 * ```json fence. Prose before or after is tolerated: the first top-level JSON object or
 * array in the text is what is read.
 */
import { tryParseJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';
import { toolCallFromJson } from './hermes.ts';
import { failedParse, parsedCalls, type ToolCallParse } from './result.ts';
import { stripThink } from './think.ts';

/** The span of the first balanced JSON object or array in the text (strings respected), if any. */
export function findJsonSpan(text: string): { start: number; end: number } | undefined {
  const start = text.search(/[[{]/);
  if (start === -1) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { start, end: i + 1 };
    }
  }
  return { start, end: text.length };
}

function callFromItem(item: Value): ToolCall | string {
  if (isPlainObject(item) && isPlainObject(item['function'])) return toolCallFromJson(item['function'], true);
  return toolCallFromJson(item, true);
}

/** Reads JSON-written calls. No JSON at all is `no_calls`; broken JSON is `syntax`; JSON that is not calls is `shape`. */
export function parseJsonToolCalls(text: string): ToolCallParse {
  const answer = stripThink(text);
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(answer);
  const body = fenced ? fenced[1]! : answer;
  const span = findJsonSpan(body);
  if (!span) return failedParse('no_calls', 'no JSON object or array in the text', [], answer.trim());
  const content = (fenced ? answer.replace(fenced[0], '') : body.slice(0, span.start) + body.slice(span.end)).trim();
  const parsed = tryParseJson(body.slice(span.start, span.end));
  if (!parsed.ok) return failedParse('syntax', `not valid JSON: ${parsed.error}`, [], content, span.start);
  const items = Array.isArray(parsed.value) ? parsed.value : isPlainObject(parsed.value) && Array.isArray(parsed.value['tool_calls']) ? parsed.value['tool_calls'] : [parsed.value];
  const calls: ToolCall[] = [];
  for (const item of items) {
    const call = callFromItem(item as Value);
    if (typeof call === 'string') return failedParse('shape', call, calls, content);
    calls.push(call);
  }
  if (calls.length === 0) return failedParse('no_calls', 'an empty list of calls', [], content);
  return parsedCalls(calls, content);
}
