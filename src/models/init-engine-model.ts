/**
 * A new embedded model directory: a byte-level BPE tokenizer trained on a corpus and
 * seeded fresh weights — what `looptool engine init` makes, as a function so the world
 * pretrain makes its starting model the same way.
 */
import { MODEL_SIZES, type LlamaConfig, type ModelSizeName } from '../engine/config.ts';
import { initParams, paramLayout } from '../engine/params.ts';
import { trainTokenizer, type SplitName } from '../engine/tokenizer/index.ts';
import { defaultCorpus } from './default-corpus.ts';
import { saveEngineModel } from './engine-model.ts';

export interface InitModelOptions {
  size: ModelSizeName;
  /** Seeds the weights (and the built-in corpus when no corpus is given). */
  seed: number;
  /** Documents to train the tokenizer on; default: the built-in tool-calling corpus. */
  corpus?: readonly string[];
  /** Context length in tokens (default: the size's). */
  maxPositions?: number;
  /** The tokenizer's pre-tokenizer split (default Qwen2's). */
  split?: SplitName;
  /** Largest tokenizer vocabulary (default: the size's); the corpus may fill fewer. */
  vocabSize?: number;
}

export interface InitializedModel {
  config: LlamaConfig;
  parameters: number;
}

export async function initEngineModel(dir: string, options: InitModelOptions): Promise<InitializedModel> {
  const size = { ...MODEL_SIZES[options.size], ...(options.maxPositions !== undefined ? { maxPositions: options.maxPositions } : {}) };
  const corpus = options.corpus ?? defaultCorpus(2000, options.seed);
  const tokenizer = trainTokenizer(corpus, { vocabSize: options.vocabSize ?? size.vocabSize, ...(options.split ? { split: options.split } : {}) });
  // The embedding has exactly one row per token: a smaller corpus gives a smaller vocabulary, and no id the tokenizer cannot decode exists.
  const config = { ...size, vocabSize: tokenizer.vocabSize };
  const params = initParams(paramLayout(config), options.seed);
  await saveEngineModel(dir, config, params, tokenizer);
  return { config, parameters: params.length };
}
