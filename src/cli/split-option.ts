/** The `--split` option of the commands that train a tokenizer (`engine init`, `world pretrain`). */
import { Option } from 'commander';
import { SPLIT_PATTERNS, type SplitName } from '../engine/tokenizer/index.ts';

export function splitOption(defaultSplit: SplitName): Option {
  return new Option(
    '--split <name>',
    "how the tokenizer cuts text before BPE: qwen2 (Qwen2's split, words keep their leading space) or words (spaces apart, so a value has the same tokens in a request and in a JSON call)",
  )
    .choices(Object.keys(SPLIT_PATTERNS))
    .default(defaultSplit);
}
