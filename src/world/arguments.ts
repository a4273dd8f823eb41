/** Checks and readers the executors and chains share: dates, clock times, the first item of a result list. */
import { isPlainObject, type Value } from '../core/value.ts';
import { ToolError } from './types.ts';

export function isoDate(v: Value | undefined, key: string): string {
  const d = String(v ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new ToolError(`${key} must be YYYY-MM-DD, got "${d}"`);
  return d;
}

export function clockTime(v: Value | undefined, key: string): string {
  const t = String(v ?? '');
  if (!/^\d{2}:\d{2}$/.test(t)) throw new ToolError(`${key} must be HH:MM, got "${t}"`);
  return t;
}

/** `result[list][0][field]` when it is a string: what a chain's "the first one" refers to. */
export function firstItem(result: Value, list: string, field: string): string | undefined {
  const items = isPlainObject(result) ? result[list] : undefined;
  const first = Array.isArray(items) ? items[0] : undefined;
  const v = isPlainObject(first) ? first[field] : undefined;
  return typeof v === 'string' ? v : undefined;
}
