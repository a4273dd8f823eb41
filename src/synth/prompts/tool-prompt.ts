/**
 * The simulated Tool's prompt: the tools' definitions and the calls to answer, one
 * result per call, and sometimes the error a real service would give. The release's
 * tool role asks the same (dialog_generation/prompts/tool_prompts.py); these are
 * looptool's own words.
 */
import { dumpJson } from '../../core/json.ts';
import type { Message, Tool, ToolCall } from '../../core/types.ts';
import { toolLines } from './planner-prompt.ts';

export const TOOL_SYSTEM = 'You stand in for real functions. Given their definitions and the calls made, you return what each function would plausibly return.';

export function toolPrompt(tools: readonly Tool[], calls: readonly ToolCall[]): Message[] {
  const called = new Set(calls.map((c) => c.name));
  const user = `Function definitions:
${toolLines(tools.filter((t) => called.has(t.name)))}

Calls, in order:
${calls.map((c) => dumpJson({ name: c.name, arguments: c.arguments })).join('\n')}

Return a JSON list with one object per call, in the same order: {"name": <function name>, "result": <what it returns>}. Keep results realistic and consistent with the arguments. Now and then a call should fail the way a real service fails (not found, invalid value, unavailable): then the result is {"error": "<message>"}. Write only the JSON list.`;
  return [
    { role: 'system', content: TOOL_SYSTEM },
    { role: 'user', content: user },
  ];
}
