/**
 * A byte-level BPE tokenizer that encodes and decodes as 🤗 tokenizers does for the same
 * `tokenizer.json`: added tokens are found first, the rest is (optionally normalized,)
 * pre-tokenized, and each pre-token's UTF-8 bytes are merged by the BPE model.
 */
import { type AddedToken, AddedTokenMatcher } from './added.ts';
import { BpeModel, type BpeSpec } from './bpe.ts';
import { bytesToVocabString, vocabStringToBytes } from './bytes.ts';
import { preTokenize, type PreTokenizerStep } from './pretokenize.ts';

export type UnicodeNormalization = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

export interface TokenizerSpec {
  bpe: BpeSpec;
  preTokenizer: readonly PreTokenizerStep[];
  normalizer: UnicodeNormalization | null;
  addedTokens: readonly AddedToken[];
  /** Whether the file had a ByteLevel post-processor (it adds no ids; kept so saving round-trips). */
  byteLevelPostProcessor: boolean;
}

export interface EncodeOptions {
  /** Encode special tokens' text as ordinary text (🤗 `split_special_tokens`); for untrusted content. */
  splitSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave out added tokens marked special (🤗 `skip_special_tokens`). */
  skipSpecialTokens?: boolean;
}

/** Pre-tokens remembered per tokenizer; beyond this the cache starts afresh. */
const WORD_CACHE_LIMIT = 200_000;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** Encodes text to ids and back; built by `trainTokenizer` or loaded from a tokenizer.json. */
export class Tokenizer {
  readonly model: BpeModel;
  private readonly matcher: AddedTokenMatcher;
  private readonly tokenOfId: Array<string | undefined> = [];
  private readonly bytesOfId: Array<Uint8Array | undefined> = [];
  private readonly specialIds = new Set<number>();
  private readonly addedIdOf = new Map<string, number>();
  private readonly wordCache = new Map<string, readonly number[]>();
  private readonly normalize: ((s: string) => string) | null;
  /** One more than the largest id: the embedding table size a model needs. */
  readonly vocabSize: number;

  constructor(readonly spec: TokenizerSpec) {
    this.model = new BpeModel(spec.bpe);
    this.matcher = new AddedTokenMatcher(spec.addedTokens);
    for (const [token, id] of spec.bpe.vocab) this.tokenOfId[id] = token;
    for (const t of spec.addedTokens) {
      this.tokenOfId[t.id] = t.content;
      this.addedIdOf.set(t.content, t.id);
      if (t.special) this.specialIds.add(t.id);
    }
    this.vocabSize = this.tokenOfId.length;
    const form = spec.normalizer;
    this.normalize = form === null ? null : (s) => s.normalize(form);
  }

  /** Token ids for `text`; added tokens written in the text become their single ids. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const emitWord = (piece: string): void => {
      let word = this.wordCache.get(piece);
      if (word === undefined) {
        word = this.model.encodeBytes(utf8.encode(piece));
        if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
        this.wordCache.set(piece, word);
      }
      for (let i = 0; i < word.length; i++) ids.push(word[i]!);
    };
    for (const segment of this.matcher.segments(text, this.normalize, options.splitSpecialTokens === true)) {
      if ('id' in segment) ids.push(segment.id);
      else preTokenize(this.spec.preTokenizer, segment.text, emitWord);
    }
    return ids;
  }

  /**
   * The pre-tokens of `text` as vocabulary strings, with added tokens left as text: what
   * 🤗's `pre_tokenizer.pre_tokenize_str` returns (normalization is not applied).
   */
  preTokens(text: string): string[] {
    const out: string[] = [];
    preTokenize(this.spec.preTokenizer, text, (piece) => out.push(bytesToVocabString(utf8.encode(piece))));
    return out;
  }

  /** The text of `ids`; bytes that are not valid UTF-8 (a cut multi-byte character) become U+FFFD. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    return utf8Decoder.decode(this.decodeBytes(ids, options));
  }

  /** The raw bytes of `ids`, for streaming decoders that must wait for a character's last byte. */
  decodeBytes(ids: readonly number[], options: DecodeOptions = {}): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const id of ids) {
      if (options.skipSpecialTokens === true && this.specialIds.has(id)) continue;
      const bytes = this.tokenBytes(id);
      parts.push(bytes);
      length += bytes.length;
    }
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** The bytes one token stands for (throws on an id outside the vocabulary). */
  tokenBytes(id: number): Uint8Array {
    let bytes = this.bytesOfId[id];
    if (bytes === undefined) {
      const token = this.tokenOfId[id];
      if (token === undefined) throw new RangeError(`token id ${id} is not in the vocabulary (size ${this.vocabSize})`);
      bytes = vocabStringToBytes(token);
      this.bytesOfId[id] = bytes;
    }
    return bytes;
  }

  /** The vocabulary string of an id (`Ġthe`, `<|im_end|>`), or undefined. */
  idToToken(id: number): string | undefined {
    return this.tokenOfId[id];
  }

  /** The id of a vocabulary string or added token, or undefined. */
  tokenToId(token: string): number | undefined {
    return this.addedIdOf.get(token) ?? this.spec.bpe.vocab.get(token);
  }

  /** The id of an added token; throws when the tokenizer lacks it (a chat format needs it). */
  addedTokenId(content: string): number {
    const id = this.addedIdOf.get(content);
    if (id === undefined) throw new Error(`tokenizer has no added token ${JSON.stringify(content)}`);
    return id;
  }

  /** Whether an id is an added token marked special. */
  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  /** The added tokens, in the order the file lists them. */
  get addedTokens(): readonly AddedToken[] {
    return this.spec.addedTokens;
  }
}
