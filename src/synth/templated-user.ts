/**
 * The embedded User: speaks the planner's script (the world's filled request templates),
 * dressed in one of the world's greetings and closings, and gives the scripted value when
 * the assistant asks for it. It needs a plan made by the world planner.
 */
import { Rng } from '../core/random.ts';
import { applyWrapper, wrappersFor } from '../world/phrasing.ts';
import type { RoleResult, User, UserInput } from './roles.ts';

export class TemplatedUser implements User {
  readonly name = 'templated';

  async turn(input: UserInput): Promise<RoleResult<string>> {
    const script = input.plan.steps[input.step]?.script;
    if (!script) return { ok: false, error: `need ${input.step + 1} has no script: the templated user speaks only plans from the world planner` };
    if (input.answering) return script.answer !== undefined ? { ok: true, value: script.answer } : { ok: false, error: `need ${input.step + 1} has no scripted answer` };
    const rng = new Rng(input.seed);
    return { ok: true, value: applyWrapper(script.request, rng.pick(wrappersFor('seed'))) };
  }
}
