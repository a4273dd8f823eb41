/**
 * Pieces for writing Python `re` patterns as JavaScript regexes with the same meaning
 * (all used with the `u` flag): Python's `\d`, `\s` and `\w` are Unicode-wide, its `.`
 * stops only at `\n`, and its `$` also matches just before a final newline.
 */
import { PY_SPACE_CLASS } from './python-text.ts';

/** `\d` */
export const D = '\\p{Nd}';
/** `\s` */
export const S = `[${PY_SPACE_CLASS}]`;
/** `\w` */
export const W = '[\\p{L}\\p{N}_]';
/** `.` without DOTALL */
export const DOT = '[^\\n]';
/** `.` with DOTALL */
export const ANY = '[^]';
/** `$` without MULTILINE */
export const END = '(?=\\n?$)';

/** Compiles a pattern written with the pieces above. */
export function pyRegex(source: string, flags = ''): RegExp {
  return new RegExp(source, `u${flags}`);
}
