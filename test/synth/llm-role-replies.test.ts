/** The LLM roles read hostile model output: what they can use, or a typed failure — never an exception. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ToolCall } from '../../src/core/types.ts';
import { parsePlan } from '../../src/synth/llm-planner.ts';
import { parseToolResults } from '../../src/synth/llm-tool.ts';
import { parseUserTurn } from '../../src/synth/llm-user.ts';
import { replyOf } from '../../src/synth/chat-model-assistant.ts';
import { parseHermesToolCalls } from '../../src/toolcall/hermes.ts';

test('a plan is read from its numbered lines with their kinds; unknown kinds are single calls', () => {
  const plan = parsePlan('<think>hmm</think>Plan:\n1. Single-step need: check the weather.\n2) **Parallel**: two cities at once\n3. Multi-step request: find a flight, then book it\n4. Clarify: book a table but forget the time\n5. No-tool: chat about the trip\n6. Something odd: rename a file\n7. single: ignored, past the length', 6);
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.map((s) => s.kind), ['single', 'parallel', 'multi_step', 'clarify', 'no_tool', 'single']);
  assert.equal(plan.value[0]!.need, 'check the weather.');
  assert.equal(plan.value[5]!.need, 'Something odd: rename a file');
  assert.deepEqual(parsePlan('no list here at all', 3), { ok: false, error: 'the plan has no numbered needs' });
});

test('a user turn is the tagged text, or a plausible bare reply; markup and empty or huge replies fail', () => {
  assert.deepEqual(parseUserTurn('<current plan>2</current plan>\n<continuation>\n<user>Book it for  Friday.</user>\n</continuation>'), { ok: true, value: 'Book it for Friday.' });
  assert.deepEqual(parseUserTurn('user: What about Rome?'), { ok: true, value: 'What about Rome?' });
  assert.equal(parseUserTurn('<user></user>').ok, false);
  assert.equal(parseUserTurn('x'.repeat(5000)).ok, false);
  assert.equal(parseUserTurn('<tool_call>\n{"name": "f"}\n</tool_call>').ok, false);
});

test('tool results are matched to the calls in order; a wrong count, name or shape fails', () => {
  const calls: ToolCall[] = [
    { name: 'get_weather', arguments: { city: 'Oslo' } },
    { name: 'get_time', arguments: { zone: 'CET' } },
  ];
  const good = parseToolResults('```json\n[{"name": "get_weather", "result": {"temp": 4}}, {"name": "get_time", "error": "zone unknown"}]\n```', calls);
  assert.deepEqual(good, { ok: true, value: [{ name: 'get_weather', result: { temp: 4 } }, { name: 'get_time', result: { error: 'zone unknown' } }] });
  assert.equal(parseToolResults('[{"name": "get_weather", "result": 1}]', calls).ok, false);
  assert.equal(parseToolResults('[{"name": "get_time", "result": 1}, {"name": "get_weather", "result": 2}]', calls).ok, false);
  assert.equal(parseToolResults('[1, 2]', calls).ok, false);
  assert.equal(parseToolResults('not json [ at all', calls).ok, false);
  for (const junk of ['', '{', ']]', '[{"name": 1}', '\u0000\uffff']) assert.doesNotThrow(() => parseToolResults(junk, calls));
});

test('an assistant reply is calls, text, or unparsed calls', () => {
  const choice = (text: string) => ({ text, toolCalls: parseHermesToolCalls(text, { mode: 'lenient' }), completionTokens: 1, finishReason: 'stop' as const });
  assert.equal(replyOf(choice('<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>')).kind, 'calls');
  assert.deepEqual(replyOf(choice('<think>x</think>Which city?')), { kind: 'text', text: 'Which city?' });
  assert.equal(replyOf(choice('<tool_call>\n{"name": "f", "arguments": {\n</tool_call>')).kind, 'unparsed');
  assert.equal(replyOf(undefined).kind, 'unparsed');
});
