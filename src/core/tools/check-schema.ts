/**
 * Checks of a tool's name and parameter schema, made where the schema is written (so a
 * problem's pointer leads to the place to fix). What `src/check/schema.ts` can use is
 * what passes: JSON Schema's type names or the aliases it knows, `properties` of
 * schemas, `required` names among them, `items`, `enum` lists.
 */
import { isPlainObject, type Value } from '../value.ts';
import { childPointer } from './json-pointer.ts';
import type { Problems } from './problems.ts';
import { isKnownTypeName } from './schema-types.ts';

/** The names most providers accept (OpenAI's rule); others work with Hermes-style prompts but not everywhere. */
const PORTABLE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function checkToolName(name: Value | undefined, pointer: string, out: Problems): name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    out.errors.push({ pointer, message: 'a tool needs a non-empty "name"' });
    return false;
  }
  if (!PORTABLE_NAME.test(name)) {
    out.warnings.push({ pointer, message: `tool name "${name}" has characters or a length (${name.length}) that some providers reject; they accept letters, digits, _ and -, up to 64` });
  }
  return true;
}

export interface SchemaCheckOptions {
  /** `$ref`s are resolved elsewhere and only need to be strings here. */
  refsAllowed: boolean;
  /**
   * An unknown type name is a warning, not an error: for public data, whose odd types
   * the call checker lets through, rather than for a user's own tool set.
   */
  lenientTypes?: boolean;
}

/** The parameters of one tool: an object schema. */
export function checkParametersSchema(schema: Value, pointer: string, out: Problems, options: SchemaCheckOptions): void {
  if (!isPlainObject(schema)) {
    out.errors.push({ pointer, message: 'parameters must be a JSON Schema object ({"type": "object", "properties": {…}})' });
    return;
  }
  if (options.refsAllowed && typeof schema['$ref'] === 'string') return;
  const type = schema['type'];
  if (type !== undefined && type !== 'object' && type !== 'dict') {
    out.errors.push({ pointer: childPointer(pointer, 'type'), message: `parameters must be of type "object", not ${JSON.stringify(type)}` });
    return;
  }
  checkSchema(schema, pointer, out, options);
}

/** One schema and everything inside it. */
export function checkSchema(schema: Value, pointer: string, out: Problems, options: SchemaCheckOptions, depth = 0, inComposition = false): void {
  if (typeof schema === 'boolean') return;
  if (!isPlainObject(schema)) {
    out.errors.push({ pointer, message: `a schema must be an object, not ${describe(schema)}` });
    return;
  }
  if (depth > 64) {
    out.errors.push({ pointer, message: 'schema nested more than 64 levels deep' });
    return;
  }
  const ref = schema['$ref'];
  if (ref !== undefined) {
    if (!options.refsAllowed || typeof ref !== 'string') out.errors.push({ pointer: childPointer(pointer, '$ref'), message: typeof ref === 'string' ? `unresolved $ref "${ref}"` : '$ref must be a string' });
    return;
  }
  const type = schema['type'];
  const names = typeof type === 'string' ? [type] : Array.isArray(type) ? type : type === undefined ? [] : undefined;
  if (names === undefined || names.some((n) => typeof n !== 'string')) {
    out.errors.push({ pointer: childPointer(pointer, 'type'), message: `type must be a type name or a list of them, not ${describe(type!)}` });
  } else {
    for (const n of names as string[]) {
      if (!isKnownTypeName(n)) (options.lenientTypes ? out.warnings : out.errors).push({ pointer: childPointer(pointer, 'type'), message: `unknown type "${n}"; JSON Schema's types are string, number, integer, boolean, array, object and null` });
    }
  }
  const properties = schema['properties'];
  if (properties !== undefined) {
    if (!isPlainObject(properties)) out.errors.push({ pointer: childPointer(pointer, 'properties'), message: 'properties must be an object of parameter name → schema' });
    else for (const [name, s] of Object.entries(properties)) checkSchema(s, childPointer(pointer, 'properties', name), out, options, depth + 1);
  }
  const required = schema['required'];
  if (required !== undefined && typeof required !== 'boolean') {
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) {
      out.errors.push({ pointer: childPointer(pointer, 'required'), message: 'required must be a list of parameter names' });
    } else if (isPlainObject(properties) && !inComposition) {
      // Inside allOf/anyOf/oneOf a part may require what another part defines.
      required.forEach((r, i) => {
        if (!Object.prototype.hasOwnProperty.call(properties, r as string)) out.errors.push({ pointer: childPointer(pointer, 'required', i), message: `"${r as string}" is required but is not among the properties` });
      });
    }
  }
  const enumValues = schema['enum'];
  if (enumValues !== undefined && (!Array.isArray(enumValues) || enumValues.length === 0)) {
    out.errors.push({ pointer: childPointer(pointer, 'enum'), message: 'enum must be a non-empty list of the allowed values' });
  }
  const items = schema['items'];
  if (Array.isArray(items)) items.forEach((s, i) => checkSchema(s, childPointer(pointer, 'items', i), out, options, depth + 1));
  else if (items !== undefined) checkSchema(items, childPointer(pointer, 'items'), out, options, depth + 1);
  const additional = schema['additionalProperties'];
  if (additional !== undefined && typeof additional !== 'boolean') checkSchema(additional, childPointer(pointer, 'additionalProperties'), out, options, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) out.errors.push({ pointer: childPointer(pointer, key), message: `${key} must be a non-empty list of schemas` });
    else list.forEach((s, i) => checkSchema(s, childPointer(pointer, key, i), out, options, depth + 1, true));
  }
}

function describe(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v === 'object' ? 'an object' : String(v);
}
