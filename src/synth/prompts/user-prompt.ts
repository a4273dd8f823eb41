/**
 * The User's prompt: the persona and style, the plan with the need this turn serves, and
 * the conversation so far. The release's user agent works from the same pieces
 * (dialog_generation/prompts/user_prompts.py); these are looptool's own words.
 */
import type { Message, Tool } from '../../core/types.ts';
import type { Persona, Plan } from '../roles.ts';
import { toolLines } from './planner-prompt.ts';

export function userSystem(persona: Persona): string {
  return `You play the user in a conversation with an assistant that can call functions. You are ${persona.who}; you write in a ${persona.style} way. You write one user turn at a time, never the assistant's.`;
}

function transcript(messages: readonly Message[]): string {
  if (messages.length === 0) return '(the conversation has not started)';
  return messages
    .map((m) => {
      if (m.role === 'assistant') return `assistant: ${m.toolCalls && m.toolCalls.length > 0 ? `[calls ${m.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(', ')}]` : (m.content ?? '')}`;
      if (m.role === 'tool') return `function result: ${m.content}`;
      return `${m.role}: ${m.content}`;
    })
    .join('\n');
}

export function userPrompt(tools: readonly Tool[], plan: Plan, step: number, answering: boolean, messages: readonly Message[], persona: Persona, date: string): Message[] {
  const planText = plan.steps.map((s, i) => `${i + 1}. ${s.kind}: ${s.need}`).join('\n');
  const current = plan.steps[step]!;
  const task = answering
    ? `The assistant has just asked you for something it needs for need ${step + 1}. Answer it with concrete values, in one short turn.`
    : `Write your turn for need ${step + 1} (${current.kind}: ${current.need}). Use concrete values (names, dates, amounts) a function could take.${current.kind === 'clarify' ? ' Leave out one thing a call would require, so the assistant has to ask for it.' : ''}${current.kind === 'no_tool' ? ' Ask for something none of the functions can do.' : ''} Refer back to the conversation where it reads naturally.`;
  const user = `Functions the assistant can call:
${toolLines(tools)}

The plan:
${planText}

Today is ${date}. The conversation so far:
${transcript(messages)}

${task}
Reply with the turn only, inside <user></user>.`;
  return [
    { role: 'system', content: userSystem(persona) },
    { role: 'user', content: user },
  ];
}
