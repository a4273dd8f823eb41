/**
 * ShareGPT / xLAM multi-turn conversations: `{tools, conversations: [{from, value}],
 * date?}` where an assistant turn that calls tools is a JSON list string of
 * `{name, arguments}` and tool results are `tool` turns (a list of `{name, results}`).
 *
 * Conversations become one Sample per assistant turn, following the LoopTool release's
 * rules: a call turn counts when its value is a non-empty JSON list and the tool turn
 * right after it does not mention "error"; the history is cut to the last `maxTurns`
 * user messages. Text turns become samples only when asked (`textTurns`).
 */
import { dumpJson, tryParseJson } from '../json.ts';
import type { Message, Sample, Tool, ToolCall } from '../types.ts';
import { seedProvenance } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { FormatError } from './looptool.ts';

export interface ShareGptOptions {
  /** How many user messages of history to keep (the release's default is 5; its main script used 8). */
  maxTurns?: number;
  /** Also make samples of assistant text turns (ask-backs, summaries). */
  textTurns?: boolean;
}

export interface ShareGptTurn {
  from: string;
  value: Value;
}

export type SkipReason = 'tool_error_followed' | 'not_a_call_list' | 'too_short';

export interface ConversionResult {
  samples: Sample[];
  skipped: Partial<Record<SkipReason, number>>;
}

function toolsOf(record: ValueObject): { tools: Tool[]; raw: ValueObject[] } {
  let tools = record['tools'];
  if (typeof tools === 'string') {
    const parsed = tryParseJson(tools);
    if (!parsed.ok) throw new FormatError('tools', 'is a string that is not JSON');
    tools = parsed.value;
  }
  if (!Array.isArray(tools)) throw new FormatError('tools', 'must be a list of tool objects');
  const raw: ValueObject[] = [];
  const out = tools.map((t, i) => {
    const fn = isPlainObject(t) && isPlainObject(t['function']) ? t['function'] : t;
    if (!isPlainObject(fn) || typeof fn['name'] !== 'string') throw new FormatError(`tools[${i}]`, 'needs a "name"');
    raw.push(fn);
    return { name: fn['name'], ...(typeof fn['description'] === 'string' ? { description: fn['description'] } : {}), parameters: isPlainObject(fn['parameters']) ? fn['parameters'] : {} };
  });
  return { tools: out, raw };
}

function callsOf(value: string, field: string): ToolCall[] {
  const parsed = tryParseJson(value);
  if (!parsed.ok) throw new FormatError(field, `a call turn is not JSON: ${parsed.error}`);
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  return list.filter(isPlainObject).map((c) => ({ name: typeof c['name'] === 'string' ? c['name'] : '', arguments: isPlainObject(c['arguments']) ? c['arguments'] : {} }));
}

function toolMessages(value: Value, field: string): Message[] {
  let list = value;
  if (typeof list === 'string') {
    const parsed = tryParseJson(list);
    if (!parsed.ok || !Array.isArray(parsed.value)) throw new FormatError(field, 'a tool turn must be a JSON list of results');
    list = parsed.value;
  }
  if (!Array.isArray(list)) throw new FormatError(field, 'a tool turn must be a list of results');
  return list.map((r) => {
    if (!isPlainObject(r)) throw new FormatError(field, 'each tool result must be an object');
    if ('name' in r && 'results' in r) return { role: 'tool', name: String(r['name']), content: dumpJson(r['results']!) };
    const first = Object.values(r)[0];
    return { role: 'tool', content: typeof first === 'string' ? first : dumpJson(first ?? null) };
  });
}

function isCallTurn(turn: ShareGptTurn): boolean {
  return turn.from === 'assistant' && typeof turn.value === 'string' && turn.value.startsWith('[') && turn.value.endsWith(']') && turn.value.length > 2;
}

/** One conversation → its samples. `idPrefix` names them `<prefix>-t<turn index>`. */
export function shareGptToSamples(record: ValueObject, idPrefix: string, options: ShareGptOptions = {}, origin?: string): ConversionResult {
  const maxTurns = options.maxTurns ?? 5;
  const { tools, raw } = toolsOf(record);
  const conv = record['conversations'];
  if (!Array.isArray(conv)) throw new FormatError('conversations', 'must be a list of {from, value} turns');
  const turns: ShareGptTurn[] = conv.map((t, i) => {
    if (!isPlainObject(t) || typeof t['from'] !== 'string' || t['value'] === undefined) throw new FormatError(`conversations[${i}]`, 'must be {from, value}');
    return { from: t['from'], value: t['value']! };
  });
  const skipped: ConversionResult['skipped'] = {};
  if (turns.length < 2) return { samples: [], skipped: { too_short: 1 } };
  const date = typeof record['date'] === 'string' ? record['date'] : 'Unknown';
  const samples: Sample[] = [];
  turns.forEach((turn, idx) => {
    if (turn.from !== 'assistant') return;
    let label: Sample['label'];
    if (isCallTurn(turn)) {
      const next = turns[idx + 1];
      if (next && JSON.stringify(next.value).toLowerCase().includes('error')) {
        skipped.tool_error_followed = (skipped.tool_error_followed ?? 0) + 1;
        return;
      }
      const calls = callsOf(turn.value as string, `conversations[${idx}].value`);
      if (calls.length === 0) return;
      label = { kind: 'calls', calls };
    } else if (typeof turn.value === 'string' && !turn.value.startsWith('[') && options.textTurns) {
      label = { kind: 'text', text: turn.value };
    } else {
      if (typeof turn.value !== 'string' || turn.value.startsWith('[')) skipped.not_a_call_list = (skipped.not_a_call_list ?? 0) + 1;
      return;
    }
    const userIdx = turns.slice(0, idx).flatMap((t, i) => (t.from === 'user' ? [i] : []));
    const start = userIdx.length > maxTurns ? userIdx[userIdx.length - maxTurns]! : 0;
    const messages: Message[] = [];
    for (let i = start; i < idx; i++) {
      const t = turns[i]!;
      const field = `conversations[${i}].value`;
      if (t.from === 'user') messages.push({ role: 'user', content: String(t.value).trim() });
      else if (t.from === 'assistant') messages.push(isCallTurn(t) || String(t.value).startsWith('[') ? { role: 'assistant', toolCalls: callsOf(String(t.value), field) } : { role: 'assistant', content: String(t.value).trim() });
      else if (t.from === 'tool') messages.push(...toolMessages(t.value, field));
      else if (t.from === 'system') messages.push({ role: 'system', content: String(t.value) });
    }
    if (messages.length === 0) return;
    samples.push({ id: `${idPrefix}-t${idx}`, tools, messages, label, provenance: seedProvenance(origin), meta: { date, rawTools: raw } });
  });
  return { samples, skipped };
}

/** A Sample as a ShareGPT conversation ending with its label turn. */
export function sampleToShareGpt(sample: Sample): ValueObject {
  const conversations: ValueObject[] = [];
  for (let i = 0; i < sample.messages.length; i++) {
    const m = sample.messages[i]!;
    if (m.role === 'tool') {
      const results: Value[] = [];
      while (i < sample.messages.length && sample.messages[i]!.role === 'tool') {
        const t = sample.messages[i] as Extract<Message, { role: 'tool' }>;
        const parsed = tryParseJson(t.content);
        results.push({ name: t.name ?? '', results: parsed.ok ? parsed.value : t.content });
        i++;
      }
      i--;
      conversations.push({ from: 'tool', value: dumpJson(results) });
    } else if (m.role === 'assistant') {
      conversations.push({ from: 'assistant', value: m.toolCalls && m.toolCalls.length > 0 ? dumpJson(m.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))) : m.content ?? '' });
    } else {
      conversations.push({ from: m.role, value: m.content });
    }
  }
  const label = sample.label;
  conversations.push({ from: 'assistant', value: label.kind === 'calls' ? dumpJson(label.calls.map((c) => ({ name: c.name, arguments: c.arguments }))) : label.text });
  const tools = sample.tools.map((t): ValueObject => (t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters }));
  const out: ValueObject = { id: sample.id, tools, conversations };
  if (typeof sample.meta?.['date'] === 'string') out['date'] = sample.meta['date'];
  return out;
}
