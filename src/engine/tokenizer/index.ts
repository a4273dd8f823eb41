/** The engine's byte-level BPE tokenizer, compatible with 🤗 tokenizers' `tokenizer.json`. */
export { Tokenizer, type TokenizerSpec, type EncodeOptions, type DecodeOptions, type UnicodeNormalization } from './tokenizer.ts';
export { trainTokenizer, type TrainOptions } from './train.ts';
export { tokenizerToJson, tokenizerFromJson } from './hf-json.ts';
export { saveTokenizer, loadTokenizer, parseTokenizerJson, tokenizerConfigJson, type TokenizerConfigOptions } from './io.ts';
export { DEFAULT_SPECIAL_TOKENS, ENDOFTEXT, IM_START, IM_END, type SpecialTokenSpec } from './special.ts';
export { QWEN2_SPLIT_PATTERN, GPT2_SPLIT_PATTERN, WORDS_SPLIT_PATTERN, SPLIT_PATTERNS, type SplitName, type PreTokenizerStep } from './pretokenize.ts';
export { BYTE_TO_CHAR } from './bytes.ts';
export type { AddedToken } from './added.ts';
