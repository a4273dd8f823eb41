/**
 * Training a byte-level BPE vocabulary: start from the 256 bytes, repeatedly merge the
 * most frequent adjacent pair inside pre-tokens. Pair counts are kept up to date by
 * recounting only the words that contain the merged pair, and a lazy max-heap finds
 * the next pair, so a few megabytes of text train in seconds.
 *
 * Ties break by the smaller left id, then the smaller right id, so training is a pure
 * function of the corpus and the options.
 */
import { AddedTokenMatcher } from './added.ts';
import { MAX_VOCAB } from './bpe.ts';
import { BYTE_TO_CHAR } from './bytes.ts';
import { byteLevelStep, preTokenize, SPLIT_PATTERNS, splitStep, type PreTokenizerStep, type SplitName } from './pretokenize.ts';
import { DEFAULT_SPECIAL_TOKENS, type SpecialTokenSpec } from './special.ts';
import { Tokenizer } from './tokenizer.ts';

export interface TrainOptions {
  /** Total ids including the 256 bytes and the added tokens (default 2048). */
  vocabSize?: number;
  /** A pair seen fewer times than this is never merged (default 2); the vocabulary may then stay smaller. */
  minFrequency?: number;
  /** Added tokens, given ids after the learned ones (default: the chat-format tokens). */
  specialTokens?: readonly SpecialTokenSpec[];
  /** The pre-tokenizer's split (saved in tokenizer.json; default Qwen2's, see pretokenize.ts). */
  split?: SplitName;
}

/** Trains a byte-level BPE tokenizer on `corpus`, pre-tokenized with the named split. */
export function trainTokenizer(corpus: Iterable<string>, options: TrainOptions = {}): Tokenizer {
  const vocabSize = options.vocabSize ?? 2048;
  const minFrequency = Math.max(1, options.minFrequency ?? 2);
  const specials = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
  const budget = vocabSize - 256 - specials.length;
  if (!Number.isInteger(vocabSize) || budget < 0 || vocabSize > MAX_VOCAB) {
    throw new RangeError(`vocabSize ${vocabSize} must be an integer from ${256 + specials.length} (bytes + added tokens) to ${MAX_VOCAB}`);
  }
  const preTokenizer = [splitStep(SPLIT_PATTERNS[options.split ?? 'qwen2']), byteLevelStep(false, false)];
  const wordCounts = countWords(corpus, specials, preTokenizer);

  const tokens: string[] = [...BYTE_TO_CHAR];
  const idOfToken = new Map<string, number>(tokens.map((t, id) => [t, id]));
  const merges: Array<[string, string]> = [];
  const state = new PairState(wordCounts);

  let learned = 0;
  while (learned < budget) {
    const best = state.popBest(minFrequency);
    if (best === null) break;
    const left = tokens[Math.floor(best / MAX_VOCAB)]!;
    const right = tokens[best % MAX_VOCAB]!;
    const merged = left + right;
    // Two merges can spell the same bytes ("ab"+"c", "a"+"bc"): they share one id, as in 🤗.
    let id = idOfToken.get(merged);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(merged);
      idOfToken.set(merged, id);
      learned++;
    }
    merges.push([left, right]);
    state.merge(best, id);
  }

  // 🤗 gives an added token whose text is also a vocabulary string that string's id; a
  // clash would make the saved file mean something else, so refuse it.
  const clash = specials.find((s) => idOfToken.has(s.content));
  if (clash !== undefined) throw new Error(`added token ${JSON.stringify(clash.content)} is also a learned vocabulary string`);
  return new Tokenizer({
    bpe: { vocab: idOfToken, merges, unkToken: null, fuseUnk: false, ignoreMerges: false },
    preTokenizer,
    normalizer: null,
    addedTokens: specials.map((s, i) => ({ id: tokens.length + i, content: s.content, special: s.special, normalized: false })),
    byteLevelPostProcessor: true,
  });
}

function countWords(corpus: Iterable<string>, specials: readonly SpecialTokenSpec[], preTokenizer: readonly PreTokenizerStep[]): Map<string, number> {
  // Added tokens are cut out first, exactly as encoding will, so their text never feeds a merge.
  const matcher = new AddedTokenMatcher(specials.map((s, i) => ({ id: i, content: s.content, special: s.special, normalized: false })));
  const counts = new Map<string, number>();
  const add = (piece: string): void => {
    counts.set(piece, (counts.get(piece) ?? 0) + 1);
  };
  for (const text of corpus) {
    for (const segment of matcher.segments(text, null, false)) {
      if ('text' in segment) preTokenize(preTokenizer, segment.text, add);
    }
  }
  return counts;
}

/** Words as id sequences with their counts, adjacent-pair counts, and which words hold each pair. */
class PairState {
  private readonly words: number[][] = [];
  private readonly freq: number[] = [];
  private readonly pairCount = new Map<number, number>();
  private readonly wordsWithPair = new Map<number, number[]>();
  private readonly heap = new PairHeap();
  private readonly visited: Int32Array;
  private stamp = 0;
  /** Per-position scratch for `merge`, grown to the longest word seen. */
  private starts = new Uint8Array(64);
  private covered = new Uint8Array(64);
  private fresh = new Uint8Array(64);

  constructor(wordCounts: Map<string, number>) {
    const utf8 = new TextEncoder();
    for (const [word, count] of wordCounts) {
      const bytes = utf8.encode(word);
      if (bytes.length < 2) continue;
      const w = this.words.length;
      this.words.push(Array.from(bytes));
      this.freq.push(count);
      for (let i = 0; i + 1 < bytes.length; i++) this.notePair(bytes[i]! * MAX_VOCAB + bytes[i + 1]!, count, w);
    }
    this.visited = new Int32Array(this.words.length);
    for (const [key, count] of this.pairCount) this.heap.push(count, key);
  }

  private notePair(key: number, count: number, word: number): void {
    this.pairCount.set(key, (this.pairCount.get(key) ?? 0) + count);
    let list = this.wordsWithPair.get(key);
    if (list === undefined) this.wordsWithPair.set(key, (list = []));
    if (list[list.length - 1] !== word) list.push(word);
  }

  /** The most frequent pair with at least `minFrequency` occurrences, or null. */
  popBest(minFrequency: number): number | null {
    while (this.heap.size > 0) {
      const { count, key } = this.heap.pop();
      const current = this.pairCount.get(key) ?? 0;
      if (current !== count) {
        // Stale. A count that rose was pushed anew when it rose; one that fell is re-queued here.
        if (current > 0 && current < count) this.heap.push(current, key);
        continue;
      }
      return count >= minFrequency ? key : null;
    }
    return null;
  }

  /** Replaces every occurrence of the pair `key` by `id` and updates the counts. */
  merge(key: number, id: number): void {
    const a = Math.floor(key / MAX_VOCAB);
    const b = key % MAX_VOCAB;
    const delta = new Map<number, number>();
    this.stamp++;
    for (const w of this.wordsWithPair.get(key) ?? []) {
      if (this.visited[w] === this.stamp) continue;
      this.visited[w] = this.stamp;
      const word = this.words[w]!;
      const n = word.length;
      if (this.starts.length < n) {
        this.starts = new Uint8Array(2 * n);
        this.covered = new Uint8Array(2 * n);
        this.fresh = new Uint8Array(2 * n);
      }
      const { starts, covered, fresh } = this;
      // Occurrences, left to right without overlap: "aaa" merges as (aa)a.
      let found = false;
      covered.fill(0, 0, n);
      for (let i = 0; i < n; i++) {
        starts[i] = 0;
        if (i + 1 < n && word[i] === a && word[i + 1] === b && covered[i] === 0) {
          starts[i] = 1;
          covered[i] = 1;
          covered[i + 1] = 1;
          found = true;
        }
      }
      if (!found) continue;
      const f = this.freq[w]!;
      // Only pairs touching a merge site change: in the old word those overlapping an
      // occurrence, in the new word those holding a freshly made symbol.
      for (let i = 0; i + 1 < n; i++) {
        if (covered[i] === 1 || covered[i + 1] === 1) addTo(delta, word[i]! * MAX_VOCAB + word[i + 1]!, -f);
      }
      let m = 0;
      for (let i = 0; i < n; i++) {
        fresh[m] = starts[i]!;
        word[m++] = starts[i] === 1 ? id : word[i]!;
        if (starts[i] === 1) i++;
      }
      word.length = m;
      for (let i = 0; i + 1 < m; i++) {
        if (fresh[i] === 0 && fresh[i + 1] === 0) continue;
        const k = word[i]! * MAX_VOCAB + word[i + 1]!;
        addTo(delta, k, f);
        let list = this.wordsWithPair.get(k);
        if (list === undefined) this.wordsWithPair.set(k, (list = []));
        if (list[list.length - 1] !== w) list.push(w);
      }
    }
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const count = (this.pairCount.get(k) ?? 0) + d;
      if (count > 0) this.pairCount.set(k, count);
      else this.pairCount.delete(k);
      if (d > 0) this.heap.push(count, k);
    }
    this.pairCount.delete(key);
    this.wordsWithPair.delete(key);
  }
}

function addTo(map: Map<number, number>, key: number, d: number): void {
  map.set(key, (map.get(key) ?? 0) + d);
}

/** Max-heap of (count, pair key): larger count first, then smaller key. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private before(i: number, j: number): boolean {
    const ci = this.counts[i]!;
    const cj = this.counts[j]!;
    return ci > cj || (ci === cj && this.keys[i]! < this.keys[j]!);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i]!;
    this.counts[i] = this.counts[j]!;
    this.counts[j] = c;
    const k = this.keys[i]!;
    this.keys[i] = this.keys[j]!;
    this.keys[j] = k;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0]!, key: this.keys[0]! };
    const last = this.counts.length - 1;
    this.swap(0, last);
    this.counts.pop();
    this.keys.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < last && this.before(l, best)) best = l;
      if (r < last && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }
}
