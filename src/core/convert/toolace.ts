/**
 * ToolACE records (Team-ACE/ToolACE, `data.json`): `{system, conversations}` where the
 * system text carries the tools as a JSON list (after "Here is a list of functions in
 * JSON format that you can invoke"), user and assistant turns are `{from, value}`, an
 * assistant call turn is a Python call list (`[get_weather(city="Oslo")]`) and a tool
 * turn is a JSON list of `{name, results}`. Each record is turned into a ShareGPT
 * conversation (calls re-written as JSON lists) for the ShareGPT converter.
 *
 * Reading Python calls is `src/toolcall`'s job, a layer above this one, so the parser is
 * passed in. ToolACE names tools freely ("Market Trends API"); such names are swapped for
 * identifiers while the call list is parsed, and back after.
 */
import { dumpJson, tryParseJson } from '../json.ts';
import type { Tool, ToolCall } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { RecordSkip, type NoteSink } from './import-report.ts';
import { toolsOfRecordList } from './record-tools.ts';

/** Reads a whole `[f(a=1), g()]` text into calls, never throwing. */
export type CallListParser = (text: string) => { ok: true; calls: ToolCall[] } | { ok: false; message: string };

/** `tools` are offered when the system text holds no tool list. */
export function toolAceToShareGpt(record: ValueObject, parseCalls: CallListParser, tools?: readonly Tool[], note?: NoteSink): ValueObject {
  const system = record['system'];
  if (system !== undefined && typeof system !== 'string') throw new RecordSkip('bad_field', 'system', 'must be a string');
  const found = typeof system === 'string' ? toolListInText(system) : undefined;
  const recordTools = found !== undefined ? toolsOfRecordList(found, 'system', note) : tools;
  if (recordTools === undefined) throw new RecordSkip('no_tools', 'system', 'holds no JSON list of tools (and no --tools were given)');
  const conv = record['conversations'];
  if (!Array.isArray(conv)) throw new RecordSkip('missing_field', 'conversations', 'must be a list of {from, value} turns');
  const names = recordTools.map((t) => t.name);
  const conversations = conv.map((turn, i): Value => {
    if (!isPlainObject(turn) || typeof turn['from'] !== 'string' || typeof turn['value'] !== 'string') throw new RecordSkip('bad_field', `conversations[${i}]`, 'must be {from, value} with string values');
    const value = turn['value'].trim();
    if (turn['from'] !== 'assistant' || !(value.startsWith('[') && value.endsWith(']'))) return turn;
    const parsed = parseCallList(value, names, parseCalls);
    if (!parsed.ok) throw new RecordSkip('unparseable_call', `conversations[${i}].value`, `a call list that does not parse: ${parsed.message}`);
    return { from: 'assistant', value: dumpJson(parsed.calls.map((c) => ({ name: c.name, arguments: c.arguments }))) };
  });
  return { tools: recordTools as unknown as Value[], conversations };
}

/** The first JSON list of named objects in a text: where ToolACE's system prompt keeps its tools. */
export function toolListInText(text: string): Value[] | undefined {
  let tries = 0;
  for (let at = text.indexOf('['); at !== -1 && tries < 32; at = text.indexOf('[', at + 1)) {
    if (!/^\[\s*\{/.test(text.slice(at, at + 64))) continue;
    tries++;
    const end = closingBracket(text, at);
    if (end === undefined) continue;
    const parsed = tryParseJson(text.slice(at, end + 1));
    if (parsed.ok && Array.isArray(parsed.value) && parsed.value.length > 0 && parsed.value.every((t) => isPlainObject(t) && typeof t['name'] === 'string')) return parsed.value;
  }
  return undefined;
}

function closingBracket(text: string, open: number): number | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ']' ? i : undefined;
    }
  }
  return undefined;
}

const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Parses a call list, with tool names that are not Python names swapped for placeholders meanwhile. */
function parseCallList(text: string, toolNames: readonly string[], parseCalls: CallListParser): ReturnType<CallListParser> {
  const odd = toolNames.filter((n) => !DOTTED_NAME.test(n)).sort((a, b) => b.length - a.length);
  if (odd.length === 0) return parseCalls(text);
  const placeholders = new Map<string, string>();
  let swapped = text;
  odd.forEach((name, i) => {
    const placeholder = `__looptool_tool_${i}`;
    const next = swapped.split(`${name}(`).join(`${placeholder}(`);
    if (next !== swapped) placeholders.set(placeholder, name);
    swapped = next;
  });
  const parsed = parseCalls(swapped);
  if (!parsed.ok) return parsed;
  return { ok: true, calls: parsed.calls.map((c) => ({ name: placeholders.get(c.name) ?? c.name, arguments: c.arguments })) };
}
