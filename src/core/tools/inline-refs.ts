/**
 * Inlining a document's local `$ref`s (`#/components/schemas/Pet`), so that a tool's
 * parameters are one self-contained schema: most model servers and checkers do not
 * follow references.
 *
 * A reference that leads back to itself through references alone (`A → B → A`) has no
 * meaning and is an error. A schema that contains itself (a tree node whose `children`
 * are nodes) is legal but cannot be written out in full: the inner occurrence is cut to
 * a schema of the same type, with a warning. `allOf` lists of object schemas are merged
 * into one object schema when their properties do not disagree. References that would
 * make one schema larger than `MAX_NODES` objects or deeper than `MAX_DEPTH` levels when
 * written out (a web of schemas referring to each other grows exponentially) are cut
 * the same way, with a warning.
 */
import { stringifyJson } from '../json.ts';
import { isPlainObject, type Value, type ValueObject } from '../value.ts';
import { childPointer, pointerOfLocalRef, valueAtPointer } from './json-pointer.ts';
import type { Problems } from './problems.ts';

/** Keys whose values are data, not schemas: a `$ref` key in an example is just a key. */
const DATA_KEYS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'example', 'examples']);

const MAX_DEPTH = 64;
const MAX_NODES = 500;

interface Budget {
  left: number;
  warned: boolean;
}

interface Expanding {
  target: string;
  /** The structural depth when this reference was entered: meeting it again at the same depth means no schema lay between. */
  depth: number;
}

/** Inlines the local references of `node` (found at `pointer` in `root`). Problems are reported at the pointer where they are written. */
export function inlineLocalRefs(root: Value, node: Value, pointer: string, out: Problems): Value {
  return inline(root, node, pointer, [], 0, out, { left: MAX_NODES, warned: false });
}

function inline(root: Value, node: Value, pointer: string, expanding: readonly Expanding[], depth: number, out: Problems, budget: Budget): Value {
  if (Array.isArray(node)) return node.map((item, i) => inline(root, item, childPointer(pointer, i), expanding, depth + 1, out, budget));
  if (!isPlainObject(node)) return node;
  if (node['$ref'] !== undefined) return followRef(root, node, pointer, expanding, depth, out, budget);
  budget.left--;
  const result: ValueObject = {};
  for (const [key, value] of Object.entries(node)) {
    result[key] = DATA_KEYS.has(key) ? value : inline(root, value, childPointer(pointer, key), expanding, depth + 1, out, budget);
  }
  return Array.isArray(result['allOf']) ? mergeAllOf(result, pointer, out) : result;
}

function followRef(root: Value, node: ValueObject, pointer: string, expanding: readonly Expanding[], depth: number, out: Problems, budget: Budget): Value {
  const ref = node['$ref'];
  const at = childPointer(pointer, '$ref');
  if (typeof ref !== 'string') {
    out.errors.push({ pointer: at, message: '$ref must be a string' });
    return {};
  }
  const target = pointerOfLocalRef(ref);
  if (target === undefined) {
    out.errors.push({ pointer: at, message: `$ref "${ref}" points outside this document; only local references (#/…) are followed` });
    return {};
  }
  const seen = expanding.find((e) => e.target === target);
  if (seen !== undefined) {
    if (seen.depth === depth) {
      const chain = [...expanding.slice(expanding.indexOf(seen)).map((e) => e.target), target].join(' → ');
      out.errors.push({ pointer: at, message: `cyclic $ref: ${chain} refers back to itself with no schema in between` });
      return {};
    }
    out.warnings.push({ pointer: at, message: `recursive schema "${ref}" is written out once; its inner occurrence is cut to a schema without properties` });
    return recursionStub(valueAtPointer(root, target), ref);
  }
  const resolved = valueAtPointer(root, target);
  if (resolved === undefined) {
    out.errors.push({ pointer: at, message: `$ref "${ref}" points to nothing in this document` });
    return {};
  }
  if (budget.left <= 0 || depth > MAX_DEPTH) {
    if (!budget.warned) out.warnings.push({ pointer: at, message: `schema cut here: written out in full it would exceed ${MAX_NODES} schema objects or ${MAX_DEPTH} levels; deeper references become schemas without properties` });
    budget.warned = true;
    return recursionStub(resolved, ref);
  }
  const inlined = inline(root, resolved, target, [...expanding, { target, depth }], depth, out, budget);
  const siblings = Object.entries(node).filter(([k]) => k !== '$ref');
  if (siblings.length === 0 || !isPlainObject(inlined)) return inlined;
  // OpenAPI 3.1 lets a reference carry its own description (and more); those win.
  const merged: ValueObject = { ...inlined };
  for (const [key, value] of siblings) merged[key] = DATA_KEYS.has(key) ? value : inline(root, value, childPointer(pointer, key), expanding, depth + 1, out, budget);
  return merged;
}

function recursionStub(target: Value | undefined, ref: string): ValueObject {
  const stub: ValueObject = {};
  if (isPlainObject(target) && (typeof target['type'] === 'string' || Array.isArray(target['type']))) stub['type'] = target['type']!;
  else if (isPlainObject(target) && (isPlainObject(target['properties']) || Array.isArray(target['allOf']))) stub['type'] = 'object';
  stub['description'] = isPlainObject(target) && typeof target['description'] === 'string' ? target['description'] : `another ${ref.split('/').pop()}`;
  return stub;
}

/** `allOf` of object schemas as one object schema; left as it is (with a warning) when the parts do not combine simply. */
function mergeAllOf(schema: ValueObject, pointer: string, out: Problems): ValueObject {
  const { allOf, ...own } = schema;
  const parts = [...(allOf as Value[]), own];
  const merged = mergeObjectSchemas(parts);
  if (merged === undefined) {
    out.warnings.push({ pointer: childPointer(pointer, 'allOf'), message: 'allOf is kept as it is: its parts are not object schemas that combine without conflict, and checkers may ignore it' });
    return schema;
  }
  return merged;
}

function mergeObjectSchemas(parts: readonly Value[]): ValueObject | undefined {
  const head: ValueObject = {};
  const properties: ValueObject = {};
  const required: string[] = [];
  let sawProperties = false;
  for (const part of parts) {
    if (!isPlainObject(part)) return undefined;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'type') {
        if (value !== 'object') return undefined;
      } else if (key === 'properties') {
        if (!isPlainObject(value)) return undefined;
        sawProperties = true;
        for (const [name, s] of Object.entries(value)) {
          if (Object.prototype.hasOwnProperty.call(properties, name) && stringifyJson(properties[name]!) !== stringifyJson(s)) return undefined;
          properties[name] = s;
        }
      } else if (key === 'required') {
        if (!Array.isArray(value)) return undefined;
        for (const r of value) if (typeof r === 'string' && !required.includes(r)) required.push(r);
      } else if (key === 'description' || key === 'title') {
        // The first part's text describes the whole; a part's own wording is about the part.
        if (!(key in head)) head[key] = value;
      } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf' || key === 'not') {
        return undefined;
      } else if (key in head && stringifyJson(head[key]!) !== stringifyJson(value)) {
        return undefined;
      } else {
        head[key] = value;
      }
    }
  }
  if (!sawProperties) return undefined;
  return { type: 'object', ...head, properties, required };
}
