import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Label, Sample } from '../../src/core/types.ts';
import { evaluateJudge } from '../../src/loop/judge-eval.ts';
import { RuleJudge, worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';
import { generateWorld } from '../../src/world/generate.ts';
import { NOISE_KINDS } from '../../src/world/noise.ts';

const judge = worldRuleJudge();
const tools = ['get_weather', 'get_forecast', 'getAirQuality', 'UVIndexLookup'].map((n) => toolSpec(worldTool(n)!));
const sample = (text: string): Sample => ({
  id: 't',
  tools,
  messages: [{ role: 'user', content: text }],
  label: { kind: 'text', text: '' },
  provenance: { source: 'seed', round: 0, labelHistory: [] },
});
const calls = (...cs: [string, Record<string, unknown>][]): Label => ({ kind: 'calls', calls: cs.map(([name, args]) => ({ name, arguments: args as never })) });

test('a hallucinated value is the wrong side, whichever side has it', async () => {
  const s = sample("What's the weather in Oslo right now?");
  const good = calls(['get_weather', { city: 'Oslo' }]);
  const bad = calls(['get_weather', { city: 'Lima' }]);
  assert.equal((await judge.compare(s, bad, good)).verdict, 'label_incorrect');
  const v = await judge.compare(s, good, bad);
  assert.equal(v.verdict, 'model_incorrect');
  assert.match(v.errorAnalysis, /Lima/);
  assert.match(v.correctApproach, /Response 1 is right: get_weather/);
});

test('between look-alikes, the tool whose description the request fits wins', async () => {
  const s = sample('Will it rain in Oslo in the coming days?');
  const forecast = calls(['get_forecast', { city: 'Oslo' }]);
  const current = calls(['get_weather', { city: 'Oslo' }]);
  assert.equal((await judge.compare(s, current, forecast)).verdict, 'label_incorrect');
  assert.equal((await judge.compare(s, forecast, current)).verdict, 'model_incorrect');
});

test('a value the user gave and one side leaves out counts against that side; a default needs no mention', async () => {
  const s = sample('Forecast for Oslo for the next 5 days, please.');
  const full = calls(['get_forecast', { city: 'Oslo', days: 5 }]);
  const short = calls(['get_forecast', { city: 'Oslo' }]);
  assert.equal((await judge.compare(s, short, full)).verdict, 'label_incorrect');
  assert.equal((await judge.compare(s, full, short)).verdict, 'model_incorrect');
  const plain = sample('Forecast for Oslo, please.');
  assert.equal((await judge.compare(plain, short, calls(['get_forecast', { city: 'Oslo', days: 3 }]))).verdict, 'both_correct');
});

test('text against calls: a grounded fitting call beats a refusal; an invented value loses to asking back', async () => {
  const s = sample("What's the UV index in Oslo?");
  const call = calls(['UVIndexLookup', { city: 'Oslo' }]);
  const refusal: Label = { kind: 'text', text: "Sorry, I can't." };
  assert.equal((await judge.compare(s, call, refusal)).verdict, 'model_incorrect');
  assert.equal((await judge.compare(s, refusal, call)).verdict, 'label_incorrect');
  const vague = sample("What's the UV index?");
  const guess = calls(['UVIndexLookup', { city: 'Paris' }]);
  const ask: Label = { kind: 'text', text: 'Which city?' };
  assert.equal((await judge.compare(vague, ask, guess)).verdict, 'model_incorrect');
  assert.equal((await judge.compare(vague, guess, ask)).verdict, 'label_incorrect');
});

test('a wrong call does not make a refusal right when the tool fits the request', async () => {
  const s = sample("What's the weather in Oslo right now?");
  const v = await judge.compare(s, calls(['get_weather', { city: 'Lima' }]), { kind: 'text', text: "Sorry, I can't help with that." });
  assert.equal(v.verdict, 'both_incorrect');
  assert.match(v.errorAnalysis, /needs a call/);
});

test('a call no word of the request asks for does not fit; a dropped or repeated call is caught', async () => {
  const s = sample('Book me a table for two at 7 pm.');
  const off = calls(['get_weather', { city: 'Oslo' }]);
  assert.equal((await judge.compare(s, { kind: 'text', text: 'I cannot book tables.' }, off)).verdict, 'model_incorrect');
  const two = sample('UV index for Oslo and Lima, please.');
  const both = calls(['UVIndexLookup', { city: 'Oslo' }], ['UVIndexLookup', { city: 'Lima' }]);
  const one = calls(['UVIndexLookup', { city: 'Oslo' }]);
  assert.equal((await judge.compare(two, one, both)).verdict, 'label_incorrect');
  const repeated = calls(['UVIndexLookup', { city: 'Oslo' }], ['UVIndexLookup', { city: 'Lima' }], ['UVIndexLookup', { city: 'Lima' }]);
  assert.equal((await judge.compare(two, both, repeated)).verdict, 'model_incorrect');
});

test('schema and execution failures are found; odd predictions never throw', async () => {
  const s = sample("What's the weather in Oslo right now?");
  const good = calls(['get_weather', { city: 'Oslo' }]);
  assert.equal((await judge.compare(s, calls(['get_weather', { city: 'Oslo', units: 'kelvin' }]), good)).verdict, 'label_incorrect');
  assert.equal((await judge.compare(s, good, calls(['no_such_tool', {}]))).verdict, 'model_incorrect');
  assert.equal((await judge.compare(s, good, calls(['get_weather', { city: 5, extra: [null, { a: [] }] }]))).verdict, 'model_incorrect');
  const unknownCity = sample("What's the weather in Atlantis right now?");
  // the call fails when run, but the tool fits: a refusal is no better
  assert.equal((await judge.compare(unknownCity, calls(['get_weather', { city: 'Atlantis' }]), { kind: 'text', text: 'No such city.' })).verdict, 'both_incorrect', 'execution fails');
  const noExec = new RuleJudge();
  assert.equal((await noExec.compare(unknownCity, calls(['get_weather', { city: 'Atlantis' }]), { kind: 'text', text: 'No such city.' })).verdict, 'model_incorrect', 'without executors only the words count');
});

test('on 15% noise the rule judge finds wrong labels with precision ≥ 0.95 and recall ≥ 0.85, without blaming clean labels for model mistakes', async () => {
  const world = generateWorld({ seed: 5, n: 4000, base: 0, test: 0, noise: 0.15 });
  const result = await evaluateJudge(judge, world.seed, world.noise, { seed: 5 });
  assert.ok(result.precision >= 0.95, `precision ${result.precision}`);
  assert.ok(result.recall >= 0.85, `recall ${result.recall}`);
  for (const kind of NOISE_KINDS) {
    const t = result.noise[kind];
    assert.ok(t && t.total >= 10, `${kind}: too few noisy labels to measure`);
    assert.ok(t.blamed / t.total >= 0.6, `${kind}: recall ${t.blamed}/${t.total}`);
  }
  for (const [kind, t] of Object.entries(result.mistakes)) assert.ok(t.blamed / t.total <= 0.05, `mistake ${kind}: clean label blamed ${t.blamed}/${t.total}`);
});

test('a refusal stays right when the model calls a tool that is not offered', async () => {
  const s = { ...sample('Remind me to pick up the dry cleaning on April 7 at 17:15.'), tools: ['search_flights', 'copy_file'].map((n) => toolSpec(worldTool(n)!)) };
  const refusal: Label = { kind: 'text', text: "I'm sorry, none of the available tools can help with that." };
  const v = await judge.compare(s, refusal, calls(['set_reminder', { text: 'pick up the dry cleaning', date: '2026-04-07', time: '17:15' }]));
  assert.equal(v.verdict, 'model_incorrect', v.errorAnalysis);
});

test('a refusal is wrong when one of the label calls fits the request, even if another does not', async () => {
  const s = { ...sample('Transfer USD 877 from my savings account to brokerage. Also, add an appointment "Dentist appointment" on February 11 at 9:15 am.'), tools: ['transfer_money', 'create_event'].map((n) => toolSpec(worldTool(n)!)) };
  const label = calls(['transfer_money', { from_account: 'savings', to_account: 'brokerage', amount: 877 }], ['create_event', { title: 'Dentist appointment', date: '2026-02-11', start_time: '09:15' }]);
  const v = await judge.compare(s, label, { kind: 'text', text: "I'm sorry, none of the available tools can help with that." });
  assert.notEqual(v.verdict, 'label_incorrect', v.errorAnalysis);
  assert.match(v.errorAnalysis, /Response 2 \(prediction\): replies in text/);
});

test('a number only the article "a" could stand for does not accuse a label whose value the user wrote', async () => {
  const s = { ...sample('Solve for x: a = 2, b = 12, c = 8.'), tools: ['solve_quadratic', 'get_stock_quote'].map((n) => toolSpec(worldTool(n)!)) };
  const v = await judge.compare(s, calls(['solve_quadratic', { a: 2, b: 12, c: 8 }]), calls(['solve_quadratic', { a: 2, b: 1, c: 1 }]));
  assert.equal(v.verdict, 'model_incorrect', v.errorAnalysis);
});

test('a clean label is not blamed for leaving out what the prediction made up: a flag off its default, an argument the function does not take', async () => {
  const offered = ['cancel_event', 'mark-as-read', 'isPrime'].map((n) => toolSpec(worldTool(n)!));
  const at = (text: string): Sample => ({ ...sample(text), tools: offered });
  // cancel_event notifies attendees by default: switching it off is something the user has to say
  const cancel = at('Cancel event EV-377. Then is 6583 a prime number?');
  const label = calls(['cancel_event', { event_id: 'EV-377' }], ['isPrime', { number: 6583 }]);
  const quiet = calls(['cancel_event', { event_id: 'EV-377', notify_attendees: false }], ['isPrime', { number: 6583 }]);
  const v = await judge.compare(cancel, label, quiet);
  assert.equal(v.verdict, 'model_incorrect', v.errorAnalysis);
  assert.doesNotMatch(v.errorAnalysis, /Response 1 \(label\): cancel_event leaves out/);
  // said aloud, the flag is the user's, and the label that drops it is the wrong side
  const said = at("Cancel event EV-377 and don't notify the attendees. Then is 6583 a prime number?");
  assert.equal((await judge.compare(said, label, quiet)).verdict, 'label_incorrect');

  const read = at('Mark MSG-5243 as read.');
  const right = calls(['mark-as-read', { message_ids: ['MSG-5243'] }]);
  const misnamed = calls(['mark-as-read', { message_id: 'MSG-5243' }]);
  const w = await judge.compare(read, right, misnamed);
  assert.equal(w.verdict, 'model_incorrect', w.errorAnalysis);
  assert.doesNotMatch(w.errorAnalysis, /Response 1 \(label\): mark-as-read leaves out/);
});
