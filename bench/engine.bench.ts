/**
 * The embedded engine against PyTorch (transformers' LlamaForCausalLM) on the same
 * weights, config and thread count, measured in one run: training tokens/s (forward,
 * backward, AdamW) and greedy decode tokens/s at batch 1 with the KV cache.
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
const [BATCH, SEQ, PROMPT, NEW] = [16, 128, 128, 128];
// PyTorch runs first, before looptool's BLAS threads have worked, so neither measurement competes with the other's threads.
const reference = await measureTorch();
const config = MODEL_SIZES.tiny;
const params = initParams(paramLayout(config), 1);
const model = createModel(config, params);

const examples = Array.from({ length: BATCH }, (_, b) => ({
  tokens: Int32Array.from({ length: SEQ }, (_, t) => (b * 7919 + t * 104729) % config.vocabSize),
  lossMask: new Uint8Array(SEQ).fill(1),
}));
const batch = toBatch(examples);
const state = adamWState(model.layout);
const grads = new Float32Array(model.layout.total);
const workspace = new Workspace();
trainStep(model, batch, state, DEFAULT_ADAMW, 1e-3, 1, grads, workspace);
let bestTrain = Infinity;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  trainStep(model, batch, state, DEFAULT_ADAMW, 1e-3, 1, grads, workspace);
  bestTrain = Math.min(bestTrain, performance.now() - t0);
}
const ourTrain = (BATCH * SEQ * 1000) / bestTrain;

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

console.log(`config: tiny (${params.length.toLocaleString('en-US')} parameters), batch ${BATCH} × ${SEQ} tokens, decode ${PROMPT}-token prompt + ${NEW} new; kernels: ${kernels.name}`);
console.log(`looptool  training ${formatRate(ourTrain)} tokens/s   greedy decode ${formatRate(ourDecode)} tokens/s`);

if (!reference.ok) {
  console.log(`PyTorch reference not measured (python3 with torch and transformers needed: scripts/install-python-reference.sh): ${reference.error}`);
} else {
  const ref = reference.value;
  console.log(`PyTorch ${ref.torch} (${THREADS} threads)  training ${formatRate(ref.train_tokens_per_s)} tokens/s   greedy decode ${formatRate(ref.decode_tokens_per_s)} tokens/s`);
  console.log(`ratio looptool / PyTorch: training ${(ourTrain / ref.train_tokens_per_s).toFixed(3)}×   decode ${(ourDecode / ref.decode_tokens_per_s).toFixed(3)}×`);
}

interface TorchFigures {
  train_tokens_per_s: number;
  decode_tokens_per_s: number;
  torch: string;
}

async function measureTorch(): Promise<{ ok: true; value: TorchFigures } | { ok: false; error: string }> {
  const work = mkdtempSync(join(tmpdir(), 'looptool-bench-'));
  try {
    // The same weights the looptool side uses (seed 1), as a 🤗 checkpoint.
    await saveCheckpoint(work, { config: MODEL_SIZES.tiny, params: initParams(paramLayout(MODEL_SIZES.tiny), 1) });
    const script = fileURLToPath(new URL('./fixtures/torch_bench.py', import.meta.url));
    const r = spawnSync('python3', [script, work, String(THREADS), String(BATCH), String(SEQ), String(PROMPT), String(NEW)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(THREADS) } });
    if (r.status !== 0) return { ok: false, error: r.stderr.trim().split('\n').at(-1) ?? 'failed' };
    return { ok: true, value: JSON.parse(r.stdout) as TorchFigures };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
