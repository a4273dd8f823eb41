/**
 * The Planner's prompt: the tools, how many needs, and the five kinds of need to mix.
 * The release plans the same way (dialog_generation/prompts/planner_prompts.py); these
 * are looptool's own words.
 */
import { dumpJson } from '../../core/json.ts';
import type { Message, Tool } from '../../core/types.ts';

export const PLANNER_SYSTEM =
  'You design conversations between a user and an assistant that can call functions. You write only the plan: what the user wants in each turn, not the words they use.';

export function toolLines(tools: readonly Tool[]): string {
  return tools.map((t) => dumpJson(t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters })).join('\n');
}

export function plannerPrompt(tools: readonly Tool[], length: number, date: string): Message[] {
  const user = `Functions the assistant can call:
${toolLines(tools)}

Today is ${date}. Plan ${length} user need${length === 1 ? '' : 's'}, one per line, numbered, each starting with its kind:
- single: one function call answers it
- multi-step: several calls where a later one uses what an earlier one returned
- parallel: several independent calls at once (the same function for several values, or different functions)
- clarify: the user leaves out something a call requires, so the assistant must ask for it first
- no-tool: none of the functions can help, or it is small talk the assistant answers in words

Say what the user wants in general terms without naming functions. Let each need follow on from the one before, and include at least one multi-step or parallel need when there are two or more.

Write exactly this form and nothing else:
1. <kind>: <need>
2. <kind>: <need>`;
  return [
    { role: 'system', content: PLANNER_SYSTEM },
    { role: 'user', content: user },
  ];
}
