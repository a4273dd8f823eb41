/**
 * Hermes-style tool calls: `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`,
 * the format of Qwen, Hermes and LoopTool's training data.
 */
import { tryParseJson } from '../core/json.ts';
import type { ToolCall } from '../core/types.ts';
import { isPlainObject, type Value } from '../core/value.ts';
import { failedParse, parsedCalls, type ToolCallParse } from './result.ts';
import { stripThink } from './think.ts';

export type HermesMode =
  /**
   * Exactly the official LoopTool reward's extraction: the regex
   * `<tool_call>\n(.*?)\n</tool_call>` (newlines mandatory, non-greedy, across lines),
   * applied to the whole text, `<think>` included.
   */
  | 'official'
  /** Whitespace-tolerant tags, `<think>` ignored, trailing commas repaired, an unclosed last block read to the end. */
  | 'lenient';

export interface HermesBlock {
  /** The text between the tags as the mode extracts it. */
  raw: string;
  /** Offset of `<tool_call>` in the input. */
  start: number;
  /** The block as JSON, or undefined when it is not valid JSON. */
  json: Value | undefined;
  jsonError?: string;
}

const OFFICIAL_BLOCK = /<tool_call>\n([\s\S]*?)\n<\/tool_call>/g;
const LENIENT_BLOCK = /<tool_call>([\s\S]*?)(?:<\/tool_call>|(?=<tool_call>)|$)/g;

/** The `<tool_call>` blocks of a text, each with its JSON when it parses. */
export function extractHermesBlocks(text: string, mode: HermesMode = 'official'): HermesBlock[] {
  const source = mode === 'official' ? text : stripThink(text);
  const pattern = mode === 'official' ? OFFICIAL_BLOCK : LENIENT_BLOCK;
  const blocks: HermesBlock[] = [];
  for (const m of source.matchAll(pattern)) {
    const raw = mode === 'official' ? m[1]! : m[1]!.trim();
    if (mode === 'lenient' && raw === '' && m[0].endsWith('<tool_call>')) continue;
    let parsed = tryParseJson(raw);
    if (!parsed.ok && mode === 'lenient') {
      const repaired = removeTrailingCommas(raw);
      if (repaired !== raw) parsed = tryParseJson(repaired);
    }
    blocks.push(parsed.ok ? { raw, start: m.index, json: parsed.value } : { raw, start: m.index, json: undefined, jsonError: parsed.error });
  }
  return blocks;
}

/**
 * Parses Hermes tool calls into `ToolCall`s. A text without any block is `no_calls`; a
 * block that is not JSON is `syntax`; a block without a string `name` or whose
 * `arguments` is not an object is `shape`.
 */
export function parseHermesToolCalls(text: string, options: { mode?: HermesMode } = {}): ToolCallParse {
  const mode = options.mode ?? 'lenient';
  const blocks = extractHermesBlocks(text, mode);
  const content = hermesContent(text, mode);
  if (blocks.length === 0) return failedParse('no_calls', 'no <tool_call> block', [], content);
  const calls: ToolCall[] = [];
  for (const block of blocks) {
    if (block.json === undefined) {
      return failedParse('syntax', `tool call is not valid JSON: ${block.jsonError ?? ''}`.trim(), calls, content, block.start);
    }
    const call = toolCallFromJson(block.json, mode === 'lenient');
    if (typeof call === 'string') return failedParse('shape', call, calls, content, block.start);
    calls.push(call);
  }
  return parsedCalls(calls, content);
}

/**
 * Reads `{"name": …, "arguments": {…}}`. Lenient reading also takes `parameters` for
 * `arguments`, arguments given as a JSON string, and a missing `arguments` as `{}`.
 * Returns an error message when the shape is wrong.
 */
export function toolCallFromJson(json: Value, lenient: boolean): ToolCall | string {
  if (!isPlainObject(json)) return 'tool call is not a JSON object';
  const name = json['name'];
  if (typeof name !== 'string' || name === '') return 'tool call has no "name" string';
  let args: Value | undefined = json['arguments'];
  if (lenient) {
    if (args === undefined) args = json['parameters'] ?? {};
    if (typeof args === 'string') {
      const inner = tryParseJson(args);
      if (inner.ok) args = inner.value;
    }
  }
  if (!isPlainObject(args)) return `tool call "${name}" has no "arguments" object`;
  return { name, arguments: args };
}

function hermesContent(text: string, mode: HermesMode): string {
  const source = mode === 'official' ? text : stripThink(text);
  return source.replace(mode === 'official' ? OFFICIAL_BLOCK : LENIENT_BLOCK, '').trim();
}

/** Removes commas that stand right before a closing bracket, outside strings. */
export function removeTrailingCommas(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (inString) {
      out += c;
      if (c === '\\' && i + 1 < json.length) out += json[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      let j = i + 1;
      while (j < json.length && /\s/.test(json[j]!)) j++;
      if (json[j] === '}' || json[j] === ']') continue;
    }
    out += c;
  }
  return out;
}
