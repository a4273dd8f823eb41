/**
 * ShareGPT conversations as other tools write them, in the spelling the ShareGPT
 * converter reads (`user`, `assistant` with JSON call lists, `tool` with result lists):
 * `human`/`gpt` turns, and LLaMA-Factory's `function_call` turns (one call object or a
 * list) and `observation` turns (a plain result). Conversations without a `tools` list
 * get the tools given, when there are any. Tools are read as tool-set files are, so they
 * come out in JSON Schema whatever their dialect.
 */
import { dumpJson, tryParseJson } from '../json.ts';
import type { Tool } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { RecordSkip, type NoteSink } from './import-report.ts';
import { toolsOfRecordList } from './record-tools.ts';

const ROLE_ALIASES: Record<string, string> = { human: 'user', gpt: 'assistant', function_call: 'assistant', observation: 'tool', function: 'tool' };

export function normalizeShareGpt(record: ValueObject, tools?: readonly Tool[], note?: NoteSink): ValueObject {
  const conv = record['conversations'];
  if (!Array.isArray(conv)) throw new RecordSkip('missing_field', 'conversations', 'must be a list of {from, value} turns');
  const own = record['tools'];
  let recordTools: Value;
  if (own === undefined || own === '' || (Array.isArray(own) && own.length === 0 && tools !== undefined)) {
    if (tools === undefined) throw new RecordSkip('no_tools', 'tools', 'the conversation lists no tools (give --tools to offer a tool set)');
    recordTools = tools as unknown as Value[];
  } else {
    recordTools = toolsOfRecordList(own, 'tools', note) as unknown as Value[];
  }
  const conversations = conv.map((turn, i): Value => {
    if (!isPlainObject(turn) || typeof turn['from'] !== 'string' || turn['value'] === undefined) throw new RecordSkip('bad_field', `conversations[${i}]`, 'must be {from, value}');
    const from = turn['from'];
    const role = Object.prototype.hasOwnProperty.call(ROLE_ALIASES, from) ? ROLE_ALIASES[from]! : from;
    let value = turn['value']!;
    if (from === 'function_call' && typeof value === 'string') {
      const parsed = tryParseJson(value);
      if (parsed.ok && isPlainObject(parsed.value)) value = dumpJson([parsed.value]);
    } else if (role === 'tool' && typeof value === 'string' && !isJsonList(value)) {
      value = dumpJson([{ result: value }]);
    }
    return role === from && value === turn['value'] ? turn : { from: role, value };
  });
  return { ...record, tools: recordTools, conversations };
}

function isJsonList(text: string): boolean {
  const parsed = tryParseJson(text);
  return parsed.ok && Array.isArray(parsed.value);
}
