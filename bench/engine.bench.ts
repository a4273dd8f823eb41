/**
 * The embedded engine against PyTorch (transformers' LlamaForCausalLM) on the same
 * weights, config and thread count, measured in one run: training tokens/s (forward,
 * backward, AdamW) at two batch shapes and greedy decode tokens/s at batch 1 with the KV
 * cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveCheckpoint } from '../src/engine/checkpoint.ts';
import { MODEL_SIZES } from '../src/engine/config.ts';
import { generate, GREEDY } from '../src/engine/generate.ts';
import { kernels } from '../src/engine/kernels.ts';
import { createModel, Workspace } from '../src/engine/model.ts';
import { initParams, paramLayout } from '../src/engine/params.ts';
import { toBatch, trainStep } from '../src/engine/sft.ts';
import { adamWState, DEFAULT_ADAMW } from '../src/engine/optim.ts';
import { formatRate } from './measure.ts';

const THREADS = 2;
/** Training shapes: short sequences, and the world pretrain's (4,096-token batches of long sequences, where causal attention costs most). */
const SHAPES: ReadonlyArray<readonly [batch: number, seq: number]> = [
  [16, 128],
  [8, 512],
];
const [PROMPT, NEW] = [128, 128];
// PyTorch runs first, before looptool's BLAS threads have worked, so neither measurement competes with the other's threads.
const references: Awaited<ReturnType<typeof measureTorch>>[] = [];
// The decode is measured with the first shape only: it does not depend on the training shape.
for (const [i, [batch, seq]] of SHAPES.entries()) references.push(await measureTorch(batch, seq, i === 0 ? NEW : 0));
const config = MODEL_SIZES.tiny;
const params = initParams(paramLayout(config), 1);
const model = createModel(config, params);

function measureTraining(batchSize: number, seq: number): number {
  const examples = Array.from({ length: batchSize }, (_, b) => ({
    tokens: Int32Array.from({ length: seq }, (_, t) => (b * 7919 + t * 104729) % config.vocabSize),
    lossMask: new Uint8Array(seq).fill(1),
  }));
  const batch = toBatch(examples);
  const state = adamWState(model.layout);
  const grads = new Float32Array(model.layout.total);
  const workspace = new Workspace();
  trainStep(model, batch, state, DEFAULT_ADAMW, 1e-3, 1, grads, workspace);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    trainStep(model, batch, state, DEFAULT_ADAMW, 1e-3, 1, grads, workspace);
    best = Math.min(best, performance.now() - t0);
  }
  return (batchSize * seq * 1000) / best;
}
const ourTrain = SHAPES.map(([batch, seq]) => measureTraining(batch, seq));

const prompt = Int32Array.from({ length: PROMPT }, (_, t) => (t * 31) % config.vocabSize);
const decodeOptions = { ...GREEDY, maxTokens: NEW };
// A full warm-up run first (the JIT settles over the first few hundred tokens), then the best of three.
generate(model, [prompt], decodeOptions);
let bestDecode = Infinity;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  generate(model, [prompt], decodeOptions);
  bestDecode = Math.min(bestDecode, performance.now() - t0);
}
const ourDecode = (NEW * 1000) / bestDecode;

console.log(`config: tiny (${params.length.toLocaleString('en-US')} parameters), decode ${PROMPT}-token prompt + ${NEW} new; kernels: ${kernels.name}`);
SHAPES.forEach(([batch, seq], i) => {
  const shape = `training, batch ${batch} × ${seq} tokens`;
  const ref = references[i]!;
  const theirs = ref.ok ? `   PyTorch ${ref.value.torch} (${THREADS} threads) ${formatRate(ref.value.train_tokens_per_s)} tokens/s   ratio ${(ourTrain[i]! / ref.value.train_tokens_per_s).toFixed(3)}×` : '';
  console.log(`${shape}: looptool ${formatRate(ourTrain[i]!)} tokens/s${theirs}`);
});
const decodeRef = references[0];
if (!decodeRef?.ok || decodeRef.value.decode_tokens_per_s === null) {
  const failed = references.find((r) => !r.ok);
  console.log(`greedy decode: looptool ${formatRate(ourDecode)} tokens/s; PyTorch reference not measured (python3 with torch and transformers needed: scripts/install-python-reference.sh): ${failed && !failed.ok ? failed.error : ''}`);
} else {
  const theirs = decodeRef.value.decode_tokens_per_s;
  console.log(`greedy decode: looptool ${formatRate(ourDecode)} tokens/s   PyTorch ${formatRate(theirs)} tokens/s   ratio ${(ourDecode / theirs).toFixed(3)}×`);
}

interface TorchFigures {
  train_tokens_per_s: number;
  /** null when the decode was not asked for. */
  decode_tokens_per_s: number | null;
  torch: string;
}

async function measureTorch(batch: number, seq: number, decodeTokens: number): Promise<{ ok: true; value: TorchFigures } | { ok: false; error: string }> {
  const work = mkdtempSync(join(tmpdir(), 'looptool-bench-'));
  try {
    // The same weights the looptool side uses (seed 1), as a 🤗 checkpoint.
    await saveCheckpoint(work, { config: MODEL_SIZES.tiny, params: initParams(paramLayout(MODEL_SIZES.tiny), 1) });
    const script = fileURLToPath(new URL('./fixtures/torch_bench.py', import.meta.url));
    const r = spawnSync('python3', [script, work, String(THREADS), String(batch), String(seq), String(PROMPT), String(decodeTokens)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(THREADS) } });
    if (r.status !== 0) return { ok: false, error: r.stderr.trim().split('\n').at(-1) ?? 'failed' };
    return { ok: true, value: JSON.parse(r.stdout) as TorchFigures };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
