/** The embedded Tool: the world's deterministic executors; a failure is the error a real service would report. */
import { executeCall } from '../world/catalog.ts';
import type { RoleResult, ToolInput, ToolOutcome, ToolRole } from './roles.ts';

export class WorldToolRole implements ToolRole {
  readonly name = 'world';

  async run(input: ToolInput): Promise<RoleResult<ToolOutcome[]>> {
    return {
      ok: true,
      value: input.calls.map((call) => {
        const r = executeCall(call);
        return { name: call.name, result: r.ok ? r.result : { error: r.error } };
      }),
    };
  }
}
