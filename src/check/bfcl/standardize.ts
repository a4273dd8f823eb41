/**
 * BFCL's string normalisation: before comparing a string value with the acceptable
 * ones, both lose every space and every one of `, . / - _ * ^`, are lower-cased, and
 * single quotes become double quotes. So "April 1, 2024" equals "april 1 2024" and
 * "New-York" equals "newyork"; other punctuation (`:` `;` `!` `?` `(`) still counts.
 */
const DROPPED = /[ ,./\-_*^]/g;

/** The official normalisation of a string for comparison. */
export function standardizeString(s: string): string {
  return s.replace(DROPPED, '').toLowerCase().replaceAll("'", '"');
}
