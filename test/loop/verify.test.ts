import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Label, Sample } from '../../src/core/types.ts';
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/models/chat-model.ts';
import { parseHermesToolCalls } from '../../src/toolcall/hermes.ts';
import { ConsensusJudge, decide } from '../../src/loop/consensus.ts';
import type { Judge, JudgeVerdict, Verdict } from '../../src/loop/judge.ts';
import { LlmJudge, judgePrompt, parseJudgeReply } from '../../src/loop/llm-judge.ts';
import type { ProbeRecord } from '../../src/loop/probe.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { applyVerdict, verifyLabels, type VerifyRecord } from '../../src/loop/verify.ts';
import { generateWorld } from '../../src/world/generate.ts';

const fixed = (verdict: Verdict, name = 'j'): Judge => ({ name, compare: async (): Promise<JudgeVerdict> => ({ verdict, errorAnalysis: `${name} says ${verdict}`, correctApproach: '', judge: name }) });

test('consensus: k of n agreeing votes decide, otherwise undecided; one judge is 1 of 1', async () => {
  const v = (x: Verdict): JudgeVerdict => ({ verdict: x, errorAnalysis: '', correctApproach: '', judge: 'j' });
  assert.equal(decide([v('label_incorrect'), v('label_incorrect'), v('model_incorrect')], 2), 'label_incorrect');
  assert.equal(decide([v('label_incorrect'), v('model_incorrect'), v('undecided')], 2), 'undecided');
  assert.equal(decide([v('both_correct')], 1), 'both_correct');
  const single = new ConsensusJudge([fixed('model_incorrect')]);
  assert.deepEqual(single.consensus, { k: 1, n: 1 });
  const three = new ConsensusJudge([fixed('label_incorrect', 'a'), fixed('model_incorrect', 'b'), fixed('label_incorrect', 'c')]);
  assert.deepEqual(three.consensus, { k: 2, n: 3 });
  const s = {} as Sample;
  const r = await three.compare(s, { kind: 'text', text: '' }, { kind: 'text', text: '' });
  assert.equal(r.verdict, 'label_incorrect');
  assert.equal(r.votes!.length, 3);
  assert.throws(() => new ConsensusJudge([fixed('both_correct')], 2), /cannot be reached/);
});

test('the LLM judge reply parser reads the verdict and sections, and never throws', () => {
  const r = parseJudgeReply('<think>maybe response_2_incorrect</think>\nError analysis: Response 1 invents the city.\nCorrect approach: call get_weather for Oslo.\nVerdict: response_1_incorrect', 'llm');
  assert.deepEqual(r, { verdict: 'label_incorrect', errorAnalysis: 'Response 1 invents the city.', correctApproach: 'call get_weather for Oslo.', judge: 'llm' });
  assert.equal(parseJudgeReply('Verdict: **Response 2 is incorrect**', 'x').verdict, 'model_incorrect');
  assert.equal(parseJudgeReply('verdict: both correct', 'x').verdict, 'both_correct');
  assert.equal(parseJudgeReply('Verdict: both_incorrect', 'x').verdict, 'both_incorrect');
  for (const junk of ['', 'I am not sure.', 'Verdict:', '\u0000\uffff', 'Verdict: response_3_incorrect']) assert.equal(parseJudgeReply(junk, 'x').verdict, 'undecided', junk);
});

test('the LLM judge asks with Response 1 = label and Response 2 = prediction, over any ChatModel', async () => {
  let asked: ChatRequest | undefined;
  const model: ChatModel = {
    id: 'judge-model',
    async generate(requests: ChatRequest[]): Promise<ChatResponse[]> {
      asked = requests[0];
      const text = 'Error analysis: the label calls the wrong tool.\nCorrect approach: use get_forecast.\nVerdict: response_1_incorrect';
      return [{ choices: [{ text, toolCalls: parseHermesToolCalls(text), completionTokens: 9, finishReason: 'stop' }], promptTokens: 50, latencyMs: 1 }];
    },
  };
  const world = generateWorld({ seed: 2, n: 20, base: 0, test: 0, noise: 0 });
  const s = world.seed.find((x) => x.label.kind === 'calls')!;
  const pred: Label = { kind: 'text', text: 'Sorry.' };
  const v = await new LlmJudge(model).compare(s, s.label, pred);
  assert.equal(v.verdict, 'label_incorrect');
  assert.equal(v.judge, 'llm:judge-model');
  const user = asked!.messages[1]!.content as string;
  assert.ok(user.indexOf('Response 1:\n<tool_call>') > 0 && user.indexOf('Response 2:\nSorry.') > user.indexOf('Response 1:'));
  assert.deepEqual(judgePrompt(s, s.label, pred), asked!.messages);
  const failing: ChatModel = { id: 'down', generate: async () => Promise.reject(new Error('connection refused')) };
  assert.equal((await new LlmJudge(failing).compare(s, s.label, pred)).verdict, 'undecided');
});

test('verify judges only wrong answers, relabels with history, and resumes', async () => {
  const world = generateWorld({ seed: 8, n: 300, base: 0, test: 0, noise: 0.3 });
  const truth = new Map(world.noise.map((n) => [n.id, n]));
  // the "model" answers every noisy sample with the clean label and the first clean ones with a made-up value
  const probes: ProbeRecord[] = world.seed.map((s) => {
    const n = truth.get(s.id);
    if (n) return { id: s.id, status: 'done', correct: false, prediction: n.clean };
    return { id: s.id, status: 'done', correct: true, prediction: s.label };
  });
  const written: VerifyRecord[] = [];
  const sink = { has: (id: string) => written.some((r) => r.id === id), append: (rs: readonly VerifyRecord[]) => (written.push(...rs), rs.length) };
  const first = await verifyLabels(world.seed, probes.slice(0, 100), worldRuleJudge(), sink);
  const second = await verifyLabels(world.seed, probes, worldRuleJudge(), sink);
  assert.equal(second.skipped, first.judged);
  assert.equal(written.length, world.noise.length);
  const relabelled = written.filter((r) => r.action === 'relabel');
  assert.ok(relabelled.length / written.length >= 0.85, `${relabelled.length} of ${written.length}`);
  for (const r of relabelled) {
    const sample = world.seed.find((s) => s.id === r.id)!;
    const fixedSample = applyVerdict(sample, r, 1);
    assert.deepEqual(fixedSample.label, truth.get(r.id)!.clean);
    assert.equal(fixedSample.provenance.source, 'corrected');
    assert.deepEqual(fixedSample.provenance.labelHistory[0]!.previous, truth.get(r.id)!.noisy);
    assert.equal(fixedSample.provenance.labelHistory[0]!.stage, 'verify');
  }
});

test('verifyLabels relabels a both-wrong pair with the mended label only when mending is on; a wrong label takes the prediction', async () => {
  const call = (city: string): Label => ({ kind: 'calls', calls: [{ name: 'get_weather', arguments: { city } }] });
  const sample = (id: string): Sample => ({ id, tools: [], messages: [{ role: 'user', content: 'Weather in Oslo?' }], label: call('Bergen'), provenance: { source: 'seed', round: 0, labelHistory: [] } }) as Sample;
  const samples = [sample('a'), sample('b')];
  const probes = samples.map((s) => ({ id: s.id, status: 'done', correct: false, prediction: call('Osl') }) as ProbeRecord);
  // judge: a is both wrong (mended to Oslo), b has a wrong label; both verdicts carry a mended label
  const judge: Judge = { name: 'm', compare: async (s): Promise<JudgeVerdict> => ({ verdict: s.id === 'a' ? 'both_incorrect' : 'label_incorrect', errorAnalysis: '', correctApproach: '', judge: 'm', mended: call('Oslo') }) };
  const run = async (mend: boolean): Promise<Map<string, VerifyRecord>> => {
    const written: VerifyRecord[] = [];
    const sink = { has: (id: string) => written.some((r) => r.id === id), append: (rs: readonly VerifyRecord[]) => (written.push(...rs), rs.length) };
    const summary = await verifyLabels(samples, probes, judge, sink, { mend });
    assert.equal(summary.mended, mend ? 1 : 0);
    return new Map(written.map((r) => [r.id, r]));
  };
  const on = await run(true);
  assert.equal(on.get('a')!.action, 'relabel');
  assert.deepEqual(on.get('a')!.label, call('Oslo'));
  assert.deepEqual(on.get('a')!.previous, call('Bergen'));
  assert.deepEqual(on.get('b')!.label, call('Osl'), 'a wrong label is replaced by the prediction, not by a mended label');
  const off = await run(false);
  assert.equal(off.get('a')!.action, 'drop');
  assert.deepEqual(off.get('a')!.label, call('Bergen'));
  assert.deepEqual(off.get('b')!.label, call('Osl'));
});
