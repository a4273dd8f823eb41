/**
 * The embedded model's chat format: ChatML turns with Hermes-style tools, rendered here
 * in TypeScript and, identically, by the Jinja template stored in the checkpoint's
 * `tokenizer_config.json` — so 🤗 `apply_chat_template`, vLLM and llama.cpp give the
 * model exactly the prompts looptool trained it on.
 */
import { dumpJson } from '../core/json.ts';
import type { Message, Tool, ToolCall } from '../core/types.ts';
import type { Value } from '../core/value.ts';

const TOOLS_INTRO = '# Tools\n\nFunctions you can call are listed inside <tools></tools>, one JSON signature per line:\n<tools>';
const TOOLS_OUTRO =
  '\n</tools>\n\nTo call functions, write one <tool_call></tool_call> block per call, each holding a JSON object with the function name and its arguments:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

// Jinja's `tojson` in 🤗 transformers is json.dumps with ensure_ascii=False.
function tojson(v: Value): string {
  return dumpJson(v, { ensureAscii: false });
}

function toolSignature(tool: Tool): string {
  const fn: Record<string, Value> = { name: tool.name };
  if (tool.description !== undefined) fn['description'] = tool.description;
  fn['parameters'] = tool.parameters;
  return tojson({ type: 'function', function: fn });
}

function renderCall(call: ToolCall): string {
  return `<tool_call>\n{"name": ${tojson(call.name)}, "arguments": ${tojson(call.arguments)}}\n</tool_call>`;
}

/** The assistant turn's text for given content and calls (what the model should generate). */
export function renderAssistantTurn(content: string | undefined, calls: readonly ToolCall[] = []): string {
  let out = content ?? '';
  for (const call of calls) out += (out === '' ? '' : '\n') + renderCall(call);
  return out;
}

/**
 * Renders a conversation into the prompt text. With `addGenerationPrompt` the text ends
 * with an open assistant turn, ready for generation.
 */
export function renderChat(messages: readonly Message[], tools: readonly Tool[], addGenerationPrompt: boolean): string {
  let out = '';
  let start = 0;
  const first = messages[0];
  const system = first?.role === 'system' ? first.content : undefined;
  if (system !== undefined) start = 1;
  if (tools.length > 0) {
    out += '<|im_start|>system\n' + (system === undefined ? '' : system + '\n\n') + TOOLS_INTRO;
    for (const tool of tools) out += '\n' + toolSignature(tool);
    out += TOOLS_OUTRO + '<|im_end|>\n';
  } else if (system !== undefined) {
    out += `<|im_start|>system\n${system}<|im_end|>\n`;
  }
  for (let i = start; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'tool') {
      // Consecutive tool results share one user turn, one <tool_response> block each.
      if (messages[i - 1]?.role !== 'tool') out += '<|im_start|>user';
      out += `\n<tool_response>\n${m.content}\n</tool_response>`;
      if (messages[i + 1]?.role !== 'tool') out += '<|im_end|>\n';
    } else if (m.role === 'assistant') {
      out += `<|im_start|>assistant\n${renderAssistantTurn(m.content, m.toolCalls)}<|im_end|>\n`;
    } else {
      out += `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`;
    }
  }
  if (addGenerationPrompt) out += '<|im_start|>assistant\n';
  return out;
}

/**
 * The same format as a Jinja chat template for `tokenizer_config.json`. Messages use
 * 🤗's shape: assistant `tool_calls` items are `{type, function: {name, arguments}}`
 * (or `{name, arguments}`), tool results have role `tool`.
 */
export const CHAT_TEMPLATE_JINJA = [
  "{%- set ns = namespace(start=0) -%}",
  "{%- if messages and messages[0]['role'] == 'system' -%}{%- set ns.start = 1 -%}{%- endif -%}",
  '{%- if tools -%}',
  "{{- '<|im_start|>system\\n' -}}",
  "{%- if ns.start == 1 -%}{{- messages[0]['content'] + '\\n\\n' -}}{%- endif -%}",
  `{{- ${jinjaString(TOOLS_INTRO)} -}}`,
  "{%- for tool in tools -%}{{- '\\n' + (tool | tojson) -}}{%- endfor -%}",
  `{{- ${jinjaString(TOOLS_OUTRO)} + '<|im_end|>\\n' -}}`,
  '{%- elif ns.start == 1 -%}',
  "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' -}}",
  '{%- endif -%}',
  '{%- for message in messages[ns.start:] -%}',
  '{%- set i = loop.index0 + ns.start -%}',
  "{%- if message['role'] == 'tool' -%}",
  "{%- if i == 0 or messages[i - 1]['role'] != 'tool' -%}{{- '<|im_start|>user' -}}{%- endif -%}",
  "{{- '\\n<tool_response>\\n' + message['content'] + '\\n</tool_response>' -}}",
  "{%- if loop.last or messages[i + 1]['role'] != 'tool' -%}{{- '<|im_end|>\\n' -}}{%- endif -%}",
  "{%- elif message['role'] == 'assistant' -%}",
  "{%- set text = message['content'] if message['content'] else '' -%}",
  "{{- '<|im_start|>assistant\\n' + text -}}",
  '{%- set ns2 = namespace(any=(text != \'\')) -%}',
  "{%- for call in (message['tool_calls'] or []) -%}",
  "{%- set fn = call['function'] if call['function'] is defined else call -%}",
  "{%- if ns2.any -%}{{- '\\n' -}}{%- endif -%}",
  "{{- '<tool_call>\\n{\"name\": ' + (fn['name'] | tojson) + ', \"arguments\": ' + (fn['arguments'] | tojson) + '}\\n</tool_call>' -}}",
  '{%- set ns2.any = true -%}',
  '{%- endfor -%}',
  "{{- '<|im_end|>\\n' -}}",
  '{%- else -%}',
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}",
  '{%- endif -%}',
  '{%- endfor -%}',
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}",
].join('');

function jinjaString(text: string): string {
  return "'" + text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
}

/** A message list in 🤗's chat format (what `apply_chat_template` takes), from ours. */
export function toHfMessages(messages: readonly Message[]): Array<Record<string, Value>> {
  return messages.map((m): Record<string, Value> => {
    if (m.role === 'assistant') {
      const out: Record<string, Value> = { role: 'assistant', content: m.content ?? '' };
      if (m.toolCalls && m.toolCalls.length > 0) {
        out['tool_calls'] = m.toolCalls.map((c) => ({ type: 'function', function: { name: c.name, arguments: c.arguments } }));
      }
      return out;
    }
    return { role: m.role, content: m.content };
  });
}

/** Tools in 🤗/OpenAI's `{type: 'function', function}` shape. */
export function toHfTools(tools: readonly Tool[]): Array<Record<string, Value>> {
  return tools.map((t) => {
    const fn: Record<string, Value> = { name: t.name };
    if (t.description !== undefined) fn['description'] = t.description;
    fn['parameters'] = t.parameters;
    return { type: 'function', function: fn };
  });
}
