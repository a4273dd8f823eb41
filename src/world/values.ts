/**
 * Value sources for template slots. Each draws a value and one of the ways people write
 * it. Pools are split between the base model's data and the loop's (seed and test share
 * theirs), so the base model never sees the values the loop is measured on — unless its
 * data draws from every split's values (`FillContext.allValues`).
 */
import type { Value } from '../core/value.ts';
import type { FillContext, Filled, Split, ValueSource } from './types.ts';
import { inventLike } from './invent.ts';

/** The world's calendar year: dates written without a year mean this one. */
export const WORLD_YEAR = 2026;

export interface PoolItem {
  value: Value;
  /** Surface forms; the first is the canonical one. */
  texts: readonly string[];
}

/** Items at even positions belong to the base split, odd ones to seed and test; `all` takes every item. */
export function partition<T>(items: readonly T[], split: Split, all = false): T[] {
  if (all) return items.slice();
  const own = items.filter((_, i) => (i % 2 === 0) === (split === 'base'));
  return own.length > 0 ? own : items.slice();
}

/** A pool of strings (or items with several surface forms), partitioned by split. */
export function pool(items: readonly (string | PoolItem)[]): ValueSource {
  const normalised: PoolItem[] = items.map((it) => (typeof it === 'string' ? { value: it, texts: [it] } : it));
  return ({ rng, split, invent, allValues }) => {
    const item = rng.pick(partition(normalised, split, allValues));
    // only values written exactly as they go into the call can be invented consistently
    if (invent && typeof item.value === 'string' && item.texts.every((t) => t === item.value) && rng.chance(invent)) {
      const made = inventLike(item.value, rng);
      return { value: made, text: made };
    }
    return { value: item.value, text: rng.pick(item.texts) };
  };
}

/** A pool whose values are the same in every split (enum-like choices such as units or sort orders). */
export function choice(items: readonly PoolItem[]): ValueSource {
  return ({ rng }) => {
    const item = rng.pick(items);
    return { value: item.value, text: rng.pick(item.texts) };
  };
}

export function constant(value: Value, text: string): ValueSource {
  return () => ({ value, text });
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** A whole number in [lo, hi]; small ones are sometimes spelt out. `unit` is appended to the text ("3 nights"). */
export function integer(lo: number, hi: number, unit = ''): ValueSource {
  return ({ rng }) => {
    const n = rng.int(lo, hi);
    const digits = n >= 1000 && rng.chance(0.5) ? n.toLocaleString('en-US') : String(n);
    const word = n < NUMBER_WORDS.length && rng.chance(0.3) ? NUMBER_WORDS[n]! : digits;
    const u = unit === '' ? '' : ` ${n === 1 ? unit.replace(/s$/, '') : unit}`;
    return { value: n, text: word + u };
  };
}

/** A money amount with cents, written "$49.99", "49.99 dollars" or "USD 49.99". */
export function money(lo: number, hi: number, symbol = '$', word = 'dollars', code = 'USD'): ValueSource {
  return ({ rng }) => {
    const whole = rng.int(lo, hi);
    const cents = rng.chance(0.5) ? 0 : rng.int(1, 99);
    const value = whole + cents / 100;
    const digits = cents === 0 ? String(whole) : value.toFixed(2);
    const text = rng.pick([`${symbol}${digits}`, `${digits} ${word}`, `${code} ${digits}`]);
    return { value, text };
  };
}

/** A decimal in [lo, hi] with `places` decimals. */
export function decimal(lo: number, hi: number, places: number, unit = ''): ValueSource {
  return ({ rng }) => {
    const scale = 10 ** places;
    const value = Math.round((lo + rng.float() * (hi - lo)) * scale) / scale;
    return { value, text: unit === '' ? String(value) : `${value} ${unit}` };
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A date in the world's year as ISO `YYYY-MM-DD`, written one of several ways. */
export function date(): ValueSource {
  return ({ rng }) => {
    const month = rng.int(1, 12);
    const day = rng.int(1, 28);
    const iso = `${WORLD_YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const name = MONTHS[month - 1]!;
    const text = rng.pick([iso, `${name} ${day}`, `${day} ${name}`, `${name.slice(0, 3)} ${day}`, `${name} ${day}, ${WORLD_YEAR}`, `${month}/${day}/${WORLD_YEAR}`]);
    return { value: iso, text };
  };
}

/** A time of day as `HH:MM` (24 h), written "14:30", "2:30 pm" or "2:30pm". */
export function timeOfDay(): ValueSource {
  return ({ rng }) => {
    const hour = rng.int(7, 20);
    const minute = rng.pick([0, 15, 30, 45]);
    const value = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const h12 = hour % 12 === 0 ? 12 : hour % 12;
    const suffix = hour < 12 ? 'am' : 'pm';
    const text = rng.pick([value, `${h12}:${String(minute).padStart(2, '0')} ${suffix}`, `${h12}:${String(minute).padStart(2, '0')}${suffix}`]);
    return { value, text };
  };
}

/** `a`, `a and b`, `a, b and c`. */
export function joinList(texts: readonly string[]): string {
  if (texts.length <= 1) return texts[0] ?? '';
  return `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}

/** Several distinct values from one source, as an array argument written as a list. */
export function listOf(source: ValueSource, min: number, max: number): ValueSource {
  return (ctx: FillContext): Filled => {
    const n = ctx.rng.int(min, max);
    const values: Value[] = [];
    const texts: string[] = [];
    for (let tries = 0; values.length < n && tries < n * 10; tries++) {
      const f = source(ctx);
      if (values.some((v) => JSON.stringify(v) === JSON.stringify(f.value))) continue;
      values.push(f.value);
      texts.push(f.text);
    }
    return { value: values, text: joinList(texts) };
  };
}
