/** The User over a `ChatModel`: the turn inside `<user>` tags, or the bare reply when it is a plausible turn. */
import type { ChatModel } from '../models/chat-model.ts';
import { stripThink } from '../toolcall/think.ts';
import { userPrompt } from './prompts/user-prompt.ts';
import type { LlmRoleOptions, RoleResult, User, UserInput } from './roles.ts';

const MAX_TURN_CHARS = 1500;

export function parseUserTurn(text: string): RoleResult<string> {
  const body = stripThink(text);
  const tagged = /<user>([\s\S]*?)(?:<\/user>|$)/i.exec(body);
  const turn = (tagged ? tagged[1]! : body.replace(/^\s*user\s*:/i, '')).replace(/<\/?[a-z_]+>/gi, ' ').replace(/\s+/g, ' ').trim();
  if (turn === '') return { ok: false, error: 'the user turn is empty' };
  if (turn.length > MAX_TURN_CHARS) return { ok: false, error: `the user turn is ${turn.length} characters long` };
  if (/tool_call|<\|im_/.test(body)) return { ok: false, error: 'the user turn holds assistant markup' };
  return { ok: true, value: turn };
}

export class LlmUser implements User {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmRoleOptions = {},
  ) {
    this.name = `llm:${model.id}`;
  }

  async turn(input: UserInput): Promise<RoleResult<string>> {
    const messages = userPrompt(input.tools, input.plan, input.step, input.answering, input.messages, input.persona, input.date);
    const [r] = await this.model.generate([{ messages, tools: [] }], {
      temperature: this.options.temperature ?? 0.8,
      maxTokens: this.options.maxTokens ?? 256,
      seed: input.seed,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return parseUserTurn(r?.choices[0]?.text ?? '');
  }
}
