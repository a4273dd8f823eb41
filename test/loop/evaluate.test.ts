import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../src/core/types.ts';
import { scoreRecords } from '../../src/loop/evaluate.ts';
import type { ProbeRecord } from '../../src/loop/probe.ts';

const sample = (id: string, kind?: string): Sample =>
  ({ id, tools: [], messages: [{ role: 'user', content: 'x' }], label: { kind: 'text', text: 'y' }, provenance: { source: 'seed', round: 0, labelHistory: [] }, ...(kind ? { meta: { kind } } : {}) }) as Sample;

test('held-out scores count per kind; a failed request or a missing record is wrong; kindless samples are "other"', () => {
  const samples = [sample('a', 'single'), sample('b', 'single'), sample('c', 'single'), sample('d', 'irrelevance'), sample('e')];
  const records: ProbeRecord[] = [
    { id: 'a', status: 'done', correct: true },
    { id: 'b', status: 'done', correct: false },
    { id: 'c', status: 'failed', error: 'timeout' },
    { id: 'd', status: 'done', correct: true },
  ];
  const s = scoreRecords(samples, records);
  assert.deepEqual([s.correct, s.total, s.accuracy], [2, 5, 0.4]);
  assert.deepEqual(s.byKind['single'], { accuracy: 1 / 3, correct: 1, total: 3 });
  assert.deepEqual(s.byKind['irrelevance'], { accuracy: 1, correct: 1, total: 1 });
  assert.deepEqual(s.byKind['other'], { accuracy: 0, correct: 0, total: 1 });
});
