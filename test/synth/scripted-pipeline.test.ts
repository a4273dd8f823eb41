/**
 * The pipeline with an assistant that always answers as the world planner expects: steps
 * pass both tiers, every kind of per-turn sample comes out, each passes the rule checks
 * again on its own, and the summary's counts add up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SampleSchema, type Label, type Sample } from '../../src/core/types.ts';
import { worldRuleJudge } from '../../src/loop/rule-judge.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { synthesize } from '../../src/synth/pipeline.ts';
import type { Assistant, User } from '../../src/synth/roles.ts';
import { TemplatedUser } from '../../src/synth/templated-user.ts';
import { sampleKind } from '../../src/synth/to-samples.ts';
import { UsageMeter } from '../../src/synth/usage-meter.ts';
import { callProblems } from '../../src/synth/verify-step.ts';
import { WorldPlanner } from '../../src/synth/world-planner.ts';
import { WorldToolRole } from '../../src/synth/world-tool.ts';
import { WORLD_TOOLS, toolSpec } from '../../src/world/catalog.ts';
import { WORLD_YEAR } from '../../src/world/values.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-scripted-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The templated user, noting for each thing it says what the plan expects in reply. */
function scriptedPair(): { user: User; assistant: Assistant } {
  const templated = new TemplatedUser();
  const expected = new Map<string, Label | undefined>();
  return {
    user: {
      name: 'templated+notes',
      async turn(input) {
        const said = await templated.turn(input);
        const script = input.plan.steps[input.step]!.script!;
        if (said.ok) expected.set(said.value, input.answering ? script.expectedAfterAnswer : script.expected);
        return said;
      },
    },
    assistant: {
      name: 'oracle',
      async reply(input) {
        const last = input.messages.at(-1)!;
        const label = last.role === 'user' ? expected.get(last.content) : undefined;
        if (label?.kind === 'calls') return { kind: 'calls', calls: label.calls, text: '' };
        return { kind: 'text', text: label?.kind === 'text' ? label.text : 'Here is what I found.' };
      },
    },
  };
}

test('scripted dialogues give every kind of sample, each valid and grounded, with counts that add up', async () => {
  const { user, assistant } = scriptedPair();
  const toolSet = WORLD_TOOLS.map(toolSpec);
  const store = RunStore.open(dir, { config: {} });
  const out = await synthesize(store, toolSet, { n: 24, seed: 5, toolsPerDialogue: { min: 2, max: 4 }, needs: { min: 2, max: 3 }, date: `${WORLD_YEAR}-01-15`, policy: 'cut', retries: 1, maxStepsPerTurn: 4 }, {
    roles: { planner: new WorldPlanner(), user, assistant, tool: new WorldToolRole() },
    judge: worldRuleJudge(),
    meter: new UsageMeter(),
    concurrency: 3,
  });
  store.close();
  const s = out.summary;
  const samples = readFileSync(out.samplesPath, 'utf8').trim().split('\n').map((l) => SampleSchema.parse(JSON.parse(l)) as Sample);
  assert.equal(samples.length, s.samples.total);
  assert.equal(new Set(samples.map((x) => x.id)).size, samples.length, 'sample ids are unique');
  for (const sample of samples) {
    assert.equal(sample.meta?.['kind'], sampleKind(sample));
    if (sample.label.kind === 'calls') assert.deepEqual(callProblems(sample.label.calls, sample.tools, sample.messages, WORLD_YEAR), [], sample.id);
    else assert.notEqual(sample.label.text.trim(), '');
  }
  for (const k of ['single', 'parallel', 'multi_turn', 'no_call'] as const) assert.ok(s.samples[k] > 0, `some ${k} samples (${JSON.stringify(s.samples)})`);
  assert.equal(s.samples.single + s.samples.parallel + s.samples.multi_turn + s.samples.no_call, s.samples.total);
  assert.equal(Object.values(s.rejections).reduce((a, b) => a + b, 0), s.steps.rejected);
  assert.equal(s.steps.accepted + s.steps.rejected, s.steps.total);
  assert.equal(s.dialogues.complete + s.dialogues.rejected + s.dialogues.stopped, s.dialogues.recorded);
  assert.equal(s.dialogues.recorded, 24);
  assert.ok(s.steps.accepted >= 0.9 * s.steps.total, `the oracle's steps pass: ${JSON.stringify(s.rejections)}`);
  assert.ok(s.tools.covered.length > 10 && s.tools.covered.length + s.tools.uncovered.length === toolSet.length);
  assert.deepEqual(JSON.parse(readFileSync(out.summaryPath, 'utf8')), JSON.parse(JSON.stringify(s)));
});
