/**
 * The values a request offers for one parameter, read off its last user turn by the
 * parameter's schema: numbers for a number, the enum's words for an enum, dates and times
 * for a date or a time, and for free text the spans that cannot be ordinary words — a
 * quoted phrase, a path, an e-mail address, a code with digits in it (BUNDLE15,
 * ORD-58387). Free text without such a mark ("Play Harbor Song") offers nothing: where it
 * starts and ends is a guess, and a mended label is only as good as its values.
 */
import type { Value } from '../core/value.ts';
import { isPlainObject } from '../core/value.ts';
import { NUMBER_WORDS, type GroundingIndex } from '../check/grounding.ts';

const QUOTED = /"([^"\n]{1,200})"|“([^”\n]{1,200})”/g;
const PATH = /(?<![\w/])\/[\w.-]+(?:\/[\w.-]+)+/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
// an identifier: capitals and digits, maybe joined by hyphens, with at least one digit
const CODE = /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g;

function spans(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[0]).trim().replace(/[.,;:!?]+$/, ''));
}

function digitsAt(text: string, n: number): number {
  return text.search(new RegExp(`(?<![\\d.])${String(n).replace('.', '\\.')}(?![\\d])`));
}

/** The numbers `text` gives (not parts of dates or times) by where they first appear, in digits or in words. */
function numbersInOrder(text: string, index: GroundingIndex): number[] {
  const lower = text.toLowerCase();
  const at = (n: number): number => {
    const places = [digitsAt(lower, n), ...Object.entries(NUMBER_WORDS).filter(([, v]) => v === n).map(([w]) => lower.search(new RegExp(`\\b${w}\\b`)))].filter((i) => i >= 0);
    return places.length === 0 ? Infinity : Math.min(...places);
  };
  return [...index.numbers]
    .map((n) => ({ n, at: at(n) }))
    .filter((x) => x.at !== Infinity)
    .sort((a, b) => a.at - b.at)
    .map((x) => x.n);
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Candidates for a parameter with `schema`, in the order the request gives them, leaving
 * out values `isFree` turns down (ones another argument already took). `index` is the
 * grounding index of the same turn (numbers and dates read out of it, parts of dates and
 * times set aside).
 */
export function valueCandidates(schema: Record<string, Value>, text: string, index: GroundingIndex, isFree: (value: Value) => boolean = () => true): Value[] {
  const items = isPlainObject(schema['items']) ? schema['items'] : undefined;
  // an array of numbers takes every number left, digits and words alike, in the order given
  if (schema['type'] === 'array' && (items?.['type'] === 'number' || items?.['type'] === 'integer')) {
    const numbers = numbersInOrder(text, index).filter((n) => (items['type'] === 'number' || Number.isInteger(n)) && isFree(n));
    return numbers.length > 1 ? [numbers] : [];
  }
  return scalarCandidates(schema, text, index).filter(isFree);
}

function scalarCandidates(schema: Record<string, Value>, text: string, index: GroundingIndex): Value[] {
  const type = schema['type'];
  const enumValues = schema['enum'];
  if (Array.isArray(enumValues)) {
    const lower = text.toLowerCase();
    return enumValues.filter((e): e is string | number => (typeof e === 'string' || typeof e === 'number') && new RegExp(`(?<![\\w-])${String(e).toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(lower));
  }
  // a number alone must be written in digits: a word like "one" is as often a pronoun ("the cheapest one")
  const written = [...index.numbers].filter((n) => digitsAt(text, n) >= 0);
  if (type === 'integer') return written.filter((n) => Number.isInteger(n));
  if (type === 'number') return written;
  if (type !== 'string') return [];
  const description = typeof schema['description'] === 'string' ? schema['description'] : '';
  if (schema['format'] === 'date' || description.includes('YYYY-MM-DD')) return [...index.dates];
  if (schema['format'] === 'time' || description.includes('HH:MM')) return [...index.times];
  return unique([...spans(text, QUOTED), ...spans(text, PATH), ...spans(text, EMAIL), ...spans(text, CODE)]);
}
