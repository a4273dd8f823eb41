/**
 * ToolBench tool files as tools. ToolBench keeps one JSON file per RapidAPI tool under
 * `toolenv/tools/<Category>/<tool>.json`: `{tool_name, tool_description, api_list}` where
 * each API has `name`, `description`, `method`, and `required_parameters` /
 * `optional_parameters` lists of `{name, type, description, default}` with RapidAPI's
 * type names (STRING, NUMBER, BOOLEAN, ENUM, DATE (YYYY-MM-DD), …). Query files list APIs
 * in another spelling (`api_name`, `api_description`, `tool_name`); both are read.
 *
 * Names follow ToolBench's own conversion so that tools match its data: the API name
 * and the tool's file name are lower-cased with other characters turned into `_`, a
 * leading digit gets `get_`, a few reserved words get `is_`, and the function is
 * `<api>_for_<tool>`, its last 64 characters (see OpenBMB/ToolBench,
 * toolbench/inference/Downstream_tasks/rapidapi.py, `api_json_to_openai_json`, and
 * toolbench/utils.py, `standardize` and `change_name`; `^`, which their pattern keeps by
 * accident, goes too). Unlike there, NUMBER becomes `number` (ToolBench wrote
 * `integer`, which rejects 2.5 kg), optional parameters are kept when no parameter is
 * required, and a parameter's `default` is an example value, as ToolBench treats it.
 */
import type { Tool } from '../types.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { checkToolName } from './check-schema.ts';
import { childPointer } from './json-pointer.ts';
import type { ToolAt } from './openapi.ts';
import type { Problems } from './problems.ts';

export function isToolBenchToolFile(doc: Value): doc is ValueObject {
  return isPlainObject(doc) && Array.isArray(doc['api_list']);
}

/** ToolBench's `standardize`: lower case, runs of other characters as one `_`, no `_` at the ends, `get_` before a leading digit. */
export function standardizeToolBenchName(text: string): string {
  const s = text
    .replace(/[^\u4e00-\u9fa5a-zA-Z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
  return /^\d/.test(s) ? `get_${s}` : s;
}

const RESERVED: ReadonlySet<string> = new Set(['from', 'class', 'return', 'false', 'true', 'id', 'and']);

function changeName(name: string): string {
  return RESERVED.has(name) ? `is_${name}` : name;
}

const TYPES: Record<string, string> = { STRING: 'string', NUMBER: 'number', BOOLEAN: 'boolean', OBJECT: 'object', ARRAY: 'array' };

/** The tools of one ToolBench tool file; `fileStem` is its file name without `.json`, ToolBench's standard tool name. */
export function toolBenchToTools(doc: ValueObject, fileStem: string, out: Problems): ToolAt[] {
  const toolDescription = typeof doc['tool_description'] === 'string' ? doc['tool_description'].trim() : '';
  const list = doc['api_list'] as Value[];
  const tools: ToolAt[] = [];
  list.forEach((api, i) => {
    const pointer = childPointer('/api_list', i);
    if (!isPlainObject(api)) {
      out.errors.push({ pointer, message: 'an API must be an object with a "name"' });
      return;
    }
    const made = apiToTool(api, pointer, standardizeToolBenchName(typeof api['tool_name'] === 'string' ? api['tool_name'] : fileStem), toolDescription, out);
    if (made) tools.push({ tool: made, pointer });
  });
  return tools;
}

function apiToTool(api: ValueObject, pointer: string, toolName: string, toolDescription: string, out: Problems): Tool | undefined {
  const errorsBefore = out.errors.length;
  const nameKey = api['name'] === undefined && api['api_name'] !== undefined ? 'api_name' : 'name';
  const rawName = api[nameKey];
  if (typeof rawName !== 'string' || standardizeToolBenchName(rawName) === '') {
    out.errors.push({ pointer: childPointer(pointer, nameKey), message: 'an API needs a "name" with at least one letter or digit' });
    return undefined;
  }
  const name = `${changeName(standardizeToolBenchName(rawName))}_for_${toolName}`.slice(-64);
  checkToolName(name, childPointer(pointer, nameKey), out);
  const properties: ValueObject = {};
  const required: string[] = [];
  for (const [key, isRequired] of [['required_parameters', true], ['optional_parameters', false]] as const) {
    const params = api[key];
    if (params === undefined) continue;
    if (!Array.isArray(params)) {
      out.errors.push({ pointer: childPointer(pointer, key), message: `${key} must be a list of {name, type, description, default}` });
      continue;
    }
    params.forEach((param, j) => {
      const at = childPointer(pointer, key, j);
      const made = parameterSchema(param, at, out);
      if (made === undefined) return;
      if (Object.prototype.hasOwnProperty.call(properties, made.name)) {
        out.errors.push({ pointer: childPointer(at, 'name'), message: `parameter "${made.name}" appears twice in this API (names are compared after ToolBench's standardizing)` });
        return;
      }
      properties[made.name] = made.schema;
      if (isRequired) required.push(made.name);
    });
  }
  if (out.errors.length > errorsBefore) return undefined;
  const apiDescription = [api['description'], api['api_description']].find((d): d is string => typeof d === 'string' && d.trim() !== '')?.trim();
  const description = apiDescription ?? (toolDescription === '' ? undefined : toolDescription);
  const parameters: ValueObject = { type: 'object', properties, required };
  return description === undefined ? { name, parameters } : { name, description, parameters };
}

function parameterSchema(param: Value, at: string, out: Problems): { name: string; schema: ValueObject } | undefined {
  if (!isPlainObject(param)) {
    out.errors.push({ pointer: at, message: 'a parameter must be an object {name, type, description, default}' });
    return undefined;
  }
  const rawName = param['name'];
  const name = typeof rawName === 'string' ? changeName(standardizeToolBenchName(rawName)) : '';
  if (name === '') {
    out.errors.push({ pointer: childPointer(at, 'name'), message: 'a parameter needs a "name" with at least one letter or digit' });
    return undefined;
  }
  const type = typeof param['type'] === 'string' ? TYPES[param['type'].trim().toUpperCase()] ?? 'string' : 'string';
  const schema: ValueObject = { type };
  if (typeof param['description'] === 'string' && param['description'].trim() !== '') schema['description'] = param['description'].trim();
  const example = param['default'];
  if (example !== undefined && example !== null && example !== '') schema['examples'] = [example];
  return { name, schema };
}
