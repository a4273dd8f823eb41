/**
 * The BPE model: applies ranked merges to one pre-token's bytes. Merges are applied
 * lowest rank first, and among equal ranks leftmost first — the order 🤗 tokenizers'
 * `Word::merge_all` uses — with a heap over a linked list so a long pre-token (a run of
 * thousands of spaces) costs n log n, not n².
 */
import { BYTE_TO_CHAR, bytesToVocabString } from './bytes.ts';

/** Ids stay below this so a pair of ids packs into one number key. */
export const MAX_VOCAB = 1 << 21;

export interface BpeSpec {
  /** Vocabulary string (GPT-2 byte characters) → id. */
  vocab: ReadonlyMap<string, number>;
  /** Merges in rank order, as pairs of vocabulary strings. */
  merges: ReadonlyArray<readonly [string, string]>;
  unkToken: string | null;
  fuseUnk: boolean;
  /** When the whole pre-token is a vocabulary entry, emit it without merging (🤗 `ignore_merges`). */
  ignoreMerges: boolean;
}

/** A BPE vocabulary with ranked merges, encoding one pre-token at a time. */
export class BpeModel {
  /** Id of each byte's single-character token; -1 where the vocabulary lacks it. */
  readonly byteIds: Int32Array;
  private readonly rankOfPair = new Map<number, number>();
  private readonly mergedIdOfRank: Int32Array;
  private readonly unkId: number;

  constructor(readonly spec: BpeSpec) {
    this.byteIds = new Int32Array(256).fill(-1);
    for (let byte = 0; byte < 256; byte++) this.byteIds[byte] = spec.vocab.get(BYTE_TO_CHAR[byte]!) ?? -1;
    this.mergedIdOfRank = new Int32Array(spec.merges.length);
    spec.merges.forEach(([left, right], rank) => {
      const a = spec.vocab.get(left);
      const b = spec.vocab.get(right);
      const merged = spec.vocab.get(left + right);
      if (a === undefined || b === undefined || merged === undefined) {
        throw new Error(`merge ${rank} (${JSON.stringify(left)} ${JSON.stringify(right)}) uses a token missing from the vocabulary`);
      }
      const key = a * MAX_VOCAB + b;
      // A repeated merge keeps its first (best) rank, as a map built in order would.
      if (!this.rankOfPair.has(key)) this.rankOfPair.set(key, rank);
      this.mergedIdOfRank[rank] = merged;
    });
    this.unkId = spec.unkToken === null ? -1 : (spec.vocab.get(spec.unkToken) ?? -1);
  }

  /** The merge rank of two adjacent ids, or -1 when they never merge. */
  rank(left: number, right: number): number {
    return this.rankOfPair.get(left * MAX_VOCAB + right) ?? -1;
  }

  /** Token ids for one pre-token's UTF-8 bytes. */
  encodeBytes(bytes: Uint8Array): number[] {
    if (this.spec.ignoreMerges) {
      const whole = this.spec.vocab.get(bytesToVocabString(bytes));
      if (whole !== undefined) return [whole];
    }
    const symbols: number[] = [];
    let lastWasUnk = false;
    for (const byte of bytes) {
      const id = this.byteIds[byte]!;
      if (id >= 0) {
        symbols.push(id);
        lastWasUnk = false;
      } else if (this.unkId >= 0) {
        // Without an unknown token 🤗 drops a byte its vocabulary lacks; so do we.
        if (!(this.spec.fuseUnk && lastWasUnk)) symbols.push(this.unkId);
        lastWasUnk = true;
      }
    }
    return this.mergeAll(symbols);
  }

  private mergeAll(symbols: number[]): number[] {
    const n = symbols.length;
    if (n < 2) return symbols;
    if (n === 2) {
      const r = this.rank(symbols[0]!, symbols[1]!);
      return r < 0 ? symbols : [this.mergedIdOfRank[r]!];
    }
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    // Heap entries pack (rank, position) as rank * n + position: ordered by rank, then leftmost.
    const heap: number[] = [];
    for (let i = 0; i + 1 < n; i++) {
      const r = this.rank(symbols[i]!, symbols[i + 1]!);
      if (r >= 0) heapPush(heap, r * n + i);
    }
    const alive = new Uint8Array(n).fill(1);
    while (heap.length > 0) {
      const entry = heapPop(heap);
      const pos = entry % n;
      const r = (entry - pos) / n;
      const right = next[pos]!;
      // Entries go stale when a neighbour merged first; the pair there now must still be this merge.
      if (alive[pos] === 0 || right < 0 || this.rank(symbols[pos]!, symbols[right]!) !== r) continue;
      symbols[pos] = this.mergedIdOfRank[r]!;
      alive[right] = 0;
      const after = next[right]!;
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      const before = prev[pos]!;
      if (before >= 0) {
        const rb = this.rank(symbols[before]!, symbols[pos]!);
        if (rb >= 0) heapPush(heap, rb * n + before);
      }
      if (after >= 0) {
        const ra = this.rank(symbols[pos]!, symbols[after]!);
        if (ra >= 0) heapPush(heap, ra * n + pos);
      }
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(symbols[i]!);
    return out;
  }
}

function heapPush(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0]!;
  const last = heap.pop()!;
  const size = heap.length;
  if (size === 0) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const child = r < size && heap[r]! < heap[l]! ? r : l;
    if (heap[child]! >= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
  return top;
}
