/**
 * The 🤗 `tokenizer.json` format: writing a tokenizer so Python `tokenizers`,
 * `transformers` and inference servers load it, and reading one back with every field
 * checked. A file this tokenizer cannot reproduce exactly (another model type, byte
 * fallback, a normalizer or post-processor it lacks, truncation) is refused with the
 * field named, never encoded approximately.
 */
import { InputError } from '../../core/records.ts';
import type { AddedToken } from './added.ts';
import { MAX_VOCAB } from './bpe.ts';
import { RegexTranslationError } from './onig-regex.ts';
import { byteLevelStep, type PreTokenizerStep, splitStep } from './pretokenize.ts';
import { Tokenizer, type TokenizerSpec, type UnicodeNormalization } from './tokenizer.ts';

type Json = Record<string, unknown>;

function byteLevelJson(addPrefixSpace: boolean, trimOffsets: boolean, useRegex: boolean): Json {
  return { type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: trimOffsets, use_regex: useRegex };
}

function stepJson(step: PreTokenizerStep): Json {
  if (step.kind === 'split') return { type: 'Split', pattern: { Regex: step.pattern }, behavior: 'Isolated', invert: false };
  return byteLevelJson(step.addPrefixSpace, step.trimOffsets, step.useRegex);
}

/** The `tokenizer.json` object for a tokenizer. */
export function tokenizerToJson(tokenizer: Tokenizer): Json {
  const spec = tokenizer.spec;
  const steps = spec.preTokenizer.map(stepJson);
  const vocab: Json = {};
  for (const [token, id] of [...spec.bpe.vocab].sort((x, y) => x[1] - y[1])) vocab[token] = id;
  // "a b" is the form every tokenizers version reads; pairs are needed only if a token holds a space.
  const spaced = spec.bpe.merges.some(([l, r]) => l.includes(' ') || r.includes(' '));
  const merges = spec.bpe.merges.map(([l, r]) => (spaced ? [l, r] : `${l} ${r}`));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...spec.addedTokens]
      .sort((a, b) => a.id - b.id)
      .map((t) => ({ id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: t.normalized, special: t.special })),
    normalizer: spec.normalizer === null ? null : { type: spec.normalizer },
    pre_tokenizer: steps.length === 1 ? steps[0] : { type: 'Sequence', pretokenizers: steps },
    post_processor: spec.byteLevelPostProcessor ? byteLevelJson(false, false, false) : null,
    decoder: byteLevelJson(false, false, false),
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: spec.bpe.unkToken,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: spec.bpe.fuseUnk,
      byte_fallback: false,
      ignore_merges: spec.bpe.ignoreMerges,
      vocab,
      merges,
    },
  };
}

/** Reads fields of one JSON object, throwing `InputError` that names the file and field. */
class Fields {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly obj: Json,
  ) {}

  static of(file: string, path: string, value: unknown): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InputError(file, undefined, path || undefined, `expected an object, got ${describe(value)}`);
    }
    return new Fields(file, path, value as Json);
  }

  at(name: string): string {
    return this.path === '' ? name : `${this.path}.${name}`;
  }

  fail(name: string, detail: string): never {
    throw new InputError(this.file, undefined, this.at(name), detail);
  }

  has(name: string): boolean {
    return this.obj[name] !== undefined && this.obj[name] !== null;
  }

  object(name: string): Fields {
    if (!(name in this.obj)) this.fail(name, 'missing');
    return Fields.of(this.file, this.at(name), this.obj[name]);
  }

  string(name: string): string {
    const v = this.obj[name];
    if (typeof v !== 'string') this.fail(name, `expected a string, got ${describe(v)}`);
    return v;
  }

  optionalString(name: string): string | null {
    return this.has(name) ? this.string(name) : null;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.obj[name];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(name, `expected true or false, got ${describe(v)}`);
    return v;
  }

  tokenId(name: string): number {
    const v = this.obj[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= MAX_VOCAB) this.fail(name, `expected an id from 0 to ${MAX_VOCAB - 1}, got ${describe(v)}`);
    return v;
  }

  array(name: string): unknown[] {
    const v = this.obj[name];
    if (!Array.isArray(v)) this.fail(name, `expected an array, got ${describe(v)}`);
    return v;
  }

  /** Refuses a setting this tokenizer cannot honour unless it has its neutral value. */
  requireNeutral(name: string, ok: (v: unknown) => boolean, why: string): void {
    const v = this.obj[name];
    if (v !== undefined && !ok(v)) this.fail(name, `${JSON.stringify(v)} is not supported (${why})`);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : JSON.stringify(v);
}

const isNull = (v: unknown): boolean => v === null;
const isFalse = (v: unknown): boolean => v === false || v === null;
const isEmpty = (v: unknown): boolean => v === null || v === '';

/** Builds a tokenizer from a parsed `tokenizer.json`, checking every field it relies on. */
export function tokenizerFromJson(value: unknown, file: string): Tokenizer {
  const top = Fields.of(file, '', value);
  if (!('model' in top.obj)) top.fail('model', 'missing: this is not a 🤗 tokenizer.json');
  top.requireNeutral('truncation', isNull, 'encode never truncates');
  top.requireNeutral('padding', isNull, 'encode never pads');
  const bpe = readModel(top.object('model'));
  const spec: TokenizerSpec = {
    bpe,
    normalizer: readNormalizer(top),
    preTokenizer: readPreTokenizer(top),
    addedTokens: readAddedTokens(top, bpe.vocab),
    byteLevelPostProcessor: readPostProcessor(top),
  };
  readDecoder(top);
  try {
    return new Tokenizer(spec);
  } catch (e) {
    throw new InputError(file, undefined, 'model.merges', e instanceof Error ? e.message : String(e));
  }
}

function readModel(model: Fields): TokenizerSpec['bpe'] {
  const type = model.string('type');
  if (type !== 'BPE') model.fail('type', `${JSON.stringify(type)} is not supported (only byte-level BPE)`);
  model.requireNeutral('dropout', (v) => v === null || v === 0, 'dropout makes encoding random');
  model.requireNeutral('byte_fallback', isFalse, 'byte-level BPE has every byte already');
  model.requireNeutral('continuing_subword_prefix', isEmpty, 'byte-level BPE marks no word pieces');
  model.requireNeutral('end_of_word_suffix', isEmpty, 'byte-level BPE marks no word ends');
  const vocab = readVocab(model);
  const merges = readMerges(model, vocab);
  const unkToken = model.optionalString('unk_token');
  if (unkToken !== null && !vocab.has(unkToken)) model.fail('unk_token', `${JSON.stringify(unkToken)} is not in model.vocab`);
  return { vocab, merges, unkToken, fuseUnk: model.bool('fuse_unk', false), ignoreMerges: model.bool('ignore_merges', false) };
}

function readVocab(model: Fields): Map<string, number> {
  const vocabFields = model.object('vocab');
  const vocab = new Map<string, number>();
  const seen = new Map<number, string>();
  for (const token of Object.keys(vocabFields.obj)) {
    const id = vocabFields.tokenId(token);
    const other = seen.get(id);
    if (other !== undefined) vocabFields.fail(token, `id ${id} is also given to ${JSON.stringify(other)}`);
    seen.set(id, token);
    vocab.set(token, id);
  }
  if (vocab.size === 0) model.fail('vocab', 'is empty');
  return vocab;
}

function readMerges(model: Fields, vocab: ReadonlyMap<string, number>): Array<[string, string]> {
  const raw = model.array('merges');
  return raw.map((entry, i) => {
    let pair: [string, string] | null = null;
    if (typeof entry === 'string') {
      const parts = entry.split(' ');
      if (parts.length === 2) pair = [parts[0]!, parts[1]!];
    } else if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
      pair = [entry[0], entry[1]];
    }
    if (pair === null) model.fail(`merges[${i}]`, `expected "left right" or ["left", "right"], got ${JSON.stringify(entry)}`);
    for (const token of [pair[0], pair[1], pair[0] + pair[1]]) {
      if (!vocab.has(token)) model.fail(`merges[${i}]`, `${JSON.stringify(token)} is not in model.vocab`);
    }
    return pair;
  });
}

function readNormalizer(top: Fields): UnicodeNormalization | null {
  if (!top.has('normalizer')) return null;
  const n = top.object('normalizer');
  const type = n.string('type');
  if (type === 'NFC' || type === 'NFD' || type === 'NFKC' || type === 'NFKD') return type;
  return n.fail('type', `${JSON.stringify(type)} is not supported (Unicode normal forms only)`);
}

function readStep(step: Fields): PreTokenizerStep {
  const type = step.string('type');
  if (type === 'ByteLevel') {
    return byteLevelStep(step.bool('add_prefix_space', true), step.bool('use_regex', true), step.bool('trim_offsets', true));
  }
  if (type === 'Split') {
    const behavior = step.string('behavior');
    if (behavior !== 'Isolated') step.fail('behavior', `${JSON.stringify(behavior)} is not supported (only Isolated)`);
    step.requireNeutral('invert', isFalse, 'only matches are pieces');
    const pattern = step.object('pattern');
    try {
      if (pattern.has('Regex')) return splitStep(pattern.string('Regex'));
      return splitStep(pattern.string('String').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
    } catch (e) {
      if (e instanceof RegexTranslationError) pattern.fail('Regex', e.message);
      throw e;
    }
  }
  return step.fail('type', `${JSON.stringify(type)} is not supported (Split and ByteLevel only)`);
}

function readPreTokenizer(top: Fields): PreTokenizerStep[] {
  if (!top.has('pre_tokenizer')) top.fail('pre_tokenizer', 'missing: a byte-level BPE needs a ByteLevel pre-tokenizer');
  const pre = top.object('pre_tokenizer');
  let steps: PreTokenizerStep[];
  if (pre.obj['type'] === 'Sequence') {
    steps = pre.array('pretokenizers').map((s, i) => readStep(Fields.of(pre.file, pre.at(`pretokenizers[${i}]`), s)));
  } else {
    steps = [readStep(pre)];
  }
  const byteLevelAt = steps.findIndex((s) => s.kind === 'byteLevel');
  if (byteLevelAt !== steps.length - 1) top.fail('pre_tokenizer', 'must end with one ByteLevel step (and have no other)');
  return steps;
}

function readAddedTokens(top: Fields, vocab: ReadonlyMap<string, number>): AddedToken[] {
  if (!top.has('added_tokens')) return [];
  const ids = new Set<number>();
  const tokenOfId = new Map<number, string>([...vocab].map(([token, id]) => [id, token]));
  return top.array('added_tokens').map((raw, i) => {
    const t = Fields.of(top.file, `added_tokens[${i}]`, raw);
    const id = t.tokenId('id');
    if (ids.has(id)) t.fail('id', `${id} is listed twice`);
    ids.add(id);
    const content = t.string('content');
    if (content === '') t.fail('content', 'is empty');
    const inVocab = vocab.get(content);
    if (inVocab !== undefined && inVocab !== id) t.fail('id', `${id} differs from model.vocab's ${inVocab} for the same token`);
    const holder = tokenOfId.get(id);
    if (holder !== undefined && holder !== content) t.fail('id', `${id} is model.vocab's id for ${JSON.stringify(holder)}`);
    for (const flag of ['single_word', 'lstrip', 'rstrip']) t.requireNeutral(flag, isFalse, 'added tokens match their exact text only');
    const special = t.bool('special', false);
    return { id, content, special, normalized: t.bool('normalized', !special) };
  });
}

function readPostProcessor(top: Fields): boolean {
  if (!top.has('post_processor')) return false;
  const type = top.object('post_processor').string('type');
  if (type !== 'ByteLevel') top.fail('post_processor', `${JSON.stringify(type)} is not supported (it would add tokens encode does not)`);
  return true;
}

function readDecoder(top: Fields): void {
  if (!top.has('decoder')) top.fail('decoder', 'missing: a byte-level BPE needs the ByteLevel decoder');
  const type = top.object('decoder').string('type');
  if (type !== 'ByteLevel') top.fail('decoder', `${JSON.stringify(type)} is not supported (only ByteLevel)`);
}
