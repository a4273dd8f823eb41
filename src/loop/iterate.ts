/**
 * `looptool iterate`: the method's rounds over a run directory. Round r probes the
 * current model on round r's dataset (GCP), judges the disagreements (JGLV), grows new
 * samples from verified failures (EDDE), composes round r+1's dataset and hands it to the
 * trainer, whose model the next round probes. Every stage records its state in the
 * manifest and streams its records, so a run killed anywhere continues where it stopped.
 */
import { join } from 'node:path';
import type { Sample } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { readCommitted } from '../store/jsonl-stream.ts';
import type { RunStore } from '../store/run-store.ts';
import { composeNextRound, kindSharesOf } from './compose.ts';
import type { IterateConfig, ModelRef } from './config.ts';
import { errorSeeds, expandFailures, type ExpandRecord } from './expand.ts';
import type { Expander } from './expander.ts';
import type { Judge } from './judge.ts';
import { classifyProbe, perplexityCut, probeGreedy, type ProbeRecord } from './probe.ts';
import { verifyLabels, type VerifyRecord } from './verify.ts';

export interface IterateDeps {
  modelFor(ref: ModelRef): Promise<ChatModel>;
  judge: Judge;
  expanderFor(round: number): Expander;
  /** Trains on a round's dataset file; undefined means training happens elsewhere (the run stops and says what to do). */
  train(datasetPath: string, from: ModelRef, round: number): Promise<ModelRef | undefined>;
  log?: (line: string) => void;
  progress?: (label: string, total: number) => (done: number) => void;
  signal?: AbortSignal;
  /** Running totals of model use (requests, tokens, ms, retries …); each stage records what it spent. */
  usage?: () => Record<string, number>;
}

export type IterateOutcome =
  | { status: 'finished'; rounds: number; model: ModelRef }
  | { status: 'awaiting_training'; round: number; dataset: string; from: ModelRef };

const now = (): string => new Date().toISOString();

function readSamples(path: string): Sample[] {
  return readCommitted(path).records as unknown as Sample[];
}

function datasetPath(store: RunStore, round: number): string {
  return join(store.roundDir(round), 'dataset.jsonl');
}

/** Runs a stage unless the manifest says it is done; its figures go to the manifest. */
async function stage(store: RunStore, round: number, name: string, deps: IterateDeps, run: () => Promise<Record<string, Value>>): Promise<void> {
  const state = store.stageState(round, name);
  if (state.state === 'done') return;
  store.update(round, name, { state: 'running', startedAt: state.startedAt ?? now() });
  deps.log?.(`round ${round}: ${name}…`);
  const before = deps.usage?.();
  const started = performance.now();
  const figures = await run();
  const after = deps.usage?.();
  const spent: Record<string, Value> = { seconds: Math.round((performance.now() - started) / 10) / 100 };
  if (before && after) for (const [k, v] of Object.entries(after)) spent[k] = v - (before[k] ?? 0);
  store.update(round, name, { state: 'done', finishedAt: now(), figures: { ...figures, usage: spent } });
}

export async function iterate(store: RunStore, config: IterateConfig, seedData: readonly Sample[], deps: IterateDeps): Promise<IterateOutcome> {
  if (store.manifest.rounds.length === 0) store.updateRound(0, { model: config.model as unknown as Value });
  for (let r = 0; r < config.rounds; r++) {
    const modelRef = store.round(r).model as unknown as ModelRef | undefined;
    if (modelRef === undefined) {
      const dataset = datasetPath(store, r);
      const from = store.round(r - 1).model as unknown as ModelRef;
      return { status: 'awaiting_training', round: r, dataset, from };
    }
    await stage(store, r, 'dataset', deps, async () => {
      if (r === 0) store.writeRecords(0, 'dataset', seedData.slice(0, config.budget) as unknown as Value[]);
      return { samples: readSamples(datasetPath(store, r)).length };
    });
    const dataset = readSamples(datasetPath(store, r));

    const model = await deps.modelFor(modelRef);
    await stage(store, r, 'probe', deps, async () => {
      const { stream } = store.openStream(r, 'probe');
      const tick = deps.progress?.(`round ${r} probe`, dataset.length);
      const s = await probeGreedy(dataset, model, stream, { batchSize: config.probe.batchSize, maxTokens: config.probe.maxTokens, rewardVariant: config.probe.rewardVariant, signal: deps.signal, onProgress: (d) => tick?.(d) });
      return { probed: s.probed, skipped: s.skipped, requestFailures: s.failed };
    });
    const probes = readCommitted(join(store.roundDir(r), 'probe.jsonl')).records as unknown as ProbeRecord[];
    const cut = perplexityCut(probes, config.probe.pplQuantile);
    const classes: Record<string, number> = { mastered: 0, borderline: 0, failed: 0, error: 0 };
    for (const p of probes) classes[classifyProbe(p, cut)]!++;
    store.update(r, 'probe', { figures: { ...store.stageState(r, 'probe').figures, ...classes, accuracy: probes.length === 0 ? 0 : (classes['mastered']! + classes['borderline']!) / probes.length, perplexityCut: Number.isFinite(cut) ? cut : null } });

    let verdicts: VerifyRecord[] | undefined;
    if (!config.compose.noJglv) {
      await stage(store, r, 'verify', deps, async () => {
        const { stream } = store.openStream(r, 'verify');
        const failed = probes.filter((p) => p.status === 'done' && !p.correct).length;
        const tick = deps.progress?.(`round ${r} verify`, failed);
        const s = await verifyLabels(dataset, probes, deps.judge, stream, { mend: config.judge.mend !== false, signal: deps.signal, onProgress: (d) => tick?.(d) });
        return { judged: s.judged, skipped: s.skipped, mended: s.mended, ...s.verdicts };
      });
      verdicts = readCommitted(join(store.roundDir(r), 'verify.jsonl')).records as unknown as VerifyRecord[];
    }

    let expanded: Sample[] = [];
    if (!config.compose.noEdde) {
      const seeds = verdicts ? errorSeeds(dataset, probes, verdicts) : errorSeeds(dataset, probes, probes.filter((p) => p.status === 'done' && !p.correct).map((p) => ({ id: p.id, verdict: 'model_incorrect', action: 'keep_seed', errorAnalysis: '', correctApproach: '', judge: 'none', label: dataset.find((s) => s.id === p.id)!.label })));
      await stage(store, r, 'expand', deps, async () => {
        const { stream, records } = store.openStream(r, 'expand');
        const tick = deps.progress?.(`round ${r} expand`, seeds.length);
        const s = await expandFailures(seeds, deps.expanderFor(r + 1), stream, { perSeed: config.expander.perSeed, judge: deps.judge, signal: deps.signal, onProgress: (d) => tick?.(d) }, records as unknown as ExpandRecord[]);
        return { ...s, yield: s.attempts === 0 ? 0 : s.made / s.attempts };
      });
      expanded = (readCommitted(join(store.roundDir(r), 'expand.jsonl')).records as unknown as ExpandRecord[]).flatMap((x) => x.samples);
    }

    await stage(store, r, 'compose', deps, async () => {
      const used = new Set<string>();
      for (let q = 0; q <= r; q++) for (const s of readSamples(datasetPath(store, q))) used.add(s.id);
      const seeds = seedData.filter((s) => !used.has(s.id));
      const trained = seedData.filter((s) => used.has(s.id));
      const { dataset: next, composition } = composeNextRound(
        { dataset, probes, ...(verdicts ? { verdicts } : {}), expanded, untrained: seeds, trained },
        { budget: config.budget, round: r + 1, seedShare: config.compose.seedShare, hpplShare: config.compose.hpplShare, kindCap: config.compose.kindCap, errorSeedOrder: config.compose.errorSeedOrder, kindShares: kindSharesOf(seedData), pplQuantile: config.probe.pplQuantile, noHppl: config.compose.noHppl, noEdde: config.compose.noEdde, hpplReplace: config.compose.hpplReplace, seedRepeat: config.compose.seedRepeat, seed: config.seed },
      );
      store.writeRecords(r + 1, 'dataset', next as unknown as Value[]);
      store.update(r + 1, 'dataset', { state: 'done', finishedAt: now(), figures: { samples: next.length } });
      return { ...composition, samples: next.length };
    });

    await stage(store, r, 'train', deps, async (): Promise<Record<string, Value>> => {
      const trained = await deps.train(datasetPath(store, r + 1), modelRef, r + 1);
      if (trained === undefined) return { external: true };
      store.updateRound(r + 1, { model: trained as unknown as Value });
      return { model: trained as unknown as Value };
    });
    if (store.round(r + 1).model === undefined && r + 1 < config.rounds) return { status: 'awaiting_training', round: r + 1, dataset: datasetPath(store, r + 1), from: modelRef };
  }
  const last = (store.round(config.rounds).model ?? store.round(config.rounds - 1).model) as unknown as ModelRef;
  return { status: 'finished', rounds: config.rounds, model: last };
}

/** Records an externally trained model for a round waiting on one, so `iterate` can go on. */
export function provideTrainedModel(store: RunStore, round: number, model: ModelRef): void {
  store.updateRound(round, { model: model as unknown as Value });
}
