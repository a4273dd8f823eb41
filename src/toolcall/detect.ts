/** One entry point for model text in any of the call formats. */
import { parseHermesToolCalls } from './hermes.ts';
import { parseJsonToolCalls } from './json-calls.ts';
import { parsePythonToolCalls } from './python.ts';
import type { ToolCallParse } from './result.ts';
import { stripThink } from './think.ts';

export type ToolCallFormat = 'auto' | 'hermes' | 'python' | 'json';

/** Which format a reply is written in, judged from its text (reasoning ignored). */
export function detectToolCallFormat(text: string): Exclude<ToolCallFormat, 'auto'> | undefined {
  const answer = stripThink(text).trim();
  if (answer.includes('<tool_call>')) return 'hermes';
  const body = answer.replace(/^```[a-z]*\s*\n?/i, '').trimStart();
  if (/^\[?\s*[A-Za-z_][\w.]*\s*\(/.test(body)) return 'python';
  if (/^[[{]/.test(body) || /```json/i.test(answer)) return 'json';
  return undefined;
}

/** Parses tool calls in the given format, or the detected one; a reply in no known format is `no_calls`. */
export function parseToolCalls(text: string, options: { format?: ToolCallFormat } = {}): ToolCallParse {
  const format = options.format && options.format !== 'auto' ? options.format : detectToolCallFormat(text);
  switch (format) {
    case 'hermes':
      return parseHermesToolCalls(text, { mode: 'lenient' });
    case 'python':
      return parsePythonToolCalls(text);
    case 'json':
      return parseJsonToolCalls(text);
    default:
      return { ok: false, failure: { kind: 'no_calls', message: 'no tool call in any known format' }, partial: [], content: stripThink(text).trim() };
  }
}
