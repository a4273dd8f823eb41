/**
 * Invented values for pretraining data. When the base split draws its names, titles and
 * ids from small pools, a small model learns to recall the pools' values instead of
 * copying the request's: it then writes a typical value for one it never saw. Data with
 * many rare items pushes a model towards copying from the context (Chan et al. 2022,
 * "Data distributional properties drive emergent in-context learning"), so the base split
 * can replace some drawn values with invented ones of the same shape: "EV-300" becomes
 * "EV-517", "Lumen Park" becomes "Toravi Mek".
 */
import type { Rng } from '../core/random.ts';

const CONSONANTS = 'bcdfghjklmnprstvz';
const VOWELS = 'aeiou';
/** Short words kept as they are, so an invented phrase still reads like one. */
const KEPT_WORDS = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'to', 'in', 'on', 'at', 'for', 'with', 'by', 'my', 'i', 'it', 'is', 'no', 'not']);

function syllableWord(length: number, rng: Rng): string {
  let out = '';
  while (out.length < length) {
    out += CONSONANTS[rng.int(0, CONSONANTS.length - 1)]! + VOWELS[rng.int(0, VOWELS.length - 1)]!;
    if (out.length < length - 1 && rng.chance(0.3)) out += CONSONANTS[rng.int(0, CONSONANTS.length - 1)]!;
  }
  return out.slice(0, length);
}

function inventWord(word: string, rng: Rng): string {
  if (KEPT_WORDS.has(word.toLowerCase())) return word;
  const length = Math.max(2, word.length + rng.int(-1, 1));
  const made = syllableWord(length, rng);
  if (word === word.toUpperCase() && word.length > 1) return made.toUpperCase();
  return word[0] === word[0]!.toUpperCase() ? made[0]!.toUpperCase() + made.slice(1) : made;
}

function inventDigits(digits: string, rng: Rng): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) out += String(i === 0 && digits[0] !== '0' ? rng.int(1, 9) : rng.int(0, 9));
  return out;
}

/**
 * A new value shaped like `value`: with digits, only the digits change (ids keep their
 * prefix); without, every word but a few short ones is replaced by an invented word of
 * about its length and with its capitalisation.
 */
export function inventLike(value: string, rng: Rng): string {
  if (/\d/.test(value)) return value.replace(/\d+/g, (d) => inventDigits(d, rng));
  return value.replace(/[A-Za-z]+/g, (w) => inventWord(w, rng));
}
