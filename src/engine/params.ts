/**
 * All weights of the model in one Float32Array, with named views in 🤗 Llama's tensor
 * names and shapes, so a checkpoint is a straight copy and gradients, AdamW moments and
 * the weights share one layout.
 */
import { headDim, type LlamaConfig } from './config.ts';
import { seededRandom } from '../core/random.ts';

export interface TensorSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export interface LayerSlots {
  inputNorm: TensorSlot;
  q: TensorSlot;
  k: TensorSlot;
  v: TensorSlot;
  o: TensorSlot;
  postNorm: TensorSlot;
  gate: TensorSlot;
  up: TensorSlot;
  down: TensorSlot;
}

export interface ParamLayout {
  slots: TensorSlot[];
  embed: TensorSlot;
  layers: LayerSlots[];
  finalNorm: TensorSlot;
  total: number;
}

export function paramLayout(c: LlamaConfig): ParamLayout {
  const slots: TensorSlot[] = [];
  let offset = 0;
  const add = (name: string, shape: number[]): TensorSlot => {
    const size = shape.reduce((a, b) => a * b, 1);
    const slot = { name, shape, offset, size };
    slots.push(slot);
    offset += size;
    return slot;
  };
  const D = c.hiddenSize;
  const qDim = c.numHeads * headDim(c);
  const kvDim = c.numKvHeads * headDim(c);
  const embed = add('model.embed_tokens.weight', [c.vocabSize, D]);
  const layers: LayerSlots[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const p = `model.layers.${l}.`;
    layers.push({
      inputNorm: add(`${p}input_layernorm.weight`, [D]),
      q: add(`${p}self_attn.q_proj.weight`, [qDim, D]),
      k: add(`${p}self_attn.k_proj.weight`, [kvDim, D]),
      v: add(`${p}self_attn.v_proj.weight`, [kvDim, D]),
      o: add(`${p}self_attn.o_proj.weight`, [D, qDim]),
      postNorm: add(`${p}post_attention_layernorm.weight`, [D]),
      gate: add(`${p}mlp.gate_proj.weight`, [c.intermediateSize, D]),
      up: add(`${p}mlp.up_proj.weight`, [c.intermediateSize, D]),
      down: add(`${p}mlp.down_proj.weight`, [D, c.intermediateSize]),
    });
  }
  const finalNorm = add('model.norm.weight', [D]);
  return { slots, embed, layers, finalNorm, total: offset };
}

export { seededRandom };

export function view(buffer: Float32Array, slot: TensorSlot): Float32Array {
  return buffer.subarray(slot.offset, slot.offset + slot.size);
}

/** 🤗's Llama initialisation: normal(0, 0.02) for matrices, ones for the norms. */
export function initParams(layout: ParamLayout, seed: number, std = 0.02): Float32Array {
  const params = new Float32Array(layout.total);
  const rand = seededRandom(seed);
  const normal = (): number => {
    // Box–Muller; 1 − u keeps log away from 0.
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  for (const slot of layout.slots) {
    const w = view(params, slot);
    if (slot.shape.length === 1) w.fill(1);
    else for (let i = 0; i < w.length; i++) w[i] = normal() * std;
  }
  return params;
}
