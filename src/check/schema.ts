/**
 * Checking a call against its tool's JSON-schema parameters, with one precise violation
 * per problem (path, kind, message). Accepts BFCL's type names (dict, float, tuple, any)
 * beside JSON Schema's. Odd or partial schemas never throw: what cannot be checked is
 * let through.
 */
import type { Tool, ToolCall } from '../core/types.ts';
import { PyFloat, PyTuple, isPlainObject, type Value, type ValueObject } from '../core/value.ts';

export type ViolationKind = 'unknown_function' | 'missing_required' | 'unknown_parameter' | 'wrong_type' | 'not_in_enum' | 'too_few_items' | 'too_many_items';

export interface SchemaViolation {
  /** Where: `arguments.city`, `arguments.stops[2].name`; `name` for the function itself. */
  path: string;
  kind: ViolationKind;
  message: string;
}

const TYPE_ALIASES: Record<string, string> = {
  dict: 'object',
  float: 'number',
  double: 'number',
  long: 'integer',
  int: 'integer',
  str: 'string',
  bool: 'boolean',
  list: 'array',
  tuple: 'array',
  any: 'any',
};

function schemaTypes(schema: ValueObject): string[] | undefined {
  const t = schema['type'];
  const list = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : undefined;
  return list?.map((x) => TYPE_ALIASES[x.toLowerCase()] ?? x.toLowerCase());
}

function valueTypeMatches(v: Value, type: string): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    // An integral float written as 5.0 is a float, not an integer.
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' || v instanceof PyFloat;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isPlainObject(v);
    default:
      return true;
  }
}

function describe(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))) return 'number (float)';
  if (typeof v === 'number') return 'integer';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function checkValue(v: Value, schema: Value | undefined, path: string, out: SchemaViolation[]): void {
  if (!isPlainObject(schema)) return;
  const types = schemaTypes(schema);
  if (types && types.length > 0 && !types.some((t) => valueTypeMatches(v, t))) {
    out.push({ path, kind: 'wrong_type', message: `expected ${types.join(' or ')}, got ${describe(v)}` });
    return;
  }
  const allowed = schema['enum'];
  if (Array.isArray(allowed) && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(v))) {
    out.push({ path, kind: 'not_in_enum', message: `${JSON.stringify(v)} is not one of ${JSON.stringify(allowed)}` });
  }
  if (Array.isArray(v)) {
    const { minItems, maxItems } = schema;
    if (typeof minItems === 'number' && v.length < minItems) out.push({ path, kind: 'too_few_items', message: `${v.length} items, at least ${minItems} needed` });
    if (typeof maxItems === 'number' && v.length > maxItems) out.push({ path, kind: 'too_many_items', message: `${v.length} items, at most ${maxItems} allowed` });
    v.forEach((item, i) => checkValue(item as Value, schema['items'], `${path}[${i}]`, out));
  } else if (isPlainObject(v) && (isPlainObject(schema['properties']) || Array.isArray(schema['required']))) {
    checkObject(v, schema, path, out);
  }
}

function checkObject(v: ValueObject, schema: ValueObject, path: string, out: SchemaViolation[]): void {
  const properties = isPlainObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : [];
  for (const name of required) {
    if (!Object.prototype.hasOwnProperty.call(v, name)) out.push({ path: `${path}.${name}`, kind: 'missing_required', message: `required parameter "${name}" is missing` });
  }
  const additional = schema['additionalProperties'];
  for (const [name, value] of Object.entries(v)) {
    const own = Object.prototype.hasOwnProperty.call(properties, name) ? properties[name] : undefined;
    if (own !== undefined) checkValue(value, own, `${path}.${name}`, out);
    else if (isPlainObject(additional)) checkValue(value, additional, `${path}.${name}`, out);
    else if (additional !== true && isPlainObject(schema['properties'])) out.push({ path: `${path}.${name}`, kind: 'unknown_parameter', message: `"${name}" is not a parameter of this function` });
  }
}

/** The violations of a call against the tools offered (empty when the call is valid). */
export function validateToolCall(call: ToolCall, tools: readonly Tool[]): SchemaViolation[] {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return [{ path: 'name', kind: 'unknown_function', message: `no tool named "${call.name}" is offered` }];
  const out: SchemaViolation[] = [];
  checkObject(call.arguments, { properties: {}, ...tool.parameters }, 'arguments', out);
  return out;
}
