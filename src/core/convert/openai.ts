/**
 * OpenAI chat format: `{messages, tools}` as in a chat-completions request, assistant
 * `tool_calls` carrying their arguments as a JSON string, `tool` messages for results.
 * The same reading serves files (`looptool convert`) and HTTP bodies (`looptool serve`).
 */
import { stringifyJson, tryParseJson } from '../json.ts';
import type { Message, Sample, Tool, ToolCall } from '../types.ts';
import { seedProvenance } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { FormatError } from './looptool.ts';

export interface OpenAiMessage {
  role: string;
  content?: string | ReadonlyArray<{ type: string; text?: string }> | null;
  tool_calls?: ReadonlyArray<{ id?: string; function: { name: string; arguments: string } }> | null;
  tool_call_id?: string;
  name?: string;
}

function contentText(content: OpenAiMessage['content']): string {
  if (content == null) return '';
  return typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
}

/** One OpenAI message as ours (`developer` counts as `system`); bad tool-call arguments name their field. */
export function messageFromOpenAi(m: OpenAiMessage, field: string): Message {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: contentText(m.content) };
    case 'user':
      return { role: 'user', content: contentText(m.content) };
    case 'tool':
      return { role: 'tool', content: contentText(m.content), ...(m.tool_call_id ? { toolCallId: m.tool_call_id } : {}), ...(m.name ? { name: m.name } : {}) };
    case 'assistant': {
      const calls: ToolCall[] = (m.tool_calls ?? []).map((c, j) => {
        const parsed = tryParseJson(c.function.arguments);
        if (!parsed.ok || !isPlainObject(parsed.value)) throw new FormatError(`${field}.tool_calls[${j}].function.arguments`, 'must be a JSON object encoded as a string');
        return { name: c.function.name, arguments: parsed.value };
      });
      const text = contentText(m.content);
      return { role: 'assistant', ...(text === '' ? {} : { content: text }), ...(calls.length > 0 ? { toolCalls: calls } : {}) };
    }
    default:
      throw new FormatError(`${field}.role`, `unknown role "${m.role}"`);
  }
}

/** Tools in OpenAI's `{type: "function", function}` shape, or plain `{name, parameters}`. */
export function toolFromOpenAi(t: Value, field: string): Tool {
  const fn = isPlainObject(t) && isPlainObject(t['function']) ? t['function'] : t;
  if (!isPlainObject(fn) || typeof fn['name'] !== 'string' || fn['name'] === '') throw new FormatError(field, 'needs a function "name"');
  return { name: fn['name'], ...(typeof fn['description'] === 'string' ? { description: fn['description'] } : {}), parameters: isPlainObject(fn['parameters']) ? fn['parameters'] : { type: 'object', properties: {} } };
}

function asOpenAiMessage(v: Value, field: string): OpenAiMessage {
  if (!isPlainObject(v) || typeof v['role'] !== 'string') throw new FormatError(field, 'must be a message object with a "role"');
  const calls = v['tool_calls'];
  if (calls != null) {
    if (!Array.isArray(calls)) throw new FormatError(`${field}.tool_calls`, 'must be a list');
    calls.forEach((c, j) => {
      const fn = isPlainObject(c) ? c['function'] : undefined;
      if (!isPlainObject(fn) || typeof fn['name'] !== 'string') throw new FormatError(`${field}.tool_calls[${j}].function.name`, 'is missing');
      // Arguments may arrive already decoded; re-encode so one reader handles both.
      if (typeof fn['arguments'] !== 'string') fn['arguments'] = stringifyJson(fn['arguments'] ?? {});
    });
  }
  return v as unknown as OpenAiMessage;
}

export interface OpenAiToSamplesOptions {
  /** One sample per assistant turn (true), or only the last assistant turn as the label (false, the default). */
  everyTurn?: boolean;
}

/** A `{messages, tools}` record → samples whose labels are its assistant turns. */
export function openAiToSamples(record: ValueObject, idPrefix: string, options: OpenAiToSamplesOptions = {}, origin?: string): Sample[] {
  const rawMessages = record['messages'];
  if (!Array.isArray(rawMessages)) throw new FormatError('messages', 'must be a list');
  const rawTools = record['tools'] ?? [];
  if (!Array.isArray(rawTools)) throw new FormatError('tools', 'must be a list');
  const tools = rawTools.map((t, i) => toolFromOpenAi(t, `tools[${i}]`));
  const messages = rawMessages.map((m, i) => messageFromOpenAi(asOpenAiMessage(m, `messages[${i}]`), `messages[${i}]`));
  const assistantIdx = messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
  const targets = options.everyTurn ? assistantIdx : assistantIdx.slice(-1);
  return targets
    .filter((i) => i > 0)
    .map((i) => {
      const m = messages[i] as Extract<Message, { role: 'assistant' }>;
      const label: Sample['label'] = m.toolCalls && m.toolCalls.length > 0 ? { kind: 'calls', calls: m.toolCalls } : { kind: 'text', text: m.content ?? '' };
      return { id: `${idPrefix}-m${i}`, tools, messages: messages.slice(0, i), label, provenance: seedProvenance(origin) };
    });
}

/** A sample as `{messages, tools}`, its label the final assistant message. */
export function sampleToOpenAi(sample: Sample): ValueObject {
  let callCounter = 0;
  const toMessage = (m: Message): ValueObject => {
    if (m.role === 'assistant') {
      const out: ValueObject = { role: 'assistant', content: m.content ?? null };
      if (m.toolCalls && m.toolCalls.length > 0) {
        out['tool_calls'] = m.toolCalls.map((c) => ({ id: `call_${callCounter++}`, type: 'function', function: { name: c.name, arguments: stringifyJson(c.arguments) } }));
      }
      return out;
    }
    if (m.role === 'tool') return { role: 'tool', content: m.content, ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}) };
    return { role: m.role, content: m.content };
  };
  const final: Message = sample.label.kind === 'calls' ? { role: 'assistant', toolCalls: sample.label.calls } : { role: 'assistant', content: sample.label.text };
  return {
    messages: [...sample.messages, final].map(toMessage),
    tools: sample.tools.map((t): ValueObject => {
      const fn: ValueObject = t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters };
      return { type: 'function', function: fn };
    }),
  };
}
