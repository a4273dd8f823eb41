import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IterateConfigSchema, type ModelRef } from '../../src/loop/config.ts';
import { iterate, provideTrainedModel, type IterateDeps } from '../../src/loop/iterate.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { TemplateExpander } from '../../src/loop/template-expander.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { ScriptedWorldModel, cleanAnswers } from './fixtures/scripted-world-model.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-iterate-'));
after(() => rmSync(work, { recursive: true, force: true }));
const world = generateWorld({ seed: 44, n: 600, base: 0, test: 0, noise: 0.15 });
const answers = cleanAnswers(world);
const config = IterateConfigSchema.parse({ data: 'seed.jsonl', rounds: 3, budget: 200, model: { provider: 'engine', path: 'v0' } });

function deps(trainer: 'auto' | 'none'): IterateDeps {
  return {
    modelFor: async (ref) => new ScriptedWorldModel(answers, 0.5 + 0.15 * Number(ref.path!.slice(1)), ref.path!),
    judge: worldRuleJudge(),
    expanderFor: (round) => new TemplateExpander({ seed: 1, round }),
    train: async (_path, _from, round) => (trainer === 'auto' ? ({ provider: 'engine', path: `v${round}` } as ModelRef) : undefined),
  };
}

test('iterate runs probe, verify, expand, compose and train for every round and records it all', async () => {
  const dir = join(work, 'auto');
  const store = RunStore.open(dir, { config: config as never });
  const outcome = await iterate(store, config, world.seed, deps('auto'));
  assert.deepEqual(outcome, { status: 'finished', rounds: 3, model: { provider: 'engine', path: 'v3' } });
  const m = store.manifest;
  for (let r = 0; r < 3; r++) for (const s of ['dataset', 'probe', 'verify', 'expand', 'compose', 'train']) assert.equal(m.rounds[r]!.stages[s]!.state, 'done', `round ${r} ${s}`);
  for (let r = 0; r < 3; r++) {
    const probed = readFileSync(join(dir, `round-${r}`, 'probe.jsonl'), 'utf8').trim().split('\n').length;
    assert.equal(probed, 200, `round ${r}: every sample probed once`);
  }
  const acc0 = m.rounds[0]!.stages['probe']!.figures!['accuracy'] as number;
  assert.ok(acc0 > 0.35 && acc0 < 0.65, `round 0 accuracy ${acc0}`);
  const compose = m.rounds[0]!.stages['compose']!.figures!;
  assert.equal(compose['samples'], 200);
  assert.ok((compose['corrected'] as number) > 0 && (compose['expanded'] as number) > 0);
  // labels the judge corrected are the injected wrong ones, history kept
  const truth = new Map(world.noise.map((n) => [n.id, n]));
  const next = readFileSync(join(dir, 'round-1', 'dataset.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const corrected = next.filter((s) => s.provenance.source === 'corrected');
  assert.ok(corrected.length > 0);
  for (const s of corrected) {
    assert.ok(truth.has(s.id), `${s.id} was corrected but its label was clean`);
    // a text reply may be worded differently; calls must be the clean ones
    const clean = truth.get(s.id)!.clean;
    if (clean.kind === 'text') assert.equal(s.label.kind, 'text');
    else assert.deepEqual(s.label, clean);
  }
  store.close();
});

test('with no trainer the run stops after composing, says what to train, and goes on once a model is given', async () => {
  const dir = join(work, 'none');
  const store = RunStore.open(dir, { config: config as never });
  const first = await iterate(store, config, world.seed, deps('none'));
  assert.equal(first.status, 'awaiting_training');
  assert.ok(first.status === 'awaiting_training' && first.round === 1 && first.dataset.endsWith(join('round-1', 'dataset.jsonl')));
  const again = await iterate(store, config, world.seed, deps('none'));
  assert.equal(again.status, 'awaiting_training', 'rerunning without a model changes nothing');
  provideTrainedModel(store, 1, { provider: 'engine', path: 'v1' } as ModelRef);
  const second = await iterate(store, config, world.seed, deps('none'));
  assert.ok(second.status === 'awaiting_training' && second.round === 2);
  store.close();
  const auto = readFileSync(join(work, 'auto', 'round-1', 'dataset.jsonl'), 'utf8');
  assert.equal(readFileSync(join(dir, 'round-1', 'dataset.jsonl'), 'utf8'), auto, 'the same data either way');
});
