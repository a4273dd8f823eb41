/** Two-tier verification of an assistant step: each rule's reason, then the judge's word. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Label, Message, Sample, Tool } from '../../src/core/types.ts';
import type { Judge, JudgeVerdict, Verdict } from '../../src/loop/judge.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import type { AssistantReply } from '../../src/synth/roles.ts';
import type { ConsistencyOutcome } from '../../src/synth/self-consistency.ts';
import { verifyStep, type StepVerdict } from '../../src/synth/verify-step.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';

const weather = toolSpec(worldTool('get_weather')!);
const forecast = toolSpec(worldTool('get_forecast')!);
const tools: Tool[] = [weather, forecast];
const ask: Message[] = [{ role: 'user', content: "What's the weather in Oslo right now in fahrenheit?" }];

const calls = (...list: [string, Record<string, unknown>][]): AssistantReply => ({ kind: 'calls', calls: list.map(([name, args]) => ({ name, arguments: args as never })), text: '' });
const agreed = (chosen: AssistantReply, runnerUp?: AssistantReply): ConsistencyOutcome => ({ chosen, consistent: true, candidates: runnerUp ? [chosen, runnerUp, chosen] : [chosen, chosen], ...(runnerUp ? { runnerUp } : {}) });

/** A judge that answers one verdict and remembers what it was shown. */
class FixedJudge implements Judge {
  readonly name = 'fixed';
  seen: { label: Label; prediction: Label }[] = [];
  constructor(private readonly verdict: Verdict) {}
  async compare(_s: Sample, label: Label, prediction: Label): Promise<JudgeVerdict> {
    this.seen.push({ label, prediction });
    return { verdict: this.verdict, errorAnalysis: `said ${this.verdict}`, correctApproach: '', judge: this.name };
  }
}

async function verify(outcome: ConsistencyOutcome, messages: Message[] = ask, judge: Judge = new FixedJudge('both_correct'), reference?: Label): Promise<StepVerdict> {
  return verifyStep({ id: 't', outcome, tools, messages, year: 2026, judge, ...(reference ? { reference } : {}) });
}

test('a grounded, valid call passes both tiers', async () => {
  const v = await verify(agreed(calls(['get_weather', { city: 'Oslo', units: 'fahrenheit' }])), ask, worldRuleJudge());
  assert.deepEqual([v.accepted, v.problems], [true, []]);
  assert.equal(v.judge?.verdict, 'both_correct');
});

test('each rule rejects with its own reason, and the judge is not asked', async () => {
  const cases: [AssistantReply, string][] = [
    [calls(['get_wether', { city: 'Oslo' }]), 'unknown_function'],
    [calls(['get_weather', { units: 'fahrenheit' }]), 'missing_required'],
    [calls(['get_weather', { city: 'Oslo', colour: 'red' }]), 'unknown_parameter'],
    [calls(['get_weather', { city: 7 }]), 'wrong_type'],
    [calls(['get_weather', { city: 'Oslo', units: 'kelvin' }]), 'not_in_enum'],
    [calls(['get_weather', { city: 'Paris' }]), 'ungrounded'],
    [calls(['get_weather', { city: 'Oslo' }], ['get_weather', { city: 'Oslo' }]), 'duplicate_call'],
    [{ kind: 'text', text: '   ' }, 'empty_reply'],
    [{ kind: 'unparsed', text: '<tool_call>{', error: 'bad JSON' }, 'unparseable'],
  ];
  for (const [reply, reason] of cases) {
    const judge = new FixedJudge('both_correct');
    const v = await verify(agreed(reply), ask, judge);
    assert.equal(v.accepted, false, reason);
    assert.equal(v.reason, reason);
    assert.equal(v.problems[0]!.reason, reason);
    assert.ok(v.problems[0]!.message.length > 0);
    assert.equal(judge.seen.length, 0, `${reason}: rules stop before the judge`);
  }
});

test('a value is grounded by an earlier tool result or the parameter default, and a call already answered is a repeat', async () => {
  const history: Message[] = [
    { role: 'user', content: 'Forecast for the city where Flight XY12 lands, please.' },
    { role: 'assistant', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
    { role: 'tool', name: 'get_weather', content: '{"city": "Oslo", "temperature": 4}' },
  ];
  assert.equal((await verify(agreed(calls(['get_forecast', { city: 'Oslo', days: 5, units: 'celsius' }])), history)).reason, 'ungrounded', 'days 5 is said nowhere');
  const ok = await verify(agreed(calls(['get_forecast', { city: 'Oslo', days: 3, units: 'celsius' }])), history);
  assert.equal(ok.accepted, true, JSON.stringify(ok.problems));
  assert.equal((await verify(agreed(calls(['get_weather', { city: 'Oslo' }])), history)).reason, 'repeated_call');
});

test('samples that never agree are rejected as inconsistent, listing what each said', async () => {
  const a = calls(['get_weather', { city: 'Oslo' }]);
  const b = calls(['get_forecast', { city: 'Oslo' }]);
  const v = await verify({ chosen: a, consistent: false, candidates: [a, b, { kind: 'text', text: 'Hi' }] });
  assert.equal(v.reason, 'inconsistent');
  assert.match(v.problems[0]!.message, /get_forecast/);
});

test('the judge weighs the step against the planner reference, else the disagreeing sample, and its verdict decides', async () => {
  const step = calls(['get_weather', { city: 'Oslo' }]);
  const other = calls(['get_forecast', { city: 'Oslo' }]);
  const reference: Label = { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo', units: 'fahrenheit' } }] };
  const j1 = new FixedJudge('label_incorrect');
  const rejected = await verify(agreed(step, other), ask, j1, reference);
  assert.deepEqual(j1.seen[0]!.prediction, reference);
  assert.deepEqual([rejected.accepted, rejected.reason], [false, 'judge_rejected']);
  assert.match(rejected.problems[0]!.message, /fixed: label_incorrect/);
  const j2 = new FixedJudge('model_incorrect');
  assert.equal((await verify(agreed(step, other), ask, j2)).accepted, true, 'Response 1 held right');
  assert.deepEqual(j2.seen[0]!.prediction, { kind: 'calls', calls: [{ name: 'get_forecast', arguments: { city: 'Oslo' } }] });
  assert.equal((await verify(agreed(step), ask, new FixedJudge('undecided'))).reason, 'judge_undecided');
  assert.equal((await verify(agreed(step), ask, new FixedJudge('both_incorrect'))).reason, 'judge_rejected');
});

test('the rule judge rejects a text reply where the planner expected a call', async () => {
  const v = await verify(agreed({ kind: 'text', text: 'I cannot help with that.' }), ask, worldRuleJudge(), { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo', units: 'fahrenheit' } }] });
  assert.deepEqual([v.accepted, v.reason], [false, 'judge_rejected']);
  assert.match(v.judge!.errorAnalysis, /call/);
});
