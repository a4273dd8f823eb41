/** The embedded planner's scripts: every expected call is valid and said in the words the templated user will say. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from '../../src/core/types.ts';
import { callProblems } from '../../src/synth/verify-step.ts';
import { TemplatedUser } from '../../src/synth/templated-user.ts';
import { WorldPlanner } from '../../src/synth/world-planner.ts';
import { Rng } from '../../src/core/random.ts';
import { WORLD_TOOLS, toolSpec } from '../../src/world/catalog.ts';
import { WORLD_YEAR } from '../../src/world/values.ts';

test('across 150 plans every kind appears, and each scripted call passes the rule checks against the scripted words', async () => {
  const planner = new WorldPlanner();
  const user = new TemplatedUser();
  const kinds = new Map<string, number>();
  let checked = 0;
  for (let seed = 0; seed < 150; seed++) {
    const rng = new Rng(seed);
    const tools = rng.sample(WORLD_TOOLS, rng.int(2, 4)).map(toolSpec);
    const plan = await planner.plan({ tools, length: 2, date: `${WORLD_YEAR}-01-15`, seed });
    assert.ok(plan.ok, plan.ok ? '' : plan.error);
    for (const [i, step] of plan.value.steps.entries()) {
      kinds.set(step.kind, (kinds.get(step.kind) ?? 0) + 1);
      const said = await user.turn({ tools, plan: plan.value, step: i, answering: false, messages: [], persona: { who: 'x', style: 'y' }, date: '', seed });
      assert.ok(said.ok);
      const messages: Message[] = [{ role: 'user', content: said.value }];
      let expected = step.script!.expected;
      if (step.kind === 'clarify') {
        assert.equal(expected?.kind, 'text', 'a clarify need is first answered with a question');
        const answer = await user.turn({ tools, plan: plan.value, step: i, answering: true, messages, persona: { who: 'x', style: 'y' }, date: '', seed });
        assert.ok(answer.ok);
        messages.push({ role: 'assistant', content: 'Which one?' }, { role: 'user', content: answer.value });
        expected = step.script!.expectedAfterAnswer;
      }
      if (step.kind === 'no_tool') {
        assert.equal(expected?.kind, 'text');
        continue;
      }
      assert.equal(expected?.kind, 'calls', step.kind);
      if (expected?.kind !== 'calls') continue;
      for (const c of expected.calls) assert.ok(tools.some((t) => t.name === c.name), `${c.name} is offered`);
      assert.deepEqual(callProblems(expected.calls, tools, messages, WORLD_YEAR), [], `${step.kind}: ${messages.map((m) => m.content).join(' / ')}`);
      if (step.kind === 'parallel') assert.ok(expected.calls.length >= 2);
      checked++;
    }
  }
  assert.deepEqual([...kinds.keys()].sort(), ['clarify', 'multi_step', 'no_tool', 'parallel', 'single']);
  assert.ok(checked > 150, `${checked} scripted call lists checked`);
});

test('offered tools the world does not know cannot be planned for', async () => {
  const r = await new WorldPlanner().plan({ tools: [{ name: 'my_api', parameters: { type: 'object' } }], length: 1, date: '2026-01-01', seed: 1 });
  assert.equal(r.ok, false);
});
