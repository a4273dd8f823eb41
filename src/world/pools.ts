/**
 * Entities shared by several domains: the cities, people and companies of the world.
 * Each domain's own state (files, products, accounts …) lives in its domain file.
 */
import { hashString } from '../core/random.ts';

export const CITIES = [
  'Paris', 'Rome', 'Oslo', 'Madrid', 'Berlin', 'Lisbon', 'Vienna', 'Prague', 'Dublin', 'Athens',
  'Tokyo', 'Seoul', 'Bangkok', 'Singapore', 'Sydney', 'Auckland', 'Toronto', 'Chicago', 'Boston', 'Denver',
  'Seattle', 'Austin', 'Miami', 'Mexico City', 'Lima', 'Santiago', 'Cairo', 'Nairobi', 'Cape Town', 'Istanbul',
  'Dubai', 'Mumbai', 'Delhi', 'Hanoi', 'Manila', 'Helsinki', 'Stockholm', 'Warsaw', 'Budapest', 'Zurich',
] as const;

export const FIRST_NAMES = [
  'Alice', 'Bruno', 'Chloe', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas',
  'Keiko', 'Liam', 'Maya', 'Nikolai', 'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Samir', 'Tara',
  'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Arjun', 'Beatriz', 'Carlos', 'Dana',
] as const;

export const LAST_NAMES = [
  'Novak', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Schmidt', 'Rossi', 'Haddad', 'Kowalski', 'Silva',
  'Nguyen', 'Patel', 'Garcia', 'Murphy', 'Costa', 'Ivanova', 'Kim', 'Larsen', 'Mendes', 'Brennan',
  'Ali', 'Fischer', 'Dubois', 'Sato', 'Jensen', 'Romero', 'Chen', 'Walsh', 'Berg', 'Duarte',
] as const;

/** The people in the user's address book: full name, e-mail and phone, all derived deterministically. */
export interface Contact {
  name: string;
  email: string;
  phone: string;
}

export const CONTACTS: readonly Contact[] = FIRST_NAMES.map((first, i) => {
  const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
  const h = hashString(first + last);
  return {
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
    phone: `+1-555-${String(100 + (h % 900)).padStart(3, '0')}-${String(1000 + ((h >>> 10) % 9000))}`,
  };
});

/** A deterministic number in [lo, hi] for a key: how the world invents stable facts (temperatures, prices). */
export function stableInt(key: string, lo: number, hi: number): number {
  return lo + (hashString(key) % (hi - lo + 1));
}

/** Case-insensitive lookup of a name in a list, returning the list's spelling. */
export function findName<T extends string>(list: readonly T[], name: string): T | undefined {
  const want = name.trim().toLowerCase();
  return list.find((x) => x.toLowerCase() === want);
}
