/**
 * The tool list inside a data record (a list, or a JSON string of one), read by the
 * same reader as tool-set files so that every format's tools come out alike: JSON
 * Schema type names, flat xLAM parameter maps made object schemas. A structural problem
 * skips the record; an odd type name is only noted (the call checker lets it through).
 */
import { tryParseJson } from '../json.ts';
import { pointerTokens } from '../tools/json-pointer.ts';
import { noProblems } from '../tools/problems.ts';
import { toolListToTools } from '../tools/tool-list.ts';
import type { Tool } from '../types.ts';
import type { Value } from '../value.ts';
import { RecordSkip, type NoteSink } from './import-report.ts';

export function toolsOfRecordList(list: Value | undefined, field: string, note?: NoteSink): Tool[] {
  let value = list;
  if (typeof value === 'string') {
    const parsed = tryParseJson(value);
    if (!parsed.ok) throw new RecordSkip('bad_tools', field, `a string that is not JSON: ${parsed.error}`);
    value = parsed.value;
  }
  if (!Array.isArray(value)) throw new RecordSkip('bad_tools', field, 'must be a list of tools');
  const problems = noProblems();
  const tools = toolListToTools(value, problems, { lenientTypes: true }).map((t) => t.tool);
  const first = problems.errors[0];
  if (first !== undefined) throw new RecordSkip('bad_tools', fieldOfPointer(field, first.pointer), first.message);
  for (const w of problems.warnings) if (w.message.startsWith('unknown type')) note?.('odd_tool_schema', fieldOfPointer(field, w.pointer), w.message);
  return tools;
}

/** `tools` + `/0/parameters/type` → `tools[0].parameters.type`. */
export function fieldOfPointer(base: string, pointer: string): string {
  let out = base;
  for (const token of pointerTokens(pointer) ?? []) out += /^\d+$/.test(token) ? `[${token}]` : `.${token}`;
  return out;
}
