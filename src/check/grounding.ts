/**
 * Argument grounding: does a call's value come from the conversation? People write the
 * same value many ways ("$1,200", "March 14", "2:30 pm", "five"), so the conversation is
 * indexed in normal forms first: numbers, ISO dates, 24-hour times, lower-cased text,
 * and every string and number inside earlier tool results.
 */
import type { Message } from '../core/types.ts';
import { tryParseJson } from '../core/json.ts';
import { PyFloat, isPlainObject, numericValue, type Value } from '../core/value.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** "a night", "an hour": the article may mean one, but nearly every sentence has one, so it is weak evidence. */
const ARTICLES = new Set(['a', 'an']);
/** Numbers people write as words ("seven", "a dozen"). */
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  single: 1, couple: 2, pair: 2, dozen: 12, twenty: 20, thirty: 30, fifty: 50, hundred: 100,
};

export interface GroundingIndex {
  /** Lower-cased text of the turns, spaces collapsed. */
  text: string;
  numbers: Set<number>;
  /** Numbers only an article ("a" for 1) or a part of a date or time ("2" in "2/13/2026") could have said. */
  weakNumbers: Set<number>;
  dates: Set<string>;
  times: Set<string>;
  /** Lower-cased strings found in tool results. */
  resultStrings: Set<string>;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const MONTH_FIRST = new RegExp(`\\b${MONTH}\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`, 'g');
const DAY_FIRST = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH}\\b(?:,? (\\d{4}))?`, 'g');
const HOUR_AM_PM = /\b(\d{1,2})\s*(am|pm)\b/g;

function monthIndex(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.slice(0, 3))) + 1;
}

/** Finds numbers, dates and times in free text and adds them to the index. */
function scanText(raw: string, index: GroundingIndex, year: number): void {
  const text = raw.toLowerCase();
  const monthFirst = [...text.matchAll(MONTH_FIRST)];
  const dayFirst = [...text.matchAll(DAY_FIRST)];
  const hours = [...text.matchAll(HOUR_AM_PM)];
  // a part of a date or a time ("2" in "2/13/2026" or "Nov 2", "30" in "19:30", "3" in
  // "3pm") is weak evidence for a number on its own, like an article
  const spans = [...text.matchAll(/\d+(?:[/:-]\d+)+/g), ...monthFirst, ...dayFirst, ...hours].map((m) => [m.index, m.index + m[0].length] as const);
  const inSpan = (at: number): boolean => spans.some(([from, to]) => at >= from && at < to);
  for (const m of text.matchAll(/(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/g)) {
    const n = Number(m[0].replace(/,/g, ''));
    if (!Number.isFinite(n)) continue;
    (inSpan(m.index) ? index.weakNumbers : index.numbers).add(n);
  }
  for (const w of text.match(/[a-z]+/g) ?? []) {
    const n = NUMBER_WORDS[w];
    if (n !== undefined) index.numbers.add(n);
    else if (ARTICLES.has(w)) index.weakNumbers.add(1);
  }
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) index.dates.add(`${m[1]}-${m[2]}-${m[3]}`);
  for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g)) index.dates.add(`${m[3]}-${pad2(Number(m[1]))}-${pad2(Number(m[2]))}`);
  for (const m of monthFirst) index.dates.add(`${m[3] ?? year}-${pad2(monthIndex(m[1]!))}-${pad2(Number(m[2]))}`);
  for (const m of dayFirst) index.dates.add(`${m[3] ?? year}-${pad2(monthIndex(m[2]!))}-${pad2(Number(m[1]))}`);
  for (const m of text.matchAll(/\b(\d{1,2}):(\d{2})\s*(am|pm|a\.m\.|p\.m\.)?/g)) {
    let hour = Number(m[1]);
    const suffix = m[3]?.[0];
    if (suffix === 'p' && hour < 12) hour += 12;
    if (suffix === 'a' && hour === 12) hour = 0;
    index.times.add(`${pad2(hour)}:${m[2]}`);
  }
  for (const m of hours) {
    let hour = Number(m[1]);
    if (m[2] === 'pm' && hour < 12) hour += 12;
    if (m[2] === 'am' && hour === 12) hour = 0;
    index.times.add(`${pad2(hour)}:00`);
  }
}

function scanResult(v: Value, index: GroundingIndex, year: number): void {
  if (typeof v === 'string') {
    index.resultStrings.add(v.toLowerCase());
    scanText(v, index, year);
  } else if (typeof v === 'number' || v instanceof PyFloat) index.numbers.add(numericValue(v)!);
  else if (Array.isArray(v)) for (const x of v) scanResult(x, index, year);
  else if (isPlainObject(v)) for (const x of Object.values(v)) scanResult(x, index, year);
}

/**
 * Indexes the turns a value may come from: user turns, assistant text and tool results.
 * `year` completes dates written without one.
 */
export function groundingIndex(messages: readonly Message[], year: number): GroundingIndex {
  const index: GroundingIndex = { text: '', numbers: new Set(), weakNumbers: new Set(), dates: new Set(), times: new Set(), resultStrings: new Set() };
  const texts: string[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const parsed = tryParseJson(m.content);
      scanResult(parsed.ok ? parsed.value : m.content, index, year);
      texts.push(m.content);
    } else if (m.role === 'user' || (m.role === 'assistant' && m.content)) {
      texts.push(m.content ?? '');
      scanText(m.content ?? '', index, year);
    }
  }
  index.text = texts.join('\n').toLowerCase().replace(/\s+/g, ' ');
  return index;
}

/** How a parameter may be satisfied without being mentioned. */
export interface ParamHint {
  /** The parameter's name: a boolean switched on is grounded when the text uses a word of it. */
  name?: string;
  default?: Value;
  /** Only strong evidence: a number an article could stand for does not count. */
  strict?: boolean;
}

function hasNumber(index: GroundingIndex, n: number, strict: boolean | undefined): boolean {
  return index.numbers.has(n) || (!strict && index.weakNumbers.has(n));
}

function containsWord(text: string, needle: string): boolean {
  if (needle === '') return false;
  // a path that goes on ("/work/archive" in "/work/archive/old-report.pdf") names a file
  // inside the folder, not the folder
  const path = needle.includes('/');
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + needle.length] ?? '';
    const goesOn = path && !needle.endsWith('/') && after === '/' && /[a-z0-9]/.test(text[at + needle.length + 1] ?? '');
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after) && !goesOn) return true;
    from = at + 1;
  }
}

/** Words of flag names that say nothing about what the flag asks for. */
const GENERIC_FLAG_WORDS = new Set(['include', 'only', 'show', 'with', 'enable', 'enabled', 'allow', 'use', 'should', 'want', 'flag']);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 4);
}

/** Whether a value (every leaf of it) comes from the indexed conversation or is the parameter's default. */
export function isGrounded(value: Value, index: GroundingIndex, hint: ParamHint = {}): boolean {
  if (hint.default !== undefined && JSON.stringify(hint.default) === JSON.stringify(value)) return true;
  if (value === null) return true;
  if (typeof value === 'boolean') {
    // a flag at its default needs no mention (handled above); one switched away from it
    // does, and so does one switched on when the default is unknown
    if (!value && typeof hint.default !== 'boolean') return true;
    return nameWords(hint.name ?? '').some((w) => !GENERIC_FLAG_WORDS.has(w) && index.text.includes(w.replace(/(?:es|s|e)$/, '')));
  }
  if (typeof value === 'number' || value instanceof PyFloat) return hasNumber(index, numericValue(value)!, hint.strict);
  if (typeof value === 'string') return stringGrounded(value, index, hint.strict);
  const strict = hint.strict ? { strict: true } : {};
  if (Array.isArray(value)) return value.every((x) => isGrounded(x, index, { name: hint.name, ...strict }));
  return Object.entries(value).every(([k, x]) => isGrounded(x, index, { name: k, ...strict }));
}

function stringGrounded(value: string, index: GroundingIndex, strict: boolean | undefined): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return false;
  if (index.resultStrings.has(v)) return true;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v) && index.dates.has(v)) return true;
  if (/^\d{2}:\d{2}$/.test(v) && index.times.has(v)) return true;
  if (/^-?\d+(\.\d+)?$/.test(v) && hasNumber(index, Number(v), strict)) return true;
  if (containsWord(index.text, v)) return true;
  // enum-like identifiers: "round_trip" written "round trip", "high-priority" written "high priority"
  const spaced = v.replace(/[_-]+/g, ' ');
  return spaced !== v && containsWord(index.text, spaced);
}
