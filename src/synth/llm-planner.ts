/** The Planner over a `ChatModel`: numbered needs read leniently from whatever the model wrote. */
import type { ChatModel } from '../models/chat-model.ts';
import { stripThink } from '../toolcall/think.ts';
import { plannerPrompt } from './prompts/planner-prompt.ts';
import type { LlmRoleOptions, NeedKind, Plan, Planner, PlannerInput, PlanStep, RoleResult } from './roles.ts';

const KIND_WORDS: [RegExp, NeedKind][] = [
  [/multi[\s_-]*step|sequential|dependent|chain/i, 'multi_step'],
  [/parallel/i, 'parallel'],
  [/clarif|missing|ask[\s_-]*back/i, 'clarify'],
  [/no[\s_-]*tool|no[\s_-]*function|non[\s_-]*tool|small[\s_-]*talk|chit[\s_-]*chat/i, 'no_tool'],
  [/single/i, 'single'],
];

/** The numbered lines of a plan; a line whose kind cannot be read is a single-call need. */
export function parsePlan(text: string, length: number): RoleResult<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const line of stripThink(text).split('\n')) {
    const m = /^\s*\**\s*(\d{1,2})\s*[.)]\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    const body = m[2]!.replace(/\*+/g, '').trim();
    const colon = body.indexOf(':');
    const head = colon > 0 ? body.slice(0, colon) : '';
    const kind = KIND_WORDS.find(([re]) => re.test(head))?.[1];
    const need = (kind !== undefined ? body.slice(colon + 1) : body).trim();
    if (need === '') continue;
    steps.push({ kind: kind ?? 'single', need });
    if (steps.length === length) break;
  }
  return steps.length === 0 ? { ok: false, error: 'the plan has no numbered needs' } : { ok: true, value: steps };
}

export class LlmPlanner implements Planner {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmRoleOptions = {},
  ) {
    this.name = `llm:${model.id}`;
  }

  async plan(input: PlannerInput): Promise<RoleResult<Plan>> {
    const [r] = await this.model.generate([{ messages: plannerPrompt(input.tools, input.length, input.date), tools: [] }], {
      temperature: this.options.temperature ?? 0.7,
      maxTokens: this.options.maxTokens ?? 512,
      seed: input.seed,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const parsed = parsePlan(r?.choices[0]?.text ?? '', input.length);
    return parsed.ok ? { ok: true, value: { steps: parsed.value, source: this.name } } : parsed;
  }
}
