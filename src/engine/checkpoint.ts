/**
 * Checkpoints as 🤗 model directories: `config.json` with LlamaConfig keys and
 * `model.safetensors`, so `AutoModelForCausalLM.from_pretrained(dir)` loads them.
 * A directory is written beside its final place and renamed into it, so a reader
 * sees the old checkpoint or the new one, never half of one.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configProblems, headDim, type LlamaConfig } from './config.ts';
import { paramLayout, view } from './params.ts';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.ts';

export class CheckpointError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'CheckpointError';
  }
}

export interface SpecialTokenIds {
  bos?: number;
  eos?: number;
  pad?: number;
}

/** The `config.json` 🤗 transformers expects for a Llama model with tied embeddings. */
export function hfConfigJson(c: LlamaConfig, special: SpecialTokenIds = {}): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKvHeads,
    head_dim: headDim(c),
    max_position_embeddings: c.maxPositions,
    rope_theta: c.ropeTheta,
    rms_norm_eps: c.rmsNormEps,
    hidden_act: 'silu',
    attention_bias: false,
    mlp_bias: false,
    tie_word_embeddings: true,
    initializer_range: 0.02,
    torch_dtype: 'float32',
    ...(special.bos === undefined ? {} : { bos_token_id: special.bos }),
    ...(special.eos === undefined ? {} : { eos_token_id: special.eos }),
    ...(special.pad === undefined ? {} : { pad_token_id: special.pad }),
  };
}

/**
 * The rotary base: transformers 4 writes `rope_theta` at the top, transformers 5 inside
 * `rope_parameters`. Scaled variants (llama3, yarn, …) change the rotation and are refused.
 */
function ropeTheta(json: Record<string, unknown>, path: string): number {
  const nested = json['rope_parameters'];
  const params = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>) : {};
  const scaling = json['rope_scaling'];
  const type = params['rope_type'] ?? (scaling !== null && typeof scaling === 'object' ? (scaling as Record<string, unknown>)['rope_type'] ?? (scaling as Record<string, unknown>)['type'] : undefined);
  if (type !== undefined && type !== 'default') throw new CheckpointError(path, `rope type ${JSON.stringify(type)} is not supported (only the default rotary embedding)`);
  const theta = json['rope_theta'] ?? params['rope_theta'] ?? 10000;
  if (typeof theta !== 'number' || !(theta > 0)) throw new CheckpointError(path, 'config key "rope_theta" is not a positive number');
  return theta;
}

/** Reads our config back from a 🤗 `config.json`; names the first missing or bad key. */
export function configFromHf(json: Record<string, unknown>, path: string): LlamaConfig {
  const num = (key: string, fallback?: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== 'number') throw new CheckpointError(path, `config key "${key}" is missing or not a number`);
    return v;
  };
  if (json['model_type'] !== 'llama') throw new CheckpointError(path, `model_type is ${JSON.stringify(json['model_type'])}, expected "llama"`);
  const numHeads = num('num_attention_heads');
  const config: LlamaConfig = {
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    intermediateSize: num('intermediate_size'),
    numLayers: num('num_hidden_layers'),
    numHeads,
    numKvHeads: num('num_key_value_heads', numHeads),
    maxPositions: num('max_position_embeddings'),
    ropeTheta: ropeTheta(json, path),
    rmsNormEps: num('rms_norm_eps', 1e-6),
  };
  const problems = configProblems(config);
  if (problems.length > 0) throw new CheckpointError(path, problems.join('; '));
  if (json['tie_word_embeddings'] === false) throw new CheckpointError(path, 'untied output embeddings are not supported');
  return config;
}

export interface CheckpointContents {
  config: LlamaConfig;
  params: Float32Array;
  special?: SpecialTokenIds;
  /** More files to write beside the weights (tokenizer.json, optimizer state, …): name → contents. */
  files?: Record<string, string | Uint8Array>;
}

export async function saveCheckpoint(dir: string, contents: CheckpointContents): Promise<void> {
  const layout = paramLayout(contents.config);
  if (contents.params.length !== layout.total) throw new CheckpointError(dir, `expected ${layout.total} parameters, got ${contents.params.length}`);
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  const tensors = layout.slots.map((slot) => ({ name: slot.name, shape: slot.shape, data: view(contents.params, slot) }));
  await writeFile(join(tmp, 'model.safetensors'), encodeSafetensors(tensors, { format: 'pt' }));
  await writeFile(join(tmp, 'config.json'), JSON.stringify(hfConfigJson(contents.config, contents.special), null, 2) + '\n');
  for (const [name, text] of Object.entries(contents.files ?? {})) await writeFile(join(tmp, name), text);
  const old = `${dir}.old-${process.pid}-${Date.now()}`;
  const hadOld = await rename(dir, old).then(
    () => true,
    () => false,
  );
  await rename(tmp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

export async function loadCheckpoint(dir: string): Promise<{ config: LlamaConfig; params: Float32Array }> {
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  const configText = await readFile(configPath, 'utf8').catch(() => {
    throw new CheckpointError(configPath, 'not found (is this a looptool or 🤗 model directory?)');
  });
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(configText) as Record<string, unknown>;
  } catch (e) {
    throw new CheckpointError(configPath, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const config = configFromHf(json, configPath);
  const buf = await readFile(weightsPath).catch(() => {
    throw new CheckpointError(weightsPath, 'not found');
  });
  let tensors;
  try {
    tensors = decodeSafetensors(buf).tensors;
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(weightsPath, e.message);
    throw e;
  }
  const layout = paramLayout(config);
  const params = new Float32Array(layout.total);
  for (const slot of layout.slots) {
    const t = tensors.get(slot.name);
    if (!t) throw new CheckpointError(weightsPath, `tensor ${slot.name} is missing`);
    if (t.shape.join('x') !== slot.shape.join('x')) throw new CheckpointError(weightsPath, `tensor ${slot.name} has shape [${t.shape}], config says [${slot.shape}]`);
    params.set(t.data, slot.offset);
  }
  return { config, params };
}
