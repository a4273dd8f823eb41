/**
 * JSON-schema tool lists as tools. One reader for the shapes tool lists come in:
 *
 * - looptool's own `{name, description, parameters}` (extra keys such as the world's
 *   `domain` are ignored) — the same as a bare function list;
 * - OpenAI's `{type: "function", function: {name, description, parameters}}`;
 * - MCP's and Anthropic's `inputSchema` / `input_schema` in place of `parameters`;
 * - a list, an object holding the list under `tools` or `functions`, or one tool alone.
 *
 * BFCL's and Python's type names (`dict`, `float`, `int`) become JSON Schema's; a flat
 * xLAM parameter map (`{"city": {"type": "str"}}`) becomes an object schema (with a
 * warning); local `$ref`s inside the file are inlined. A tool without parameters takes
 * no arguments.
 */
import type { Tool } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { checkParametersSchema, checkToolName } from './check-schema.ts';
import { inlineLocalRefs } from './inline-refs.ts';
import { childPointer } from './json-pointer.ts';
import type { ToolAt } from './openapi.ts';
import type { Problems } from './problems.ts';
import { isFlatParameterMap, normalizeSchemaTypes, schemaOfFlatParameters } from './schema-types.ts';

/** The tool entries of a parsed tool-list file with their pointers, or undefined when the value is no tool list. */
export function toolListEntries(doc: Value): { entry: Value; pointer: string }[] | undefined {
  if (Array.isArray(doc)) return doc.map((entry, i) => ({ entry, pointer: `/${i}` }));
  if (!isPlainObject(doc)) return undefined;
  for (const key of ['tools', 'functions'] as const) {
    const list = doc[key];
    if (Array.isArray(list)) return list.map((entry, i) => ({ entry, pointer: childPointer('', key, i) }));
  }
  if (typeof doc['name'] === 'string' || isPlainObject(doc['function'])) return [{ entry: doc, pointer: '' }];
  return undefined;
}

export function toolListToTools(doc: Value, out: Problems, options: { lenientTypes?: boolean } = {}): ToolAt[] {
  const entries = toolListEntries(doc);
  if (entries === undefined) {
    out.errors.push({ pointer: '', message: 'not a tool list: expected a list of tools, {"tools": [...]}, one tool {name, parameters}, an OpenAPI 3 document or a ToolBench tool file {tool_name, api_list}' });
    return [];
  }
  const tools: ToolAt[] = [];
  for (const { entry, pointer } of entries) {
    const made = entryToTool(doc, entry, pointer, out, options.lenientTypes === true);
    if (made) tools.push({ tool: made, pointer });
  }
  return tools;
}

function entryToTool(doc: Value, entry: Value, pointer: string, out: Problems, lenientTypes: boolean): Tool | undefined {
  if (!isPlainObject(entry)) {
    out.errors.push({ pointer, message: 'a tool must be an object with a "name" and "parameters"' });
    return undefined;
  }
  const wrapped = entry['type'] === 'function' && isPlainObject(entry['function']);
  const fn = wrapped ? (entry['function'] as ValueObject) : entry;
  const at = wrapped ? childPointer(pointer, 'function') : pointer;
  const errorsBefore = out.errors.length;
  const name = fn['name'];
  if (!checkToolName(name, childPointer(at, 'name'), out)) return undefined;
  const description = fn['description'];
  if (description !== undefined && typeof description !== 'string') out.errors.push({ pointer: childPointer(at, 'description'), message: 'description must be a string' });
  const key = ['parameters', 'inputSchema', 'input_schema'].find((k) => fn[k] !== undefined);
  let parameters: Value = key === undefined ? { type: 'object', properties: {}, required: [] } : fn[key]!;
  const paramsPointer = childPointer(at, key ?? 'parameters');
  if (isPlainObject(parameters) && isFlatParameterMap(parameters)) {
    out.warnings.push({ pointer: paramsPointer, message: `tool "${name}": parameters read as a flat map of name → {type, description} (xLAM style); a type ending in ", optional" or a default makes a parameter optional` });
    parameters = schemaOfFlatParameters(parameters);
  } else {
    checkParametersSchema(parameters, paramsPointer, out, { refsAllowed: true, lenientTypes });
    parameters = normalizeSchemaTypes(inlineLocalRefs(doc, parameters, paramsPointer, out));
  }
  if (out.errors.length > errorsBefore || !isPlainObject(parameters)) return undefined;
  return typeof description === 'string' ? { name, description, parameters } : { name, parameters };
}
