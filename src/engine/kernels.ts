/**
 * The heavy loops behind one interface. The pure-TypeScript kernels always work; a
 * faster implementation (a native addon built at install) replaces them when it loads,
 * and every caller goes through `kernels` so the swap is one assignment.
 */
import { attentionBackward, attentionForward } from './ops/attention.ts';
import { matmulBackwardInput, matmulBackwardWeight, matmulForward } from './ops/matmul.ts';

export interface Kernels {
  /** Which implementation this is, for logs and benchmarks. */
  name: string;
  matmulForward: typeof matmulForward;
  matmulBackwardInput: typeof matmulBackwardInput;
  matmulBackwardWeight: typeof matmulBackwardWeight;
  attentionForward: typeof attentionForward;
  attentionBackward: typeof attentionBackward;
}

export const typescriptKernels: Kernels = {
  name: 'typescript',
  matmulForward,
  matmulBackwardInput,
  matmulBackwardWeight,
  attentionForward,
  attentionBackward,
};

/** The kernels in use; `setKernels` swaps them (tests compare implementations through it). */
export let kernels: Kernels = typescriptKernels;

export function setKernels(next: Kernels): void {
  kernels = next;
}
