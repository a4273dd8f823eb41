import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Label, Sample } from '../../src/core/types.ts';
import { measureCleaning } from '../../src/demo/cleaning.ts';
import type { VerifyAction, VerifyRecord } from '../../src/loop/verify.ts';
import type { NoiseRecord } from '../../src/world/noise.ts';

const calls = (city: string): Label => ({ kind: 'calls', calls: [{ name: 'get_weather', arguments: { city } }] });

function sample(id: string, label: Label): Sample {
  return { id, tools: [], messages: [{ role: 'user', content: 'weather?' }], label, provenance: { source: 'seed', round: 0, labelHistory: [] } } as unknown as Sample;
}

function verdict(id: string, action: VerifyAction, label: Label): VerifyRecord {
  const v = { relabel: 'label_incorrect', drop: 'both_incorrect', keep_seed: 'model_incorrect', keep: 'undecided', treat_correct: 'both_correct' } as const;
  return { id, verdict: v[action], action, label, errorAnalysis: '', correctApproach: '', judge: 'rule' };
}

test('cleaning counts wrong labels fixed (and of them mended), dropped and missed by noise kind, and clean labels changed', () => {
  const noise: NoiseRecord[] = [
    { id: 'n1', kind: 'wrong_value', clean: calls('Paris'), noisy: calls('Lyon'), detail: '' },
    { id: 'n2', kind: 'wrong_value', clean: calls('Rome'), noisy: calls('Milan'), detail: '' },
    { id: 'n3', kind: 'wrong_function', clean: calls('Oslo'), noisy: calls('Bergen'), detail: '' },
    { id: 'n4', kind: 'wrong_function', clean: calls('Kyiv'), noisy: calls('Lviv'), detail: '' },
    { id: 'n5', kind: 'extra_argument', clean: calls('Doha'), noisy: calls('Riga'), detail: '' },
  ];
  const used = [
    ...noise.map((n) => sample(n.id, n.noisy)),
    sample('c1', calls('Bern')),
    sample('c2', calls('Graz')),
    sample('c3', calls('Nice')),
    sample('c4', calls('Lima')),
  ];
  const rounds: VerifyRecord[][] = [
    [
      verdict('n1', 'relabel', calls('Paris')), // fixed
      verdict('n2', 'relabel', calls('Turin')), // replaced by another wrong label: missed
      verdict('n3', 'drop', calls('Bergen')), // dropped
      { ...verdict('n4', 'relabel', calls('Kyiv')), verdict: 'both_incorrect' }, // mended: fixed where the model was wrong too
      verdict('c1', 'keep_seed', calls('Bern')), // clean, reached, unchanged
      verdict('c2', 'relabel', calls('Wien')), // clean, wrongly changed
    ],
    [
      verdict('n2', 'relabel', calls('Rome')), // fixed in a later round
      verdict('n3', 'relabel', calls('Oslo')), // already dropped: stays dropped
      verdict('c3', 'drop', calls('Nice')), // clean dropped: changed
    ],
  ];
  const f = measureCleaning(used, rounds, noise);
  assert.deepEqual(
    { wrong: f.wrongLabels, reached: f.reached, fixed: f.fixed, mended: f.mended, dropped: f.dropped, missed: f.missed, cleanReached: f.cleanReached, cleanChanged: f.cleanChanged },
    { wrong: 5, reached: 4, fixed: 3, mended: 1, dropped: 1, missed: 0, cleanReached: 3, cleanChanged: 2 },
  );
  assert.deepEqual(f.byNoiseKind['wrong_value'], { wrongLabels: 2, reached: 2, fixed: 2, mended: 0, dropped: 0, missed: 0 });
  assert.deepEqual(f.byNoiseKind['wrong_function'], { wrongLabels: 2, reached: 2, fixed: 1, mended: 1, dropped: 1, missed: 0 });
  assert.deepEqual(f.byNoiseKind['extra_argument'], { wrongLabels: 1, reached: 0, fixed: 0, mended: 0, dropped: 0, missed: 0 });
});

test('a wrong label the judge kept is missed; a noisy sample the loop never used is not counted', () => {
  const noise: NoiseRecord[] = [
    { id: 'n1', kind: 'wrong_value', clean: calls('Paris'), noisy: calls('Lyon'), detail: '' },
    { id: 'unused', kind: 'wrong_value', clean: calls('Rome'), noisy: calls('Milan'), detail: '' },
  ];
  const f = measureCleaning([sample('n1', calls('Lyon'))], [[verdict('n1', 'keep_seed', calls('Lyon'))]], noise);
  assert.equal(f.wrongLabels, 1);
  assert.equal(f.missed, 1);
  assert.equal(f.fixed, 0);
});
