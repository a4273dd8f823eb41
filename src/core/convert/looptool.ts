/**
 * LoopTool training records `{instruction, input, output}`, laid out as the LoopTool
 * release's conversion script writes them for Qwen: the system instruction, then a
 * tools section with one `json.dumps(tool)` per line inside `<tools>`, the dialogue
 * history as ChatML turns (tool results folded into a user turn of `<tool_response>`
 * blocks), and the output as `<tool_call>` blocks (or the text reply).
 *
 * Rendering is byte-exact given the same instruction text: JSON goes through Python's
 * `json.dumps` defaults (`dumpJson`). The release's own instruction sentences are not
 * shipped here; pass them as `instruction` to reproduce its records exactly.
 */
import { dumpJson, tryParseJson } from '../json.ts';
import type { Label, Message, Sample, Tool, ToolCall } from '../types.ts';
import { seedProvenance } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';

export interface LoopToolRecord {
  instruction: string;
  input: string;
  output: string;
}

/** looptool's own wording of the task instruction (the default when none is given). */
export const DEFAULT_INSTRUCTION =
  'You are a careful assistant that solves tasks by calling functions. Read the available functions and the conversation, then call the right functions with arguments taken from the conversation.\n' +
  'If no function fits, say so. If a required argument is missing, ask for it. When the tool results answer the request, reply with a short summary in plain text.';

// The tools section follows the Qwen2.5 chat format's wording (Apache-2.0), which the
// records use verbatim: it is part of the format the models are trained on.
const TOOLS_HEADER = '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>';
const TOOLS_FOOTER =
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>.';

/** A tool as the record lists it: name, description, parameters, in that key order. */
function toolJson(tool: Tool): ValueObject {
  return tool.description === undefined ? { name: tool.name, parameters: tool.parameters } : { name: tool.name, description: tool.description, parameters: tool.parameters };
}

// Tools are values that are never changed once made, and a data set repeats the same tool
// objects thousands of times, so each one's JSON line is rendered once.
const TOOL_LINES = new WeakMap<object, string>();

function toolLine(t: Tool | ValueObject): string {
  let line = TOOL_LINES.get(t);
  if (line === undefined) {
    line = dumpJson(isTool(t) ? toolJson(t) : t);
    TOOL_LINES.set(t, line);
  }
  return line;
}

/** The system instruction with the tools section. `tools` may be raw dicts, to keep their key order. */
export function renderLoopToolInstruction(tools: readonly (Tool | ValueObject)[], date: string, instruction = DEFAULT_INSTRUCTION): string {
  let out = `${instruction}\n\nThe current time is ${date}.\n${TOOLS_HEADER}`;
  for (const t of tools) out += `\n${toolLine(t)}`;
  return out + TOOLS_FOOTER;
}

function isTool(t: Tool | ValueObject): t is Tool {
  return typeof t['name'] === 'string' && isPlainObject(t['parameters']) && Object.keys(t).every((k) => k === 'name' || k === 'description' || k === 'parameters');
}

/** Calls as `<tool_call>\n{json.dumps({"name", "arguments"})}\n</tool_call>`, one per line. */
export function renderLoopToolCalls(calls: readonly ToolCall[]): string {
  return calls.map((c) => `<tool_call>\n${dumpJson({ name: c.name, arguments: c.arguments })}\n</tool_call>`).join('\n');
}

export function renderLoopToolOutput(label: Label): string {
  return label.kind === 'calls' ? renderLoopToolCalls(label.calls) : label.text;
}

/** The history as ChatML turns without the leading `<|im_start|>user\n` and the final `<|im_end|>\n`. */
export function renderLoopToolInput(messages: readonly Message[]): string {
  let out = '';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'system') continue;
    if (m.role === 'user') out += `<|im_start|>user\n${m.content.trim()}<|im_end|>\n`;
    else if (m.role === 'assistant') {
      const content = m.toolCalls && m.toolCalls.length > 0 ? renderLoopToolCalls(m.toolCalls) : (m.content ?? '').trim();
      out += `<|im_start|>assistant\n${content}<|im_end|>\n`;
    } else {
      let block = '';
      while (i < messages.length && messages[i]!.role === 'tool') {
        block += `<tool_response>\n${messages[i]!.content}\n</tool_response>\n`;
        i++;
      }
      i--;
      out += `<|im_start|>user\n${block.trimEnd()}<|im_end|>\n`;
    }
  }
  const head = '<|im_start|>user\n';
  const tail = '<|im_end|>\n';
  if (out.startsWith(head)) out = out.slice(head.length);
  if (out.endsWith(tail)) out = out.slice(0, -tail.length);
  return out;
}

/** A Sample as a LoopTool record. The date and instruction come from `meta` when the sample carries them. */
export function sampleToLoopTool(sample: Sample, options: { instruction?: string; date?: string } = {}): LoopToolRecord {
  const meta = sample.meta ?? {};
  const date = options.date ?? (typeof meta['date'] === 'string' ? meta['date'] : 'Unknown');
  const instruction = options.instruction ?? (typeof meta['instruction'] === 'string' ? meta['instruction'] : DEFAULT_INSTRUCTION);
  const rawTools = Array.isArray(meta['rawTools']) ? (meta['rawTools'].filter(isPlainObject) as ValueObject[]) : undefined;
  return {
    instruction: renderLoopToolInstruction(rawTools ?? sample.tools, date, instruction),
    input: renderLoopToolInput(sample.messages),
    output: renderLoopToolOutput(sample.label),
  };
}

export class FormatError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

const CALL_BLOCK = /<tool_call>\n([\s\S]*?)\n<\/tool_call>/g;

function parseCallBlocks(text: string, field: string): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const m of text.matchAll(CALL_BLOCK)) {
    const parsed = tryParseJson(m[1]!);
    if (!parsed.ok || !isPlainObject(parsed.value) || typeof parsed.value['name'] !== 'string' || !isPlainObject(parsed.value['arguments'])) {
      throw new FormatError(field, `a <tool_call> block is not {"name", "arguments"} JSON: ${m[1]!.slice(0, 80)}`);
    }
    calls.push({ name: parsed.value['name'], arguments: parsed.value['arguments'] });
  }
  return calls;
}

/** Reads a LoopTool record back into a Sample (tools, date and instruction from the instruction text). */
export function loopToolToSample(record: LoopToolRecord, id: string, origin?: string): Sample {
  // The block is the `<tools>` that starts a line (the header mentions `<tools></tools>` inline first).
  const start = record.instruction.indexOf('\n<tools>');
  const end = start === -1 ? -1 : record.instruction.indexOf('\n</tools>', start);
  if (start === -1 || end === -1) throw new FormatError('instruction', 'has no <tools>…</tools> section');
  const tools: Tool[] = [];
  const rawTools: ValueObject[] = [];
  for (const line of record.instruction.slice(start + 8, end).split('\n')) {
    if (line.trim() === '') continue;
    const parsed = tryParseJson(line);
    if (!parsed.ok || !isPlainObject(parsed.value) || typeof parsed.value['name'] !== 'string') throw new FormatError('instruction', `a line in <tools> is not a tool JSON object: ${line.slice(0, 80)}`);
    const t = parsed.value;
    rawTools.push(t);
    tools.push({ name: t['name'] as string, ...(typeof t['description'] === 'string' ? { description: t['description'] } : {}), parameters: isPlainObject(t['parameters']) ? t['parameters'] : {} });
  }
  const dateMatch = /\n\nThe current time is (.*)\.\n# Tools\n/.exec(record.instruction);
  const instruction = dateMatch ? record.instruction.slice(0, dateMatch.index) : record.instruction.slice(0, start + 1);
  const messages = parseLoopToolInput(record.input);
  if (messages.length === 0) throw new FormatError('input', 'has no turns');
  const calls = parseCallBlocks(record.output, 'output');
  const label: Label = calls.length > 0 ? { kind: 'calls', calls } : { kind: 'text', text: record.output };
  const meta: Record<string, Value> = { instruction, rawTools };
  if (dateMatch) meta['date'] = dateMatch[1]!;
  return { id, tools, messages, label, provenance: seedProvenance(origin), meta };
}

function parseLoopToolInput(input: string): Message[] {
  const text = `<|im_start|>user\n${input}<|im_end|>\n`;
  const messages: Message[] = [];
  for (const m of text.matchAll(/<\|im_start\|>(user|assistant)\n([\s\S]*?)<\|im_end\|>\n/g)) {
    const role = m[1]!;
    const body = m[2]!;
    if (role === 'assistant') {
      const calls = parseCallBlocks(body, 'input');
      messages.push(calls.length > 0 ? { role: 'assistant', toolCalls: calls } : { role: 'assistant', content: body });
    } else if (body.startsWith('<tool_response>\n')) {
      for (const r of body.matchAll(/<tool_response>\n([\s\S]*?)\n<\/tool_response>/g)) messages.push({ role: 'tool', content: r[1]! });
    } else {
      messages.push({ role: 'user', content: body });
    }
  }
  return messages;
}
