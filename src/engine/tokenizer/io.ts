/**
 * Tokenizer files on disk: `tokenizer.json` (everything encoding needs) and
 * `tokenizer_config.json` (which added tokens are BOS/EOS/PAD, and the chat template),
 * the pair `transformers.AutoTokenizer` and inference servers read from a model
 * directory.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, writeFileAtomic } from '../../core/records.ts';
import { tokenizerFromJson, tokenizerToJson } from './hf-json.ts';
import { ENDOFTEXT, IM_END } from './special.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface TokenizerConfigOptions {
  /** Jinja chat template; the engine supplies it. Omitted from the file when not given. */
  chatTemplate?: string;
  /** Context length the model supports (🤗 `model_max_length`). */
  modelMaxLength?: number;
  /** Added tokens for these roles; defaults follow Qwen: no BOS, EOS `<|im_end|>`, PAD `<|endoftext|>`. */
  bosToken?: string | null;
  eosToken?: string | null;
  padToken?: string | null;
}

function roleToken(tokenizer: Tokenizer, token: string | null): string | null {
  if (token !== null) tokenizer.addedTokenId(token); // throws with the token named when it is absent
  return token;
}

/** The `tokenizer_config.json` object: role tokens, the added-token table and the chat template. */
export function tokenizerConfigJson(tokenizer: Tokenizer, options: TokenizerConfigOptions = {}): Record<string, unknown> {
  const addedTokensDecoder: Record<string, unknown> = {};
  for (const t of [...tokenizer.addedTokens].sort((a, b) => a.id - b.id)) {
    addedTokensDecoder[String(t.id)] = { content: t.content, lstrip: false, normalized: t.normalized, rstrip: false, single_word: false, special: t.special };
  }
  return {
    add_bos_token: false,
    add_eos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: addedTokensDecoder,
    bos_token: roleToken(tokenizer, options.bosToken ?? null),
    eos_token: roleToken(tokenizer, options.eosToken === undefined ? IM_END : options.eosToken),
    pad_token: roleToken(tokenizer, options.padToken === undefined ? ENDOFTEXT : options.padToken),
    unk_token: null,
    clean_up_tokenization_spaces: false,
    errors: 'replace',
    model_max_length: options.modelMaxLength ?? 4096,
    split_special_tokens: false,
    tokenizer_class: 'PreTrainedTokenizerFast',
    ...(options.chatTemplate === undefined ? {} : { chat_template: options.chatTemplate }),
  };
}

/** Writes `tokenizer.json` and `tokenizer_config.json` into `dir` (created if needed), each atomically. */
export async function saveTokenizer(dir: string, tokenizer: Tokenizer, options: TokenizerConfigOptions = {}): Promise<void> {
  const config = tokenizerConfigJson(tokenizer, options);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'tokenizer.json'), `${JSON.stringify(tokenizerToJson(tokenizer), null, 2)}\n`);
  await writeFileAtomic(join(dir, 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Parses `tokenizer.json` text; a syntax error (a truncated file) names the file and line. */
export function parseTokenizerJson(text: string, file: string): Tokenizer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const position = at === null ? text.length : Number(at[1]);
    const line = text.slice(0, position).split('\n').length;
    const endsEarly = text.slice(position).trim() === '';
    throw new InputError(file, line, undefined, `not valid JSON${endsEarly ? ' (the file ends early: truncated?)' : ''}: ${message}`);
  }
  return tokenizerFromJson(value, file);
}

/** Loads a tokenizer from a `tokenizer.json` file or a directory holding one. */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const file = isDir ? join(path, 'tokenizer.json') : path;
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(file, undefined, undefined, e.code === 'ENOENT' ? 'no such file' : e.message);
  });
  return parseTokenizerJson(text, file);
}
