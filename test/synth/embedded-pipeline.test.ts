/**
 * The whole pipeline on the embedded roles (world planner, templated user, the shipped
 * base model as the assistant, the world's executors) over the world's tools: the tiny
 * model is weak, so most steps are rejected — what must hold is that every sample kept
 * passes the rule checks, the counts add up, and a run stopped midway and started again
 * ends exactly as an uninterrupted one, with no dialogue twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Sample, Tool } from '../../src/core/types.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { EngineChatModel, loadEngineModel } from '../../src/models/engine-model.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { ChatModelAssistant } from '../../src/synth/chat-model-assistant.ts';
import type { DialogueRecord } from '../../src/synth/dialogue.ts';
import { synthesize, type SynthDeps, type SynthSettings } from '../../src/synth/pipeline.ts';
import type { Roles } from '../../src/synth/roles.ts';
import { TemplatedUser } from '../../src/synth/templated-user.ts';
import { dialogueSamples } from '../../src/synth/to-samples.ts';
import { UsageMeter, meteredModel } from '../../src/synth/usage-meter.ts';
import { callProblems } from '../../src/synth/verify-step.ts';
import { WorldPlanner } from '../../src/synth/world-planner.ts';
import { WorldToolRole } from '../../src/synth/world-tool.ts';
import { WORLD_TOOLS, toolSpec } from '../../src/world/catalog.ts';
import { WORLD_YEAR } from '../../src/world/values.ts';

const BASE_MODEL = fileURLToPath(new URL('../../assets/base-model', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'synth-embedded-'));
after(() => rmSync(root, { recursive: true, force: true }));

const toolSet: Tool[] = WORLD_TOOLS.map(toolSpec);
const settings: SynthSettings = { n: 10, seed: 11, toolsPerDialogue: { min: 2, max: 3 }, needs: { min: 1, max: 2 }, date: `${WORLD_YEAR}-01-15`, policy: 'cut', retries: 1, maxStepsPerTurn: 3 };
let engine: EngineChatModel;

before(async () => {
  engine = new EngineChatModel(await loadEngineModel(BASE_MODEL), BASE_MODEL);
});

function deps(meter: UsageMeter, extra: Partial<SynthDeps> = {}): SynthDeps {
  const roles: Roles = { planner: new WorldPlanner(), user: new TemplatedUser(), assistant: new ChatModelAssistant(meteredModel(engine, 'assistant', meter), { temperature: 0.7 }), tool: new WorldToolRole() };
  return { roles, judge: worldRuleJudge(), meter, concurrency: 2, ...extra };
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
}

let straight: { samples: string; dialogues: string[] };

test('an uninterrupted run: samples pass the rule checks, counts add up, rejections carry reasons', async () => {
  const dir = join(root, 'straight');
  const store = RunStore.open(dir, { config: {} });
  const meter = new UsageMeter();
  const out = await synthesize(store, toolSet, settings, deps(meter));
  store.close();
  const s = out.summary;
  const dialogues = lines(join(dir, 'round-0', 'dialogues.jsonl'));
  const samples = lines(out.samplesPath).map((l) => JSON.parse(l) as Sample);
  assert.equal(dialogues.length, settings.n);
  assert.deepEqual(out.failures, []);
  assert.ok(s.steps.total >= settings.n, 'every dialogue reached the assistant');
  assert.ok(s.steps.rejected > 0, 'the tiny model makes steps verification rejects');
  for (const d of dialogues.map((l) => JSON.parse(l) as DialogueRecord)) {
    for (const step of d.steps.filter((x) => !x.accepted)) {
      assert.ok(step.reason && step.problems.length > 0 && step.problems[0]!.message !== '', `${d.id} step ${step.at} has a reason`);
    }
    assert.equal(d.steps.filter((x) => !x.accepted).length, d.status === 'rejected' ? 1 : 0, 'a dialogue ends at its first rejected step');
    // the drop policy keeps nothing of a dialogue with a rejected step; cut keeps what came before it
    assert.equal(dialogueSamples(d, 'drop').samples.length, d.status === 'rejected' ? 0 : dialogueSamples(d, 'cut').samples.length);
    assert.equal(dialogueSamples(d, 'cut').samples.length, d.steps.filter((x) => x.accepted).length);
  }
  for (const sample of samples) {
    if (sample.label.kind === 'calls') assert.deepEqual(callProblems(sample.label.calls, sample.tools, sample.messages, WORLD_YEAR), []);
    else assert.notEqual(sample.label.text.trim(), '');
  }
  assert.equal(samples.length, s.steps.accepted, 'every accepted step is one sample');
  assert.equal(Object.values(s.rejections).reduce((a, b) => a + b, 0), s.steps.rejected);
  assert.equal(s.samples.single + s.samples.parallel + s.samples.multi_turn + s.samples.no_call, s.samples.total);
  assert.ok(s.usage.assistant.requests >= 2 * s.steps.total && s.usage.assistant.completionTokens > 0, 'two samples or more per step, tokens counted');
  straight = { samples: readFileSync(out.samplesPath, 'utf8'), dialogues };
});

test('stopped after a few dialogues and started again, it finishes with the same data and no dialogue twice', async () => {
  assert.ok(straight, 'needs the uninterrupted run');
  const dir = join(root, 'resumed');
  const abort = new AbortController();
  const first = RunStore.open(dir, { config: {} });
  await assert.rejects(
    synthesize(first, toolSet, settings, deps(new UsageMeter(), { signal: abort.signal, onDialogue: (done) => done >= 4 && abort.abort() })),
    (e: Error) => e.name === 'AbortError',
  );
  first.close();
  const partial = lines(join(dir, 'round-0', 'dialogues.jsonl')).length;
  assert.ok(partial >= 4 && partial < settings.n, `${partial} dialogues recorded before the stop`);
  const second = RunStore.open(dir, { config: {} });
  const out = await synthesize(second, toolSet, settings, deps(new UsageMeter()));
  second.close();
  const dialogues = lines(join(dir, 'round-0', 'dialogues.jsonl'));
  const ids = dialogues.map((l) => (JSON.parse(l) as DialogueRecord).id);
  assert.equal(new Set(ids).size, settings.n);
  assert.equal(ids.length, settings.n);
  assert.deepEqual([...dialogues].sort(), [...straight.dialogues].sort(), 'each dialogue is the one the uninterrupted run made');
  assert.equal(readFileSync(out.samplesPath, 'utf8'), straight.samples);
  assert.equal(out.summary.dialogues.recorded, settings.n);
  assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).rounds[0].stages.dialogues.state, 'done');
});
