/** looptool's public library API. */
export * from './core/value.ts';
export * from './core/json.ts';
export * from './core/types.ts';
export * from './core/records.ts';
export * from './toolcall/result.ts';
export * from './toolcall/think.ts';
export * from './toolcall/hermes.ts';
export {
  Tokenizer,
  trainTokenizer,
  loadTokenizer,
  saveTokenizer,
  parseTokenizerJson,
  tokenizerToJson,
  tokenizerFromJson,
  tokenizerConfigJson,
  DEFAULT_SPECIAL_TOKENS,
  type TrainOptions,
  type TokenizerConfigOptions,
  type EncodeOptions,
  type DecodeOptions,
  type SpecialTokenSpec,
} from './engine/tokenizer/index.ts';
