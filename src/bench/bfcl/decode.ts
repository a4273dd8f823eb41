/**
 * Turning a stored BFCL result into decoded calls, per the format the model answered in:
 *
 * - `python` (prompt mode): text such as `[f(a=1), g(b='x')]`, decoded by the official
 *   prompt-mode rules (`decodeBfclPrompt`);
 * - `hermes`: raw text with `<tool_call>\n{json}\n</tool_call>` blocks, decoded as the
 *   official Qwen FC handler does (newlines required, blocks that are not JSON skipped,
 *   any block that is not an object with `name` and an `arguments` object fails the whole
 *   output, no block at all is an empty list);
 * - `openai-fc`: a list of `{name: "json arguments"}` as the official OpenAI FC handler
 *   stores it, or a plain string for a text answer (which does not decode, except `""`).
 *
 * A result that is already a list of `{name: {args}}` objects is taken as decoded, in
 * every format (for `openai-fc`, an arguments object may stand for its JSON string).
 */
import { tryParseJson } from '../../core/json.ts';
import { isPlainObject, pyTypeOf, type Value, type ValueObject } from '../../core/value.ts';
import type { ToolCall } from '../../core/types.ts';
import type { BfclCall, BfclLanguage } from '../../check/bfcl/docs.ts';
import type { BfclDecoded } from '../../check/bfcl/entry.ts';
import { extractHermesBlocks } from '../../toolcall/hermes.ts';
import { pyRepr } from '../../toolcall/pyrepr.ts';
import { decodeBfclPrompt } from './decode-prompt.ts';

export type BfclFormat = 'python' | 'hermes' | 'openai-fc';
export const BFCL_FORMATS: readonly BfclFormat[] = ['python', 'hermes', 'openai-fc'];

/** The prompt-mode decoder's contract (implemented by `decodeBfclPrompt`). */
export type PromptDecoder = (text: string, language: BfclLanguage) => { ok: true; calls: ToolCall[] } | { ok: false; error: string };

function failed(error: string): BfclDecoded {
  return { kind: 'failed', error };
}

/**
 * A list already in the official decoded shape: each item a dict with exactly one key
 * whose value is a dict of arguments. Anything else is the wrong output format.
 */
export function decodedFromList(items: readonly Value[]): BfclDecoded {
  const calls: BfclCall[] = [];
  for (const item of items) {
    const entries = isPlainObject(item) ? Object.entries(item) : [];
    const [name, args] = entries[0] ?? [];
    if (entries.length !== 1 || !isPlainObject(args ?? null)) {
      return { kind: 'wrong_format', detail: `not a list of {name: {arguments}}: item ${pyRepr(item)}` };
    }
    calls.push({ name: name!, arguments: args as ValueObject });
  }
  return { kind: 'calls', calls };
}

/** The official Qwen FC handler's decoding of hermes-style text. */
export function decodeHermes(text: string): BfclDecoded {
  const calls: BfclCall[] = [];
  const blocks = extractHermesBlocks(text, 'official').filter((b) => b.json !== undefined);
  for (const block of blocks) {
    if (!isPlainObject(block.json)) return failed(`a <tool_call> block holds ${pyTypeOf(block.json ?? null)}, not an object`);
  }
  for (const block of blocks) {
    const json = block.json as ValueObject;
    if (!Object.prototype.hasOwnProperty.call(json, 'name')) return failed('a <tool_call> object has no "name"');
    if (!Object.prototype.hasOwnProperty.call(json, 'arguments')) return failed('a <tool_call> object has no "arguments"');
    const name = json['name']!;
    const args = json['arguments']!;
    if (Array.isArray(name) || isPlainObject(name)) return failed(`a tool call name must be hashable, got ${pyTypeOf(name)}`);
    if (!isPlainObject(args)) return failed(`"arguments" is ${pyTypeOf(args)}, not an object`);
    calls.push(typeof name === 'string' ? { name, arguments: args } : { name: pyRepr(name), arguments: args, nameNotString: true });
  }
  return { kind: 'calls', calls };
}

/** The official OpenAI FC handler's decoding of `[{name: "json arguments"}, ...]`. */
export function decodeOpenAiFc(result: Value): BfclDecoded {
  if (typeof result === 'string') {
    // Iterating a string gives characters, which have no keys: only "" gets through, as [].
    return result === '' ? { kind: 'calls', calls: [] } : failed('a text answer, not a list of function calls');
  }
  if (isPlainObject(result)) {
    return Object.keys(result).length === 0 ? { kind: 'calls', calls: [] } : failed('a dict, not a list of function calls');
  }
  if (!Array.isArray(result)) return failed(`${pyTypeOf(result)} is not a list of function calls`);
  const decoded: ValueObject[] = [];
  for (const item of result) {
    if (!isPlainObject(item)) return failed(`a ${pyTypeOf(item)} item, not {name: arguments}`);
    const name = Object.keys(item)[0];
    if (name === undefined) return failed('an empty {} item');
    const raw = item[name]!;
    let args: Value;
    if (typeof raw === 'string') {
      const parsed = tryParseJson(raw);
      if (!parsed.ok) return failed(`arguments of ${name} are not valid JSON: ${parsed.error}`);
      args = parsed.value;
    } else if (isPlainObject(raw)) {
      args = raw;
    } else {
      return failed(`arguments of ${name} must be a JSON string, got ${pyTypeOf(raw)}`);
    }
    const call: ValueObject = {};
    Object.defineProperty(call, name, { value: args, enumerable: true, writable: true, configurable: true });
    decoded.push(call);
  }
  return decodedFromList(decoded);
}

/** Decodes one stored result in the given format; `language` is the category's (python for relevance). */
export function decodeBfclResult(result: Value, format: BfclFormat, language: BfclLanguage, decodePrompt: PromptDecoder = decodeBfclPrompt): BfclDecoded {
  if (format === 'openai-fc') return decodeOpenAiFc(result);
  if (Array.isArray(result)) return decodedFromList(result);
  if (typeof result !== 'string') return failed(`${pyTypeOf(result)} is not model output text`);
  if (format === 'hermes') return decodeHermes(result);
  const decoded = decodePrompt(result, language);
  return decoded.ok ? { kind: 'calls', calls: decoded.calls.map((c) => ({ name: c.name, arguments: c.arguments })) } : failed(decoded.error);
}
