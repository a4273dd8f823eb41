/**
 * The heavy loops behind one interface. The pure-TypeScript kernels always work; a
 * faster implementation (a native addon built at install) replaces them when it loads,
 * and every caller goes through `kernels` so the swap is one assignment.
 */
import { loadAddon, nativeKernels } from './native.ts';
import { attentionBackward, attentionForward } from './ops/attention.ts';
import { attendCached } from './ops/attention-cached.ts';
import { adamWUpdate } from './ops/adamw.ts';
import { crossEntropyBackward, crossEntropyForward } from './ops/loss.ts';
import { rmsnormBackward, rmsnormForward } from './ops/rmsnorm.ts';
import { matmulBackwardInput, matmulBackwardWeight, matmulForward } from './ops/matmul.ts';
import { swigluBackward, swigluForward } from './ops/swiglu.ts';

export interface Kernels {
  /** Which implementation this is, for logs and benchmarks. */
  name: string;
  matmulForward: typeof matmulForward;
  matmulBackwardInput: typeof matmulBackwardInput;
  matmulBackwardWeight: typeof matmulBackwardWeight;
  attentionForward: typeof attentionForward;
  attentionBackward: typeof attentionBackward;
  swigluForward: typeof swigluForward;
  swigluBackward: typeof swigluBackward;
  crossEntropyForward: typeof crossEntropyForward;
  crossEntropyBackward: typeof crossEntropyBackward;
  rmsnormForward: typeof rmsnormForward;
  rmsnormBackward: typeof rmsnormBackward;
  adamWUpdate: typeof adamWUpdate;
  attendCached: typeof attendCached;
}

export const typescriptKernels: Kernels = {
  name: 'typescript',
  matmulForward,
  matmulBackwardInput,
  matmulBackwardWeight,
  attentionForward,
  attentionBackward,
  swigluForward,
  swigluBackward,
  crossEntropyForward,
  crossEntropyBackward,
  rmsnormForward,
  rmsnormBackward,
  adamWUpdate,
  attendCached,
};

/**
 * The best kernels this machine has: the native addon when it was built and loads,
 * unless LOOPTOOL_KERNELS=typescript asks for the fallback.
 */
export function bestKernels(): Kernels {
  if (process.env['LOOPTOOL_KERNELS'] === 'typescript') return typescriptKernels;
  const addon = loadAddon();
  return addon ? nativeKernels(addon) : typescriptKernels;
}

/** The kernels in use; `setKernels` swaps them (tests compare implementations through it). */
export let kernels: Kernels = bestKernels();

export function setKernels(next: Kernels): void {
  kernels = next;
}
