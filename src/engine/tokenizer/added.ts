/**
 * Added tokens: strings that always encode to their own single id and are found in the
 * text before pre-tokenization, as 🤗 tokenizers' AddedVocabulary does. At each point
 * the leftmost, then longest, token wins. Tokens marked `normalized: false` are matched
 * in the raw text first; `normalized: true` ones in what is left after normalization.
 */

export interface AddedToken {
  id: number;
  content: string;
  /** Special tokens are dropped by `decode(…, { skipSpecialTokens: true })` and can be split as text on request. */
  special: boolean;
  /** Matched after normalization (🤗 `normalized`). */
  normalized: boolean;
}

export type Segment = { text: string } | { id: number };

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

function alternation(tokens: readonly AddedToken[]): RegExp | null {
  if (tokens.length === 0) return null;
  const sorted = [...tokens].sort((a, b) => b.content.length - a.content.length || (a.content < b.content ? -1 : 1));
  return new RegExp(sorted.map((t) => t.content.replace(REGEX_SYNTAX, '\\$&')).join('|'), 'gu');
}

interface Pass {
  regex: RegExp | null;
  ids: Map<string, number>;
}

function makePass(tokens: readonly AddedToken[]): Pass {
  return { regex: alternation(tokens), ids: new Map(tokens.map((t) => [t.content, t.id])) };
}

/** Finds added tokens in text. */
export class AddedTokenMatcher {
  private readonly raw: Pass;
  private readonly rawNoSpecial: Pass;
  private readonly normalized: Pass;
  private readonly normalizedNoSpecial: Pass;

  constructor(readonly tokens: readonly AddedToken[]) {
    const usable = tokens.filter((t) => t.content.length > 0);
    const raw = usable.filter((t) => !t.normalized);
    const norm = usable.filter((t) => t.normalized);
    this.raw = makePass(raw);
    this.rawNoSpecial = makePass(raw.filter((t) => !t.special));
    this.normalized = makePass(norm);
    this.normalizedNoSpecial = makePass(norm.filter((t) => !t.special));
  }

  /**
   * Cuts `text` into plain segments (already normalized by `normalize`) and added-token
   * ids. With `splitSpecial`, special tokens are left in the text to be encoded as text.
   */
  segments(text: string, normalize: ((s: string) => string) | null, splitSpecial: boolean): Segment[] {
    const out: Segment[] = [];
    const rawPass = splitSpecial ? this.rawNoSpecial : this.raw;
    const normPass = splitSpecial ? this.normalizedNoSpecial : this.normalized;
    for (const part of cut(text, rawPass)) {
      if (typeof part !== 'string') {
        out.push(part);
        continue;
      }
      const norm = normalize === null ? part : normalize(part);
      for (const inner of cut(norm, normPass)) out.push(typeof inner === 'string' ? { text: inner } : inner);
    }
    return out;
  }
}

function cut(text: string, pass: Pass): Array<string | { id: number }> {
  if (pass.regex === null || text.length === 0) return text.length === 0 ? [] : [text];
  const out: Array<string | { id: number }> = [];
  const regex = pass.regex;
  regex.lastIndex = 0;
  let done = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m.index > done) out.push(text.slice(done, m.index));
    out.push({ id: pass.ids.get(m[0])! });
    done = m.index + m[0].length;
  }
  if (done < text.length) out.push(text.slice(done));
  return out;
}
