/**
 * The LLM roles and the LLM judge driven through a real `looptool serve` of the shipped
 * base model on 127.0.0.1. That model was never taught to plan, play a user or simulate
 * a tool, so its output is poor: the test holds the pipeline to running through it —
 * every dialogue recorded, each rejected step with a reason, each early stop with the
 * role that caused it, tokens counted per stage — and to asking the server nothing again
 * when the same run is made over the response cache.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DiskResponseCache } from '../../src/models/response-cache.ts';
import { loadEngineModel } from '../../src/models/engine-model.ts';
import { createOpenAIServer } from '../../src/serve/openai-server.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { buildRoles, type ModelChoice } from '../../src/synth/build-roles.ts';
import type { DialogueRecord } from '../../src/synth/dialogue.ts';
import { synthesize, type SynthSettings } from '../../src/synth/pipeline.ts';
import { UsageMeter } from '../../src/synth/usage-meter.ts';
import { WorldPlanner } from '../../src/synth/world-planner.ts';
import { LlmTool } from '../../src/synth/llm-tool.ts';
import { OpenAIChatModel } from '../../src/models/openai-chat-model.ts';
import { REJECTION_REASONS } from '../../src/synth/verify-step.ts';
import { readCommitted } from '../../src/store/jsonl-stream.ts';
import { toolSpec, worldTool } from '../../src/world/catalog.ts';

const BASE_MODEL = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'synth-served-'));
let server: Server;
let url: string;
let requests = 0;

before(async () => {
  server = createOpenAIServer({ bundle: await loadEngineModel(BASE_MODEL), modelId: 'base', maxTokensCap: 1024 });
  server.on('request', () => requests++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});

const tools = ['get_sunrise_sunset', 'copy_file', 'get_weather'].map((n) => toolSpec(worldTool(n)!));
const settings: SynthSettings = { n: 4, seed: 2, toolsPerDialogue: { min: 2, max: 3 }, needs: { min: 1, max: 2 }, date: '2026-01-15', policy: 'cut', retries: 1, maxStepsPerTurn: 2 };

async function runOnce(dir: string, planAndSpeak: 'served' | 'world', temperature: number): Promise<{ dialogues: DialogueRecord[]; meter: UsageMeter; failures: unknown[] }> {
  const served: ModelChoice = { kind: 'openai', url, name: 'base' };
  const speaker: ModelChoice = planAndSpeak === 'served' ? served : { kind: 'embedded' };
  const meter = new UsageMeter();
  const built = await buildRoles({ planner: speaker, user: speaker, assistant: served, tool: served }, { meter, baseModelDir: BASE_MODEL, cache: new DiskResponseCache(join(work, 'cache')), date: settings.date, temperature });
  // the steps that reach the judge pass the rules: text replies (questions back, refusals), and
  // the single calls the base model gets right (it reads values out of a request, but never answers in text)
  if (planAndSpeak === 'world') built.roles.planner = new WorldPlanner({ single: 1, multi_step: 0, parallel: 0, clarify: 1, no_tool: 1 });
  const judge = await built.judgeFor({ kind: 'llm', url, name: 'base', votes: 1 });
  const store = RunStore.open(join(work, dir), { config: {} });
  const out = await synthesize(store, tools, settings, { roles: built.roles, judge, meter, concurrency: 2 });
  store.close();
  const dialogues = readCommitted(join(work, dir, 'round-0', 'dialogues.jsonl')).records as unknown as DialogueRecord[];
  return { dialogues, meter, failures: out.failures };
}

function assertExplained(dialogues: readonly DialogueRecord[]): void {
  for (const d of dialogues) {
    assert.ok(d.plan.steps.length >= 1, `${d.id} has a plan (${d.plan.source})`);
    if (d.status === 'stopped') assert.match(d.stop ?? '', /^(user|tool|assistant): ./, `${d.id} says which role stopped it`);
    for (const s of d.steps.filter((x) => !x.accepted)) {
      assert.ok((REJECTION_REASONS as readonly string[]).includes(s.reason!), `${d.id}: ${s.reason}`);
      assert.ok(s.problems.length > 0 && s.problems.every((p) => p.message !== ''));
    }
  }
}

test('every role served: a planner that writes no plan falls back to one from the seed, a user that writes no turn stops the dialogue with the reason', async () => {
  const { dialogues, meter, failures } = await runOnce('all-served', 'served', 0.8);
  assert.deepEqual(failures, []);
  assert.equal(dialogues.length, settings.n);
  assertExplained(dialogues);
  const fallbacks = dialogues.filter((d) => d.plan.source === 'fallback').length;
  for (const d of dialogues) assert.ok(d.plan.source === 'fallback' || d.plan.source === 'llm:base');
  assert.ok(meter.totals.planner.requests >= settings.n + fallbacks * settings.retries, 'a planner that gives nothing usable is asked again before the fallback');
  assert.ok(meter.totals.user.requests >= settings.n, 'the served user was asked');
  for (const d of dialogues) if (d.steps.length === 0) assert.equal(d.status, 'stopped', `${d.id} ended before the assistant only by a stop`);
});

test('assistant, tool and judge served (the world plans and speaks): steps are verified and the poor ones rejected with reasons', async () => {
  const { dialogues, meter, failures } = await runOnce('assistant-served', 'world', 0);
  assert.deepEqual(failures, []);
  assert.equal(dialogues.length, settings.n);
  assertExplained(dialogues);
  const steps = dialogues.flatMap((d) => d.steps);
  assert.ok(steps.length >= settings.n, 'every dialogue reached the assistant');
  assert.ok(steps.some((s) => !s.accepted), 'the poor model makes steps that are rejected');
  assert.ok(meter.totals.assistant.requests >= 2 * steps.length && meter.tokens('assistant') > 0, 'each step sampled at least twice, tokens counted');
  const judged = steps.filter((s) => s.judge !== undefined);
  assert.ok(judged.length > 0, 'some steps passed the rules and went to the judge');
  for (const s of judged) assert.equal(s.judge!.judge, 'llm:base');
  assert.equal(meter.totals.judge.requests, judged.length, 'the judge is asked only about steps that pass the rules');
});

test('the same run over the response cache makes the same dialogues without asking the server', async () => {
  const before = requests;
  const again = await runOnce('assistant-served-again', 'world', 0);
  assert.equal(requests, before, 'every request was answered from the cache');
  const first = readCommitted(join(work, 'assistant-served', 'round-0', 'dialogues.jsonl')).records;
  assert.deepEqual(again.dialogues.map((d) => JSON.stringify(d)).sort(), first.map((d) => JSON.stringify(d)).sort());
});

test('the served tool simulator answers with results or a typed failure, never an exception', async () => {
  const tool = new LlmTool(new OpenAIChatModel({ baseUrls: [url], model: 'base', mode: 'chat' }));
  const calls = [{ name: 'get_weather', arguments: { city: 'Oslo' } }];
  for (let seed = 0; seed < 3; seed++) {
    const r = await tool.run({ tools, calls, messages: [{ role: 'user', content: 'Weather in Oslo?' }], seed });
    if (r.ok) assert.equal(r.value.length, 1);
    else assert.ok(r.error.length > 0);
  }
});

test('an ensemble judge on the server: the rule judge and the served votes under one consensus, each vote kept', async () => {
  const built = await buildRoles({ planner: { kind: 'embedded' }, user: { kind: 'embedded' }, assistant: { kind: 'embedded' }, tool: { kind: 'embedded' } }, { meter: new UsageMeter(), baseModelDir: BASE_MODEL, date: '2026-01-15', temperature: 0.7 });
  const judge = await built.judgeFor({ kind: 'ensemble', url, name: 'base', votes: 2, k: 2 });
  assert.equal(judge.name, 'consensus(2/3: rule, llm:base, llm:base)');
  const label = { kind: 'calls' as const, calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] };
  const v = await judge.compare({ id: 'x', tools, messages: [{ role: 'user', content: 'Weather in Oslo?' }], label, provenance: { source: 'seed', round: 0, labelHistory: [] } }, label, label);
  assert.equal(v.votes?.length, 3);
  assert.equal(v.votes![0]!.verdict, 'both_correct', 'the rule judge finds the call right');
});
