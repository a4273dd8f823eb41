/**
 * Checks on decoded JSON request bodies. Hand-written rather than a schema because a
 * batch can hold tens of thousands of items and each error must name its exact place
 * (`body[3].ground_truth: expected a string, got a number`).
 */

/** A field of a request body that is missing or of the wrong kind; `path` names it. */
export class FieldError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'FieldError';
  }
}

/** How an error message names a JSON value's kind. */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new FieldError(path, `expected a string, got ${kindOf(value)}`);
  return value;
}

/** An array of strings, every element checked so the first bad one is named. */
export function expectStringArray(value: unknown, path: string, hint = ''): string[] {
  if (!Array.isArray(value)) throw new FieldError(path, `expected an array of strings, got ${kindOf(value)}${hint}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw new FieldError(`${path}[${i}]`, `expected a string, got ${kindOf(value[i])}${hint}`);
  }
  return value as string[];
}
