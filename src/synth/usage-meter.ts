/**
 * What each stage of synthesis spends: requests and tokens per role (and the judge), read
 * off every response, whichever provider gave it — so progress and the summary can say
 * where the tokens went.
 */
import type { ChatModel, ChatRequest, ChatResponse, GenerateOptions } from '../models/chat-model.ts';

export const STAGES = ['planner', 'user', 'assistant', 'tool', 'judge'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export type UsageTotals = Record<Stage, StageUsage>;

export function emptyUsage(): UsageTotals {
  return Object.fromEntries(STAGES.map((s) => [s, { requests: 0, promptTokens: 0, completionTokens: 0 }])) as UsageTotals;
}

export function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  const out = emptyUsage();
  for (const s of STAGES) {
    out[s] = { requests: a[s].requests + b[s].requests, promptTokens: a[s].promptTokens + b[s].promptTokens, completionTokens: a[s].completionTokens + b[s].completionTokens };
  }
  return out;
}

export class UsageMeter {
  readonly totals: UsageTotals = emptyUsage();

  record(stage: Stage, responses: readonly ChatResponse[]): void {
    const t = this.totals[stage];
    for (const r of responses) {
      t.requests++;
      t.promptTokens += r.promptTokens;
      for (const c of r.choices) t.completionTokens += c.completionTokens;
    }
  }

  tokens(stage: Stage): number {
    return this.totals[stage].promptTokens + this.totals[stage].completionTokens;
  }
}

/** A model whose every response is counted under one stage. */
export function meteredModel(model: ChatModel, stage: Stage, meter: UsageMeter): ChatModel {
  return {
    id: model.id,
    async generate(requests: ChatRequest[], options?: GenerateOptions): Promise<ChatResponse[]> {
      const responses = await model.generate(requests, options);
      meter.record(stage, responses);
      return responses;
    },
  };
}
