/** Sizes of the embedded Llama-architecture model, named as 🤗 `LlamaConfig` names them. */

export interface LlamaConfig {
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  /** Grouped-query attention: each key/value head serves numHeads / numKvHeads query heads. */
  numKvHeads: number;
  maxPositions: number;
  ropeTheta: number;
  rmsNormEps: number;
}

export const MODEL_SIZES = {
  /** For tests: small enough to check gradients by finite differences. */
  micro: { vocabSize: 320, hiddenSize: 16, intermediateSize: 40, numLayers: 2, numHeads: 4, numKvHeads: 2, maxPositions: 64, ropeTheta: 10000, rmsNormEps: 1e-6 },
  /** ≈1.1 M parameters: the default policy, and the size the benchmarks compare with PyTorch. */
  tiny: { vocabSize: 2048, hiddenSize: 128, intermediateSize: 352, numLayers: 4, numHeads: 4, numKvHeads: 4, maxPositions: 512, ropeTheta: 10000, rmsNormEps: 1e-6 },
  /** ≈3 M parameters. */
  small: { vocabSize: 2048, hiddenSize: 192, intermediateSize: 512, numLayers: 6, numHeads: 6, numKvHeads: 2, maxPositions: 512, ropeTheta: 10000, rmsNormEps: 1e-6 },
} as const satisfies Record<string, LlamaConfig>;

export type ModelSizeName = keyof typeof MODEL_SIZES;

export function headDim(c: LlamaConfig): number {
  return c.hiddenSize / c.numHeads;
}

/** Checks that the sizes fit together; returns a list of problems (empty when valid). */
export function configProblems(c: LlamaConfig): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) problems.push(`${k} must be a positive number`);
  }
  if (c.hiddenSize % c.numHeads !== 0) problems.push('hiddenSize must be divisible by numHeads');
  if (c.numHeads % c.numKvHeads !== 0) problems.push('numHeads must be divisible by numKvHeads');
  if ((c.hiddenSize / c.numHeads) % 2 !== 0) problems.push('the head dimension must be even (rotary embedding)');
  return problems;
}
