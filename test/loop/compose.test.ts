import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../src/core/types.ts';
import { composeNextRound, type ComposeInputs } from '../../src/loop/compose.ts';
import type { ProbeRecord } from '../../src/loop/probe.ts';
import type { VerifyRecord } from '../../src/loop/verify.ts';
import { generateSplit } from '../../src/world/generate.ts';

const pool = generateSplit('seed', 400, 9);
const dataset = pool.slice(0, 100);
const untrained = pool.slice(100, 300);
const expanded = pool.slice(300, 340).map((s) => ({ ...s, id: `x-${s.id}`, provenance: { source: 'expanded' as const, round: 1, parentId: 'p', labelHistory: [] } }));

// 0-39 correct (ppl rising with index), 40-99 wrong with verdicts cycling through the five actions
const probes: ProbeRecord[] = dataset.map((s, i) => (i < 40 ? { id: s.id, status: 'done', correct: true, perplexity: 1 + i / 10 } : { id: s.id, status: 'done', correct: false, perplexity: 1 + (i % 10) / 5, prediction: { kind: 'text', text: 'Sorry.' } }));
const actions = ['relabel', 'keep_seed', 'drop', 'keep', 'treat_correct'] as const;
const verdicts: VerifyRecord[] = dataset.slice(40).map((s, j) => ({
  id: s.id,
  verdict: (['label_incorrect', 'model_incorrect', 'both_incorrect', 'undecided', 'both_correct'] as const)[j % 5]!,
  action: actions[j % 5]!,
  errorAnalysis: 'x',
  correctApproach: 'y',
  judge: 'rule',
  label: j % 5 === 0 ? { kind: 'text', text: 'corrected' } : s.label,
  ...(j % 5 === 0 ? { previous: s.label } : {}),
}));
const inputs: ComposeInputs = { dataset, probes, verdicts, expanded, untrained, trained: dataset };
const ids = (xs: readonly Sample[]): Set<string> => new Set(xs.map((s) => s.id));

test('compose: error seeds with corrected labels, expansions, undecided, a seed share, then high-perplexity samples', () => {
  const { dataset: next, composition } = composeNextRound(inputs, { budget: 120, round: 1, seedShare: 0.25 });
  assert.equal(next.length, 120);
  assert.equal(composition.errorSeeds, 24);
  assert.equal(composition.corrected, 12);
  assert.equal(composition.expanded, 40);
  assert.equal(composition.undecided, 12);
  assert.equal(composition.dropped, 12);
  assert.equal(composition.untrainedSeed, 30);
  assert.equal(composition.highPerplexity, 120 - 24 - 40 - 12 - 30);
  const corrected = next.filter((s) => s.provenance.source === 'corrected');
  assert.equal(corrected.length, 12);
  assert.ok(corrected.every((s) => s.label.kind === 'text' && s.label.text === 'corrected' && s.provenance.labelHistory.length === 1));
  // the highest-perplexity correct samples are the ones kept; mastered ones leave
  const kept = dataset.slice(0, 40).filter((s) => ids(next).has(s.id));
  assert.ok(kept.length > 0 && kept.every((s) => Number(probes.find((p) => p.id === s.id)!.perplexity) > 2.9));
  assert.equal(new Set(next.map((s) => s.id)).size, next.length, 'no duplicates');
});

test('hpplShare keeps room for high-perplexity samples that failures would otherwise crowd out', () => {
  const options = { budget: 60, round: 1, seedShare: 0.25 } as const;
  const crowded = composeNextRound(inputs, options).composition;
  assert.equal(crowded.highPerplexity, 0, 'failures and the seed share fill the budget');
  const { dataset: next, composition } = composeNextRound(inputs, { ...options, hpplShare: 0.2 });
  assert.equal(composition.highPerplexity, 12);
  assert.equal(composition.untrainedSeed, 15);
  assert.equal(composition.errorSeeds + composition.expanded + composition.undecided, 60 - 15 - 12);
  assert.equal(next.length, 60);
  // the room goes to the highest-perplexity correct answers
  const kept = dataset.slice(0, 40).filter((s) => ids(next).has(s.id));
  assert.ok(kept.length > 0 && kept.every((s) => Number(probes.find((p) => p.id === s.id)!.perplexity) > 3.75), kept.map((s) => probes.find((p) => p.id === s.id)!.perplexity).join());
  assert.equal(composeNextRound(inputs, { ...options, hpplShare: 0.2, noHppl: true }).composition.highPerplexity, 0);
});

test('the seed share halves every round, and leftover budget goes to seed data', () => {
  const r1 = composeNextRound(inputs, { budget: 200, round: 1, seedShare: 0.4 }).composition;
  const r2 = composeNextRound(inputs, { budget: 200, round: 2, seedShare: 0.4 }).composition;
  const r3 = composeNextRound(inputs, { budget: 200, round: 3, seedShare: 0.4, noHppl: true }).composition;
  assert.ok(r1.untrainedSeed >= 80);
  assert.ok(r2.untrainedSeed >= 40);
  assert.equal(r3.highPerplexity, 0);
  assert.equal(r3.untrainedSeed, 200 - r3.errorSeeds - r3.expanded - r3.undecided);
});

test('ablations: no JGLV keeps every wrong label as a seed; no EDDE drops expansions; seed repeat reuses trained data', () => {
  const noJglv = composeNextRound({ ...inputs, verdicts: undefined }, { budget: 120, round: 1 });
  assert.equal(noJglv.composition.errorSeeds, 60);
  assert.equal(noJglv.composition.corrected, 0);
  const noEdde = composeNextRound(inputs, { budget: 120, round: 1, noEdde: true });
  assert.equal(noEdde.composition.expanded, 0);
  const repeat = composeNextRound(inputs, { budget: 120, round: 1, seedRepeat: true });
  assert.ok([...ids(repeat.dataset)].every((id) => !ids(untrained).has(id)));
  const random = composeNextRound(inputs, { budget: 120, round: 1, hpplReplace: true, seed: 3 });
  assert.equal(random.composition.highPerplexity, composeNextRound(inputs, { budget: 120, round: 1 }).composition.highPerplexity);
  assert.deepEqual(composeNextRound(inputs, { budget: 120, round: 1, hpplReplace: true, seed: 3 }), random, 'deterministic for a seed');
});

test('the seed share stays for fresh data when failures alone would fill the budget', () => {
  const { dataset: next, composition } = composeNextRound(inputs, { budget: 40, round: 1, seedShare: 0.4 });
  assert.equal(next.length, 40);
  assert.equal(composition.untrainedSeed, 16);
  assert.equal(composition.errorSeeds + composition.expanded + composition.undecided, 24);
  assert.equal(composition.errorSeeds, 24, 'error seeds come first among the failures');
  assert.deepEqual(next.slice(24).map((s) => s.id), untrained.slice(0, 16).map((s) => s.id));
});

test('each error seed enters with its own expansions, so a tight budget keeps their proportion', () => {
  const seedIds = dataset.slice(40).filter((_, j) => j % 5 === 0 || j % 5 === 1).map((s) => s.id);
  const ownExpansions = seedIds.flatMap((parentId, k) => [0, 1].map((n) => ({ ...pool[340 + 2 * k + n]!, id: `e${n}-${parentId}`, provenance: { source: 'expanded' as const, round: 1, parentId, labelHistory: [] } })));
  const { dataset: next, composition } = composeNextRound({ ...inputs, expanded: ownExpansions }, { budget: 40, round: 1, seedShare: 0.4 });
  assert.equal(composition.errorSeeds, 8);
  assert.equal(composition.expanded, 16);
  for (let i = 0; i < 24; i += 3) {
    const parent = next[i]!;
    assert.deepEqual(next.slice(i + 1, i + 3).map((x) => x.provenance.parentId), [parent.id, parent.id], `seed ${parent.id} is followed by its two expansions`);
  }
});

test('kindCap: failures of one kind take at most their capped share; fresh seed data fills the rest', () => {
  // every failure is an irrelevance sample, which is a tenth of the seed data
  const failing = pool.slice(0, 60).map((s, i) => ({ ...s, id: `f${i}`, meta: { ...s.meta, kind: 'irrelevance' } }));
  const failProbes: ProbeRecord[] = failing.map((s) => ({ id: s.id, status: 'done', correct: false, perplexity: 2, prediction: { kind: 'calls', calls: [] } }));
  const failVerdicts: VerifyRecord[] = failing.map((s) => ({ id: s.id, verdict: 'model_incorrect', action: 'keep_seed', errorAnalysis: '', correctApproach: '', judge: 'rule', label: s.label }));
  const fresh = untrained.map((s) => ({ ...s, meta: { ...s.meta, kind: 'single' } }));
  const shares = { irrelevance: 0.1, single: 0.9 };
  const input: ComposeInputs = { dataset: failing, probes: failProbes, verdicts: failVerdicts, expanded: [], untrained: fresh };
  const kinds = (xs: readonly Sample[], kind: string): number => xs.filter((s) => s.meta?.['kind'] === kind).length;

  const uncapped = composeNextRound(input, { budget: 50, round: 3, seedShare: 0.2 });
  assert.equal(kinds(uncapped.dataset, 'irrelevance'), 50 - Math.round(50 * 0.2 * 0.25));

  const capped = composeNextRound(input, { budget: 50, round: 3, seedShare: 0.2, kindCap: 1.5, kindShares: shares });
  assert.equal(kinds(capped.dataset, 'irrelevance'), Math.ceil(50 * 1.5 * 0.1));
  assert.equal(capped.dataset.length, 50);
  assert.equal(capped.composition.errorSeeds, 8);
  assert.equal(capped.composition.untrainedSeed, 42);
  assert.ok(capped.composition.overKindCap >= 52);
});

test('reachable_first: under a tight budget the error seeds whose label the model can reach enter first; as_probed keeps the probe order', () => {
  // the model-error seeds (keep_seed) 41, 46, 51, …: the later in the dataset, the more reachable
  const modelErrors = dataset.slice(40).filter((_, j) => j % 5 === 1);
  const scored = probes.map((p) => {
    const k = modelErrors.findIndex((s) => s.id === p.id);
    return k < 0 ? p : { ...p, labelLogprob: -20 + k };
  });
  const options = { budget: 10, round: 1, seedShare: 0, noHppl: true } as const;
  const reachable = composeNextRound({ ...inputs, probes: scored, expanded: [] }, { ...options, errorSeedOrder: 'reachable_first' }).dataset;
  // the corrected seeds (their label is now the model's own answer) first, then the most reachable model errors
  const corrected = reachable.filter((s) => s.provenance.source === 'corrected');
  assert.equal(corrected.length, 10, 'the 12 corrected seeds fill the budget first');
  const counted = composeNextRound({ ...inputs, probes: scored, expanded: [] }, { ...options, errorSeedOrder: 'reachable_first' }).composition;
  assert.deepEqual([counted.errorSeeds, counted.corrected], [10, 10], 'corrected counts the seeds that entered, not the 12 the judge corrected');
  const small = { ...options, budget: 16 };
  const picked = composeNextRound({ ...inputs, probes: scored, expanded: [] }, { ...small, errorSeedOrder: 'reachable_first' }).dataset.filter((s) => s.provenance.source === 'seed').map((s) => s.id);
  assert.deepEqual(picked, modelErrors.slice(-4).reverse().map((s) => s.id));
  const probed = composeNextRound({ ...inputs, probes: scored, expanded: [] }, { ...small, errorSeedOrder: 'as_probed' }).dataset.filter((s) => s.provenance.source === 'seed').map((s) => s.id);
  // in probe order the corrected and the model-error seeds alternate
  assert.deepEqual(probed, modelErrors.slice(0, 8).map((s) => s.id));
});
