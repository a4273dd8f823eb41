import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, hashString } from '../../src/core/random.ts';
import type { Label, Sample } from '../../src/core/types.ts';
import { labelsAgree } from '../../src/demo/cleaning.ts';
import type { JudgeVerdict } from '../../src/loop/judge.ts';
import { REFUSAL_TEXT } from '../../src/loop/label-repair.ts';
import type { ProbeRecord } from '../../src/loop/probe.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { verifyLabels, type VerifyRecord } from '../../src/loop/verify.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { MISTAKE_KINDS, makeMistake } from '../../src/world/mistakes.ts';

const judge = worldRuleJudge();
const sample = (text: string, toolNames: string[]): Sample => ({
  id: 't',
  tools: toolNames.map((n) => toolSpec(worldTool(n)!)),
  messages: [{ role: 'user', content: text }],
  label: { kind: 'text', text: '' },
  provenance: { source: 'seed', round: 0, labelHistory: [] },
});
const calls = (...cs: [string, Record<string, unknown>][]): Label => ({ kind: 'calls', calls: cs.map(([name, args]) => ({ name, arguments: args as never })) });
const compare = (s: Sample, label: Label, prediction: Label): JudgeVerdict => judge.compareSync(s, label, prediction);

test('both wrong in different places: the label keeps its structure and takes the value the prediction got right', () => {
  const s = sample('Quick question: search hotels in Rome from May 2, 2026 for 1 night.', ['search_hotels', 'book_hotel']);
  const v = compare(s, calls(['search_hotels', { city: 'Mumbai', check_in: '2026-05-02', nights: 1 }]), calls(['search_hotels', { city: 'Rome', check_in: '2026-05-20', nights: 10 }]));
  assert.equal(v.verdict, 'both_incorrect');
  assert.deepEqual(v.mended, calls(['search_hotels', { city: 'Rome', check_in: '2026-05-02', nights: 1 }]));
  assert.match(v.correctApproach, /mended from the two: search_hotels/);
});

test('a number written as a string is coerced to the type the schema asks for, even when the prediction is no help', () => {
  const s = sample('Check whether 1,588 is prime. Also, put /home/docs/budget.csv in the trash.', ['isPrime', 'deleteFile']);
  const v = compare(s, calls(['isPrime', { number: '1588' }], ['deleteFile', { path: '/home/docs/budget.csv' }]), { kind: 'text', text: '<tool_call>\n{"name": "isPrime", "arguments": {"number": 1588' });
  assert.deepEqual(v.mended, calls(['isPrime', { number: 1588 }], ['deleteFile', { path: '/home/docs/budget.csv' }]));
});

test('a value put in the wrong slot is swapped back when the prediction has the one the label lacks', () => {
  const s = sample('Solve for x: a = 5, b = seven, c = six.', ['solve_quadratic', 'calculate']);
  const v = compare(s, calls(['solve_quadratic', { a: 7, b: 7, c: 6 }]), calls(['solve_quadratic', { a: 5, b: 9, c: 9 }]));
  assert.deepEqual(v.mended, calls(['solve_quadratic', { a: 5, b: 7, c: 6 }]));
});

test('a call the label lost joins from the prediction, without the prediction\'s made-up extras', () => {
  const s = sample('Hey, purchase product P-1022 immediately. After that, text Hugo Brennan "The package has arrived".', ['buy_now', 'send_message']);
  const v = compare(s, calls(['send_message', { recipient: 'Hugo Brennan', text: 'The package has arrived' }]), calls(['buy_now', { product_id: 'P-1022', shipping: 'express' }]));
  assert.ok(v.mended && v.mended.kind === 'calls');
  assert.deepEqual(new Set(v.mended.calls.map((c) => JSON.stringify(c))), new Set([JSON.stringify({ name: 'send_message', arguments: { recipient: 'Hugo Brennan', text: 'The package has arrived' } }), JSON.stringify({ name: 'buy_now', arguments: { product_id: 'P-1022' } })]));
});

test('a made-up call on a request no offered tool serves becomes a refusal; on one that lacks a required value, a question', () => {
  const irrelevant = sample('Hi! When will ORD-58319 be delivered?', ['search_trains', 'get_weather']);
  const refusal = compare(irrelevant, calls(['search_trains', { origin: 'Prague', destination: 'Warsaw', date: '2026-12-03' }]), calls(['track_order', { order_id: 'ORD-58319' }]));
  assert.deepEqual(refusal.mended, { kind: 'text', text: REFUSAL_TEXT });
  const vague = sample('Please help me. Show me the balance.', ['get_account_balance', 'get_product_details']);
  const question = compare(vague, calls(['get_product_details', { product_id: 'P-1034' }]), calls(['get_account_balance', { account: 'brokerage' }]));
  assert.ok(question.mended?.kind === 'text' && /account/.test(question.mended.text) && question.mended.text.endsWith('?'), JSON.stringify(question.mended));
});

test('no repair when nothing in either response gives the missing value: the pair is dropped', async () => {
  const s = sample('Calculate (37 + 73) / 69.', ['calculate', 'isPrime']);
  const label = calls(['calculate', {}]);
  const prediction = calls(['calculate', { expression: '(37 + 73) + 69' }]);
  const v = compare(s, label, prediction);
  assert.equal(v.verdict, 'both_incorrect');
  assert.equal(v.mended, undefined);
  // a wrong value is not taken over by another made-up one, nor is a call with one left without it
  const hotels = sample('Search hotels in Rome from May 2 for 1 night.', ['search_hotels']);
  assert.equal(compare(hotels, calls(['search_hotels', { city: 'Mumbai', check_in: '2026-05-02', nights: 1 }]), calls(['search_hotels', { city: 'Lima', check_in: '2026-05-02', nights: 1 }])).mended, undefined);
  const written: VerifyRecord[] = [];
  const sink = { has: () => false, append: (rs: readonly VerifyRecord[]) => (written.push(...rs), rs.length) };
  const repairable = { ...sample('Check whether 1,588 is prime.', ['isPrime']), id: 'r', label: calls(['isPrime', { number: '1588' }]) };
  const probes: ProbeRecord[] = [
    { id: 't', status: 'done', correct: false, prediction },
    { id: 'r', status: 'done', correct: false, prediction: calls(['isPrime', { number: 1589 }]) },
  ];
  const summary = await verifyLabels([{ ...s, label }, repairable], probes, judge, sink);
  assert.deepEqual([summary.verdicts.both_incorrect, summary.mended], [2, 1]);
  assert.deepEqual(
    written.map((r) => [r.id, r.verdict, r.action]),
    [
      ['t', 'both_incorrect', 'drop'],
      ['r', 'both_incorrect', 'relabel'],
    ],
  );
  assert.deepEqual(written[1]!.label, calls(['isPrime', { number: 1588 }]));
  assert.deepEqual(written[1]!.previous, repairable.label);
  // the paper's rule: every both-wrong pair dropped
  const paper: VerifyRecord[] = [];
  const unmended = await verifyLabels([repairable], probes.slice(1), judge, { has: () => false, append: (rs: readonly VerifyRecord[]) => (paper.push(...rs), rs.length) }, { mend: false });
  assert.deepEqual([paper[0]!.action, unmended.mended], ['drop', 0]);
});

test('a required value the label lost is filled in where the request offers exactly one value of its type', () => {
  const refusal: Label = { kind: 'text', text: REFUSAL_TEXT };
  const mend = (text: string, tools: string[], label: Label): Label | undefined => compare(sample(text, tools), label, refusal).mended;
  assert.deepEqual(mend('Hello, use the discount code BUNDLE15 on my cart.', ['apply_coupon'], calls(['apply_coupon', {}])), calls(['apply_coupon', { code: 'BUNDLE15' }]));
  assert.deepEqual(mend('Please help me. Set the volume to 11.', ['setVolume'], calls(['setVolume', {}])), calls(['setVolume', { level: 11 }]));
  assert.deepEqual(mend("What's the average of 34, 32, two, 83 and 69?", ['compute_mean'], calls(['compute_mean', {}])), calls(['compute_mean', { numbers: [34, 32, 2, 83, 69] }]));
  // a value another call already has is not offered twice
  assert.deepEqual(
    mend('Put /home/docs/todo.txt and /work/archive/backup.zip in the trash.', ['deleteFile'], calls(['deleteFile', { path: '/home/docs/todo.txt' }], ['deleteFile', {}])),
    calls(['deleteFile', { path: '/home/docs/todo.txt' }], ['deleteFile', { path: '/work/archive/backup.zip' }]),
  );
  // no single candidate, no mending: two numbers, a bare title, a pronoun that reads as a number word
  assert.equal(mend('Set the volume to 11, or 12 if that is too quiet.', ['setVolume'], calls(['setVolume', {}])), undefined);
  assert.equal(mend('Play Harbor Song.', ['play_song'], calls(['play_song', {}])), undefined);
  assert.equal(mend('Book the cheapest one, checking in 2026-08-10.', ['book_hotel'], calls(['book_hotel', { hotel_id: 'H-2777', check_in: '2026-08-10' }])), undefined);
});

test('on 15% noise, where the model errs too, the judge mends two in three of the both-wrong pairs to the clean label and none to anything else', () => {
  const world = generateWorld({ seed: 5, n: 3000, base: 0, test: 0, noise: 0.15 });
  const truth = new Map(world.noise.map((n) => [n.id, n]));
  let both = 0;
  let right = 0;
  let wrong = 0;
  let cleanMended = 0;
  for (const s of world.seed) {
    const n = truth.get(s.id);
    const rng = new Rng(hashString(s.id, 7));
    for (const kind of rng.shuffle([...MISTAKE_KINDS])) {
      const m = makeMistake(n ? { ...s, label: n.clean } : s, kind, rng);
      if (!m) continue;
      const v = judge.compareSync(s, s.label, m.prediction);
      if (!n) {
        if (v.mended && !labelsAgree(v.mended, s.label)) cleanMended++;
      } else if (v.verdict === 'both_incorrect') {
        both++;
        if (v.mended && labelsAgree(v.mended, n.clean)) right++;
        else if (v.mended) wrong++;
      }
      break;
    }
  }
  assert.ok(both >= 300, `${both} both-wrong pairs`);
  assert.ok(right / both >= 0.65, `mended right ${right} of ${both}`);
  assert.equal(wrong, 0);
  assert.equal(cleanMended, 0);
});
