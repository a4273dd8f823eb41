/**
 * OpenAPI 3.0 / 3.1 documents as tools: each operation (a method on a path) is one tool.
 *
 * - name: the `operationId` (characters other than letters, digits, _ and - become _),
 *   else the method and path (`GET /pets/{petId}` → `get_pets_petId`);
 * - description: the summary, then the description;
 * - parameters: the path, query and header parameters (path-level ones too, an
 *   operation's own winning) and the properties of a JSON (or form) request body, as
 *   one object schema; path parameters are always required, a body's required
 *   properties only when the body itself is required. A body that is not an object is
 *   one parameter, `body`. Cookie parameters are left out (with a warning), as are the
 *   `Accept`, `Content-Type` and `Authorization` headers, which OpenAPI says to ignore.
 *
 * Local `$ref`s are inlined (see `inline-refs.ts`); OpenAPI 3.0's `nullable` becomes a
 * `null` type; properties marked `readOnly` are not sent in requests and are dropped
 * from bodies. Two parameters of one operation with the same name are an error.
 */
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import type { Tool } from '../types.ts';
import { checkSchema, checkToolName } from './check-schema.ts';
import { inlineLocalRefs } from './inline-refs.ts';
import { childPointer } from './json-pointer.ts';
import type { Problems } from './problems.ts';

export interface ToolAt {
  tool: Tool;
  /** Where the tool is defined in its file. */
  pointer: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const IGNORED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'authorization']);
const LOCATIONS: ReadonlySet<string> = new Set(['path', 'query', 'header', 'cookie']);

/** Whether a parsed document is OpenAPI (3.x) or Swagger (2.0): the version field decides. */
export function isOpenApiDocument(doc: Value): doc is ValueObject {
  return isPlainObject(doc) && (typeof doc['openapi'] === 'string' || typeof doc['swagger'] === 'string');
}

export function openApiToTools(doc: ValueObject, out: Problems): ToolAt[] {
  const version = doc['openapi'];
  if (typeof version !== 'string' || !/^3\.[01](\.|$)/.test(version)) {
    const found = typeof version === 'string' ? `OpenAPI ${version}` : `Swagger ${String(doc['swagger'])}`;
    out.errors.push({ pointer: typeof version === 'string' ? '/openapi' : '/swagger', message: `${found} is not read; OpenAPI 3.0 or 3.1 is (Swagger 2.0 documents convert with common tools such as swagger2openapi)` });
    return [];
  }
  const paths = doc['paths'];
  if (!isPlainObject(paths)) {
    out.errors.push({ pointer: '/paths', message: 'an OpenAPI document needs "paths", an object of path → operations' });
    return [];
  }
  checkDocumentSchemas(doc, paths, out);
  const tools: ToolAt[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPointer = childPointer('/paths', path);
    // A path item may itself be a reference; its operations' own references are inlined one by one below.
    const item = isPlainObject(rawItem) && rawItem['$ref'] !== undefined ? inlineLocalRefs(doc, rawItem, itemPointer, out) : rawItem;
    if (!isPlainObject(item)) {
      out.errors.push({ pointer: itemPointer, message: 'a path item must be an object of method → operation' });
      continue;
    }
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const pointer = childPointer(itemPointer, method);
      if (!isPlainObject(operation)) {
        out.errors.push({ pointer, message: 'an operation must be an object' });
        continue;
      }
      const made = operationToTool(doc, path, method, item, operation, pointer, out);
      if (made) tools.push({ tool: made, pointer });
    }
  }
  return tools;
}

function operationToTool(doc: ValueObject, path: string, method: string, item: ValueObject, operation: ValueObject, pointer: string, out: Problems): Tool | undefined {
  const errorsBefore = out.errors.length;
  const name = toolName(operation, method, path, pointer, out);
  const properties: ValueObject = {};
  const required: string[] = [];
  const sources = new Map<string, string>();
  const add = (paramName: string, schema: Value, isRequired: boolean, where: string, at: string): void => {
    const earlier = sources.get(paramName);
    if (earlier !== undefined) {
      out.errors.push({ pointer: at, message: `parameter "${paramName}" (${where}) has the same name as the ${earlier} parameter; a tool's parameters need distinct names` });
      return;
    }
    sources.set(paramName, where);
    properties[paramName] = schema;
    if (isRequired) required.push(paramName);
  };

  for (const { param, at } of operationParameters(doc, item, operation, pointer, out)) {
    const paramName = param['name'];
    const location = param['in'];
    if (typeof paramName !== 'string' || paramName === '') {
      out.errors.push({ pointer: childPointer(at, 'name'), message: 'a parameter needs a "name"' });
      continue;
    }
    if (typeof location !== 'string' || !LOCATIONS.has(location)) {
      out.errors.push({ pointer: childPointer(at, 'in'), message: `parameter "${paramName}" needs "in": path, query, header or cookie` });
      continue;
    }
    if (location === 'cookie') {
      out.warnings.push({ pointer: at, message: `cookie parameter "${paramName}" is left out of the tool` });
      continue;
    }
    if (location === 'header' && IGNORED_HEADERS.has(paramName.toLowerCase())) continue;
    const schema = parameterSchema(param);
    add(paramName, schema, location === 'path' || param['required'] === true, `${location}`, at);
  }

  const rawBody = operation['requestBody'];
  if (rawBody !== undefined) {
    const bodyPointer = childPointer(pointer, 'requestBody');
    const body = inlineLocalRefs(doc, rawBody, bodyPointer, out);
    const found = isPlainObject(body) ? bodySchema(body, bodyPointer, out) : undefined;
    if (!isPlainObject(body)) out.errors.push({ pointer: bodyPointer, message: 'requestBody must be an object with "content"' });
    else if (found !== undefined) {
      const bodyRequired = body['required'] === true;
      const schema = toRequestSchema(found.schema);
      const bodyProperties = isPlainObject(schema) ? schema['properties'] : undefined;
      if (isPlainObject(schema) && isPlainObject(bodyProperties) && (schema['type'] === undefined || schema['type'] === 'object')) {
        const bodyRequiredNames = Array.isArray(schema['required']) ? schema['required'] : [];
        for (const [propName, propSchema] of Object.entries(bodyProperties)) {
          add(propName, propSchema, bodyRequired && bodyRequiredNames.includes(propName), 'request body', childPointer(found.pointer, 'properties', propName));
        }
      } else {
        add('body', schema, bodyRequired, 'request body', found.pointer);
      }
    }
  }

  if (name === undefined || out.errors.length > errorsBefore) return undefined;
  const description = operationDescription(operation);
  const parameters: ValueObject = { type: 'object', properties, required };
  return description === undefined ? { name, parameters } : { name, description, parameters };
}

/**
 * Every schema of the document checked where it is written, so a problem's pointer is
 * the place to fix even when operations reach the schema through references.
 */
function checkDocumentSchemas(doc: ValueObject, paths: ValueObject, out: Problems): void {
  const schema = (s: Value, at: string): void => checkSchema(s, at, out, { refsAllowed: true });
  const mediaSchemas = (content: Value | undefined, at: string): void => {
    if (!isPlainObject(content)) return;
    for (const [type, media] of Object.entries(content)) if (isPlainObject(media) && media['schema'] !== undefined) schema(media['schema'], childPointer(at, type, 'schema'));
  };
  const param = (p: Value, at: string): void => {
    if (!isPlainObject(p) || p['$ref'] !== undefined) return;
    if (p['schema'] !== undefined) schema(p['schema'], childPointer(at, 'schema'));
    mediaSchemas(p['content'], childPointer(at, 'content'));
  };
  const body = (b: Value | undefined, at: string): void => {
    if (isPlainObject(b) && b['$ref'] === undefined) mediaSchemas(b['content'], childPointer(at, 'content'));
  };
  const params = (list: Value | undefined, at: string): void => {
    if (Array.isArray(list)) list.forEach((p, i) => param(p, childPointer(at, i)));
  };
  const components = doc['components'];
  if (isPlainObject(components)) {
    const each = (key: string, fn: (v: Value, at: string) => void): void => {
      const group = components[key];
      if (isPlainObject(group)) for (const [name, v] of Object.entries(group)) fn(v, childPointer('/components', key, name));
    };
    each('schemas', schema);
    each('parameters', param);
    each('requestBodies', body);
  }
  for (const [path, item] of Object.entries(paths)) {
    if (!isPlainObject(item) || item['$ref'] !== undefined) continue;
    const at = childPointer('/paths', path);
    params(item['parameters'], childPointer(at, 'parameters'));
    for (const method of METHODS) {
      const op = item[method];
      if (!isPlainObject(op)) continue;
      params(op['parameters'], childPointer(at, method, 'parameters'));
      body(op['requestBody'], childPointer(at, method, 'requestBody'));
    }
  }
}

function toolName(operation: ValueObject, method: string, path: string, pointer: string, out: Problems): string | undefined {
  const id = operation['operationId'];
  if (id !== undefined && typeof id !== 'string') {
    out.errors.push({ pointer: childPointer(pointer, 'operationId'), message: 'operationId must be a string' });
    return undefined;
  }
  const base = id !== undefined && id.trim() !== '' ? id : `${method}_${path}`;
  const name = base
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 64);
  if (id !== undefined && id.trim() !== '' && name !== id) out.warnings.push({ pointer: childPointer(pointer, 'operationId'), message: `operationId "${id}" becomes the tool name "${name}"` });
  return checkToolName(name, id !== undefined ? childPointer(pointer, 'operationId') : pointer, out) ? name : undefined;
}

function operationDescription(operation: ValueObject): string | undefined {
  const summary = typeof operation['summary'] === 'string' ? operation['summary'].trim() : '';
  const description = typeof operation['description'] === 'string' ? operation['description'].trim() : '';
  if (summary === '' || description.startsWith(summary)) return description || undefined;
  return description === '' ? summary : `${summary}\n\n${description}`;
}

/** Path-level and operation-level parameters, inlined; an operation's own parameter replaces a path-level one of the same name and place. */
function operationParameters(doc: ValueObject, item: ValueObject, operation: ValueObject, pointer: string, out: Problems): { param: ValueObject; at: string }[] {
  const itemPointer = pointer.slice(0, pointer.lastIndexOf('/'));
  const read = (list: Value | undefined, listPointer: string): { param: ValueObject; at: string }[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      out.errors.push({ pointer: listPointer, message: 'parameters must be a list' });
      return [];
    }
    return list.flatMap((raw, i) => {
      // A parameter reached through $ref is reported where it is used, which is where a user looks first.
      const at = childPointer(listPointer, i);
      const param = inlineLocalRefs(doc, raw, at, out);
      if (isPlainObject(param)) return [{ param, at }];
      out.errors.push({ pointer: at, message: 'a parameter must be an object with "name" and "in"' });
      return [];
    });
  };
  const key = (p: ValueObject): string => `${String(p['in'])}\u0000${String(p['name'])}`;
  const own = read(operation['parameters'], childPointer(pointer, 'parameters'));
  const overridden = new Set(own.map((o) => key(o.param)));
  const pathLevel = read(item['parameters'], childPointer(itemPointer, 'parameters')).filter((p) => !overridden.has(key(p.param)));
  return [...pathLevel, ...own];
}

function parameterSchema(param: ValueObject): Value {
  let schema = param['schema'];
  if (schema === undefined && isPlainObject(param['content'])) {
    const media = Object.values(param['content'])[0];
    if (isPlainObject(media)) schema = media['schema'];
  }
  if (schema === undefined) schema = {};
  const converted = toJsonSchema(schema, false);
  if (isPlainObject(converted) && typeof param['description'] === 'string' && converted['description'] === undefined) {
    return { ...converted, description: param['description'] };
  }
  return converted;
}

const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'];

function bodySchema(body: ValueObject, bodyPointer: string, out: Problems): { schema: Value; pointer: string } | undefined {
  const content = body['content'];
  if (!isPlainObject(content)) {
    out.errors.push({ pointer: childPointer(bodyPointer, 'content'), message: 'requestBody needs "content", an object of media type → schema' });
    return undefined;
  }
  const types = Object.keys(content);
  const chosen = BODY_TYPES.find((t) => types.includes(t)) ?? types.find((t) => /[/+]json(;|$)/.test(t));
  if (chosen === undefined) {
    if (types.length > 0) out.warnings.push({ pointer: childPointer(bodyPointer, 'content'), message: `request body of type ${types.join(', ')} is left out: only JSON and form bodies become parameters` });
    return undefined;
  }
  const media = content[chosen];
  const pointer = childPointer(bodyPointer, 'content', chosen, 'schema');
  const schema = isPlainObject(media) ? media['schema'] : undefined;
  return schema === undefined ? undefined : { schema, pointer };
}

function toRequestSchema(schema: Value): Value {
  return toJsonSchema(schema, true);
}

/**
 * An OpenAPI schema object as plain JSON Schema: `nullable` (3.0) becomes a `null`
 * type, OpenAPI-only keywords go, and in requests `readOnly` properties go.
 */
function toJsonSchema(schema: Value, request: boolean): Value {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, request));
  if (!isPlainObject(schema)) return schema;
  const out: ValueObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'discriminator' || key === 'xml' || key === 'externalDocs') continue;
    if (key === 'enum' || key === 'const' || key === 'default' || key === 'example' || key === 'examples') out[key] = value;
    else if (key === 'properties' && isPlainObject(value)) {
      const props: ValueObject = {};
      for (const [name, s] of Object.entries(value)) {
        if (request && isPlainObject(s) && s['readOnly'] === true) continue;
        props[name] = toJsonSchema(s, request);
      }
      out[key] = props;
    } else out[key] = toJsonSchema(value, request);
  }
  if (request && isPlainObject(out['properties']) && Array.isArray(out['required'])) {
    const kept = out['properties'];
    out['required'] = out['required'].filter((r) => typeof r === 'string' && Object.prototype.hasOwnProperty.call(kept, r));
  }
  if (schema['nullable'] === true) {
    const type = out['type'];
    if (typeof type === 'string') out['type'] = [type, 'null'];
    else if (Array.isArray(type) && !type.includes('null')) out['type'] = [...type, 'null'];
  }
  return out;
}
