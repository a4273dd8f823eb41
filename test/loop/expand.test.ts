import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sample } from '../../src/core/types.ts';
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/models/chat-model.ts';
import { parseHermesToolCalls } from '../../src/toolcall/hermes.ts';
import { errorSeeds, expandFailures, rejectionOf, type ExpandRecord } from '../../src/loop/expand.ts';
import { LlmExpander, expansionPrompt, parseExpansions, parseTurns } from '../../src/loop/llm-expander.ts';
import type { ProbeRecord } from '../../src/loop/probe.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { TemplateExpander } from '../../src/loop/template-expander.ts';
import type { VerifyRecord } from '../../src/loop/verify.ts';
import { generateWorld } from '../../src/world/generate.ts';

const world = generateWorld({ seed: 31, n: 200, base: 0, test: 0, noise: 0 });
const calls = world.seed.filter((s) => s.label.kind === 'calls').slice(0, 12);

function verdictsFor(samples: readonly Sample[]): { probes: ProbeRecord[]; verdicts: VerifyRecord[] } {
  const probes: ProbeRecord[] = samples.map((s) => ({ id: s.id, status: 'done', correct: false, prediction: { kind: 'text', text: 'Sorry.' } }));
  const actions = ['keep_seed', 'relabel', 'drop', 'keep'] as const;
  const verdicts: VerifyRecord[] = samples.map((s, i) => ({
    id: s.id,
    verdict: (['model_incorrect', 'label_incorrect', 'both_incorrect', 'undecided'] as const)[i % 4]!,
    action: actions[i % 4]!,
    errorAnalysis: 'the model declined',
    correctApproach: 'call the tool',
    judge: 'rule',
    label: s.label,
  }));
  return { probes, verdicts };
}

test('error seeds are the model-wrong and label-wrong verdicts, with their prediction and verdict', () => {
  const { probes, verdicts } = verdictsFor(calls);
  const seeds = errorSeeds(world.seed, probes, verdicts);
  assert.equal(seeds.length, 6);
  assert.ok(seeds.every((s) => s.prediction?.kind === 'text' && s.verdict !== undefined));
});

test('the expand stage keeps validated samples, streams per seed and resumes', async () => {
  const { probes, verdicts } = verdictsFor(calls);
  const seeds = errorSeeds(world.seed, probes, verdicts);
  const written: ExpandRecord[] = [];
  const sink = { has: (id: string) => written.some((r) => r.id === id), append: (rs: readonly ExpandRecord[]) => (written.push(...rs), rs.length) };
  const expander = new TemplateExpander({ seed: 2, round: 1 });
  const first = await expandFailures(seeds.slice(0, 3), expander, sink, { perSeed: 4, judge: worldRuleJudge() });
  const second = await expandFailures(seeds, expander, sink, { perSeed: 4, judge: worldRuleJudge() });
  assert.equal(first.made, 12);
  assert.equal(second.skipped, 3);
  assert.equal(written.length, seeds.length);
  assert.ok(written.every((r) => r.samples.length === 4 && r.samples.every((s) => s.provenance.parentId === r.id)));
});

test('candidates with broken calls, unknown tools or a label the judge rejects are kept out', async () => {
  const s = calls[0]!;
  assert.equal(await rejectionOf(s, worldRuleJudge()), undefined);
  assert.equal(await rejectionOf({ ...s, label: { kind: 'calls', calls: [{ name: 'nope', arguments: {} }] } }, undefined), 'schema');
  assert.equal(await rejectionOf({ ...s, label: { kind: 'text', text: ' ' } }, undefined), 'empty_reply');
  const invented = { ...s, label: { kind: 'calls' as const, calls: s.label.kind === 'calls' ? s.label.calls.map((c) => ({ ...c, arguments: { ...c.arguments } })) : [] } };
  const arg = Object.keys(invented.label.calls[0]!.arguments).find((k) => typeof invented.label.calls[0]!.arguments[k] === 'string');
  if (arg) {
    invented.label.calls[0]!.arguments[arg] = 'Zzyzx Qwerty';
    assert.equal(await rejectionOf(invented, worldRuleJudge()), 'judged_wrong');
  }
});

test('INPUT/OUTPUT replies parse robustly: markdown, think blocks, several turns, broken blocks counted', () => {
  const reply = [
    '<think>let me write them</think>',
    '### Sample 1',
    '**INPUT:**',
    "user: What's the weather in Oslo right now?",
    '**OUTPUT:**',
    '```',
    '<tool_call>',
    '{"name": "get_weather", "arguments": {"city": "Oslo"},}',
    '</tool_call>',
    '```',
    'INPUT:',
    'user: Find flights to Rome',
    'assistant: <tool_call>\n{"name": "search_flights", "arguments": {"destination": "Rome"}}\n</tool_call>',
    'tool: {"flights": []}',
    'user: Then ask me',
    'OUTPUT:',
    'Which date would you like to fly?',
    'INPUT:',
    'user: broken one',
    'OUTPUT:',
    '<tool_call>\n{"name": "x", "arguments": {\n</tool_call>',
    'INPUT: user: no output here',
  ].join('\n');
  const { samples, rejected } = parseExpansions(reply);
  assert.equal(samples.length, 2);
  assert.deepEqual(samples[0]!.label, { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
  assert.deepEqual(samples[1]!.messages.map((m) => m.role), ['user', 'assistant', 'tool', 'user']);
  assert.deepEqual(samples[1]!.label, { kind: 'text', text: 'Which date would you like to fly?' });
  assert.deepEqual(rejected, { unparseable_output: 1, no_output: 1 });
  assert.deepEqual(parseExpansions('no blocks at all').rejected, { no_blocks: 1 });
  assert.deepEqual(parseTurns('just a question'), [{ role: 'user', content: 'just a question' }]);
  for (const junk of ['', 'INPUT:', 'OUTPUT:', 'INPUT:\nOUTPUT:', '\u0000INPUT:\u0000OUTPUT:\u0000']) assert.doesNotThrow(() => parseExpansions(junk));
});

test('the LLM expander asks with the failure and its error, and returns parsed samples as expansions', async () => {
  const seed = { sample: calls[0]!, prediction: { kind: 'text' as const, text: 'Sorry.' }, verdict: { verdict: 'model_incorrect' as const, errorAnalysis: 'it declined', correctApproach: '', judge: 'rule' } };
  let asked: ChatRequest | undefined;
  const label = calls[0]!.label.kind === 'calls' ? calls[0]!.label.calls : [];
  const model: ChatModel = {
    id: 'gen',
    async generate(requests: ChatRequest[]): Promise<ChatResponse[]> {
      asked = requests[0];
      const one = `INPUT:\nuser: ${(calls[0]!.messages[0] as { content: string }).content}\nOUTPUT:\n${label.map((c) => `<tool_call>\n${JSON.stringify(c)}\n</tool_call>`).join('\n')}\n`;
      const text = one + one;
      return [{ choices: [{ text, toolCalls: parseHermesToolCalls(text), completionTokens: 50, finishReason: 'stop' }], promptTokens: 100, latencyMs: 1 }];
    },
  };
  const report = await new LlmExpander(model, { round: 2 }).expand(seed, 2);
  assert.equal(report.samples.length, 2);
  assert.equal(report.samples[0]!.provenance.parentId, calls[0]!.id);
  assert.deepEqual(report.samples[0]!.tools, calls[0]!.tools);
  const prompt = asked!.messages[1]!.content as string;
  assert.match(prompt, /A model answered wrongly:\nSorry\./);
  assert.match(prompt, /Why it was wrong: it declined/);
  assert.deepEqual(expansionPrompt(seed, 2), asked!.messages);
  const failing: ChatModel = { id: 'down', generate: async () => Promise.reject(new Error('refused')) };
  assert.deepEqual((await new LlmExpander(failing).expand(seed, 3)).rejected, { model_error: 3 });
});
