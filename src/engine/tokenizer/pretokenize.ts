/**
 * Pre-tokenization: cutting text into the pieces BPE merges within, the way 🤗
 * tokenizers' pre-tokenizers do. looptool's own tokenizers use the Qwen2 layout:
 * `Sequence[Split(PATTERN, Isolated), ByteLevel(add_prefix_space=false,
 * use_regex=false)]`, with Qwen2's pattern or looptool's copy-friendly one. Loaded files
 * may also use a lone `ByteLevel` (GPT-2 style, with or without the prefix space).
 */
import { onigToJsRegex } from './onig-regex.ts';

/**
 * The Qwen2 split (as stored in its tokenizer.json): contractions, a letter run with at
 * most one leading non-letter, single digits (numbers in tool arguments stay regular),
 * punctuation runs with trailing newlines, newline runs, and spaces that keep one space
 * for the next word.
 */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * looptool's copy-friendly split: Qwen2's, except that a letter run never takes a leading
 * space or quote and "/" stands alone. A value then has the same tokens in a request
 * ("from Tokyo", " /home/docs") as inside a JSON call ("Tokyo", "/home/docs"); under
 * Qwen2's split " Tokyo" and "Tokyo" start with different tokens, so a small model has to
 * learn a mapping for every first token where it could otherwise copy. Spaces become
 * tokens of their own: world samples get about 19% longer.
 */
export const WORDS_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|\\p{L}+|\\p{N}|/| ?[^\\s\\p{L}\\p{N}/]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+";

/** The splits looptool trains tokenizers with, by name. */
export const SPLIT_PATTERNS = Object.freeze({ qwen2: QWEN2_SPLIT_PATTERN, words: WORDS_SPLIT_PATTERN });
export type SplitName = keyof typeof SPLIT_PATTERNS;

/** The split 🤗's `ByteLevel(use_regex=true)` applies (the GPT-2 pattern). */
export const GPT2_SPLIT_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

export type PreTokenizerStep =
  /** 🤗 `Split` with behavior `Isolated`: matches and the gaps between them are pieces. */
  | { kind: 'split'; pattern: string; regex: RegExp }
  /** 🤗 `ByteLevel`: optional leading space per piece, optional GPT-2 split; bytes are mapped later. */
  | { kind: 'byteLevel'; addPrefixSpace: boolean; useRegex: boolean; trimOffsets: boolean; regex: RegExp };

/** A `Split` step for an Oniguruma pattern (throws `RegexTranslationError` when untranslatable). */
export function splitStep(pattern: string): PreTokenizerStep {
  return { kind: 'split', pattern, regex: onigToJsRegex(pattern) };
}

const gpt2Regex = onigToJsRegex(GPT2_SPLIT_PATTERN);

/** A `ByteLevel` step (`trimOffsets` only affects 🤗's offsets; it is kept so a file saves back as loaded). */
export function byteLevelStep(addPrefixSpace: boolean, useRegex: boolean, trimOffsets = false): PreTokenizerStep {
  return { kind: 'byteLevel', addPrefixSpace, useRegex, trimOffsets, regex: gpt2Regex };
}

/** The pre-tokenizer looptool trains and saves. */
export function qwen2PreTokenizer(): PreTokenizerStep[] {
  return [splitStep(QWEN2_SPLIT_PATTERN), byteLevelStep(false, false)];
}

/** Calls `emit` for each piece `regex` cuts `text` into, gaps included, in order. */
export function splitIsolated(text: string, regex: RegExp, emit: (piece: string) => void): void {
  regex.lastIndex = 0;
  let done = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      // An empty match splits nothing; step over one code point so the scan moves on.
      regex.lastIndex = start + ((text.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    if (start > done) emit(text.slice(done, start));
    emit(m[0]);
    done = end;
  }
  if (done < text.length) emit(text.slice(done));
}

function applyStep(step: PreTokenizerStep, piece: string, emit: (piece: string) => void): void {
  if (step.kind === 'split') {
    splitIsolated(piece, step.regex, emit);
    return;
  }
  const text = step.addPrefixSpace && !piece.startsWith(' ') ? ` ${piece}` : piece;
  if (step.useRegex) splitIsolated(text, step.regex, emit);
  else emit(text);
}

/** Cuts `text` into pre-tokens (still plain text; the byte mapping is BPE's job). */
export function preTokenize(steps: readonly PreTokenizerStep[], text: string, emit: (piece: string) => void): void {
  if (text.length === 0) return;
  const first = steps[0];
  if (steps.length === 2 && first?.kind === 'split' && steps[1]!.kind === 'byteLevel' && !steps[1]!.addPrefixSpace && !steps[1]!.useRegex) {
    // The layout looptool writes: one regex pass, no intermediate arrays.
    splitIsolated(text, first.regex, emit);
    return;
  }
  let pieces = [text];
  for (const step of steps) {
    const next: string[] = [];
    for (const piece of pieces) applyStep(step, piece, (p) => next.push(p));
    pieces = next;
  }
  for (const piece of pieces) emit(piece);
}
