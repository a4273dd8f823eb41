/**
 * Type names as tool sets in the wild write them, made JSON Schema's: Python's (`dict`,
 * `int`, `str`, `List[int]`), BFCL's (`dict`, `float`, `tuple`, `any`) and xLAM's
 * flat parameter maps (`{"city": {"type": "str, optional", "description": …}}`).
 */
import { isPlainObject, type Value, type ValueObject } from '../value.ts';

/** JSON Schema's type names; `null` included. */
export const JSON_SCHEMA_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

const ALIASES: Record<string, string | null> = {
  dict: 'object',
  hashmap: 'object',
  map: 'object',
  mapping: 'object',
  obj: 'object',
  float: 'number',
  double: 'number',
  decimal: 'number',
  int: 'integer',
  long: 'integer',
  str: 'string',
  text: 'string',
  char: 'string',
  bool: 'boolean',
  list: 'array',
  tuple: 'array',
  set: 'array',
  arraylist: 'array',
  sequence: 'array',
  none: 'null',
  nonetype: 'null',
  // "any" means no constraint: the type is left out.
  any: null,
};

/** A single type name as JSON Schema's, `null` for "any", undefined when it is not a name we know. */
export function jsonSchemaTypeName(name: string): string | null | undefined {
  const lower = name.trim().toLowerCase();
  if (JSON_SCHEMA_TYPES.has(lower)) return lower;
  return Object.prototype.hasOwnProperty.call(ALIASES, lower) ? ALIASES[lower]! : undefined;
}

/** Whether a `type` value is one a JSON-schema checker can use (JSON Schema's names or the aliases above). */
export function isKnownTypeName(name: string): boolean {
  return jsonSchemaTypeName(name) !== undefined;
}

/**
 * A schema with its type names (and those of everything nested) made JSON Schema's.
 * Unknown names are kept as they are, for the validator to report.
 */
export function normalizeSchemaTypes(schema: Value): Value {
  if (Array.isArray(schema)) return schema.map(normalizeSchemaTypes);
  if (!isPlainObject(schema)) return schema;
  const out: ValueObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type') {
      if (typeof value === 'string') {
        const mapped = jsonSchemaTypeName(value);
        if (mapped === undefined) out[key] = value;
        else if (mapped !== null) out[key] = mapped;
      } else if (Array.isArray(value)) {
        const names = value.map((v) => (typeof v === 'string' ? jsonSchemaTypeName(v) ?? v : v));
        if (!names.includes(null)) out[key] = names.filter((v, i) => names.indexOf(v) === i) as Value[];
      } else {
        out[key] = value;
      }
    } else if (key === 'enum' || key === 'const' || key === 'default' || key === 'example' || key === 'examples') {
      out[key] = value;
    } else if (key === 'properties' && isPlainObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, normalizeSchemaTypes(s)]));
    } else {
      out[key] = normalizeSchemaTypes(value);
    }
  }
  return out;
}

/**
 * A Python-style annotation (`str`, `List[int]`, `Dict[str, Any]`, `Optional[int]`,
 * `int, optional`) as a JSON Schema, and whether it was marked optional.
 */
export function schemaOfPythonType(annotation: string): { schema: ValueObject; optional: boolean } {
  let text = annotation.trim();
  let optional = false;
  const suffix = /,\s*optional\s*$/i.exec(text);
  if (suffix) {
    optional = true;
    text = text.slice(0, suffix.index).trim();
  }
  const wrapped = /^optional\s*\[(.*)\]$/i.exec(text);
  if (wrapped) {
    optional = true;
    text = wrapped[1]!.trim();
  }
  return { schema: schemaOfTypeText(text), optional };
}

function schemaOfTypeText(text: string): ValueObject {
  const generic = /^([A-Za-z_][\w.]*)\s*\[(.*)\]$/.exec(text);
  const head = generic ? generic[1]!.split('.').pop()! : text;
  const type = jsonSchemaTypeName(head);
  if (type === undefined || type === null) return {};
  if (type === 'array' && generic && head.toLowerCase() !== 'tuple') {
    const items = schemaOfTypeText(generic[2]!.trim());
    return Object.keys(items).length > 0 ? { type, items } : { type };
  }
  return { type };
}

/**
 * Whether `parameters` is a flat xLAM-style map of parameter name → `{type, description}`
 * rather than a JSON Schema object.
 */
export function isFlatParameterMap(parameters: ValueObject): boolean {
  // A parameter may well be called "type" or "properties"; a schema's own `type` is a string.
  if (typeof parameters['type'] === 'string' || typeof parameters['$ref'] === 'string') return false;
  const specs = Object.values(parameters);
  return specs.length > 0 && specs.every((s) => isPlainObject(s) && typeof s['type'] === 'string');
}

/**
 * A flat parameter map as a JSON Schema object. A parameter is required unless its type
 * says `optional` or it has a default: labels in such data routinely leave out parameters
 * that have a default.
 */
export function schemaOfFlatParameters(parameters: ValueObject): ValueObject {
  const properties: ValueObject = {};
  const required: string[] = [];
  for (const [name, spec] of Object.entries(parameters)) {
    if (!isPlainObject(spec)) continue;
    const { schema, optional } = typeof spec['type'] === 'string' ? schemaOfPythonType(spec['type']) : { schema: {}, optional: false };
    const property: ValueObject = { ...schema };
    if (typeof spec['description'] === 'string') property['description'] = spec['description'];
    if ('enum' in spec) property['enum'] = spec['enum']!;
    const hasDefault = 'default' in spec;
    if (hasDefault && spec['default'] !== '' && spec['default'] !== null) property['default'] = spec['default']!;
    properties[name] = property;
    if (!optional && !hasDefault) required.push(name);
  }
  return { type: 'object', properties, required };
}
