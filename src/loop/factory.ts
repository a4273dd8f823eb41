/** Judges and expanders from an `iterate` config. */
import type { ChatModel } from '../models/chat-model.ts';
import type { IterateConfig, ModelRef } from './config.ts';
import { ConsensusJudge } from './consensus.ts';
import type { Expander } from './expander.ts';
import type { Judge } from './judge.ts';
import { LlmExpander } from './llm-expander.ts';
import { LlmJudge } from './llm-judge.ts';
import { worldRuleJudge } from './rule-judge.ts';
import { TemplateExpander } from './template-expander.ts';

export type ModelFor = (ref: ModelRef) => Promise<ChatModel>;

/** rule: the rule judge (the world's, unless another is given); llm: `votes` samples of the judge model; ensemble: the rule judge and those votes, under one consensus. */
export async function judgeFor(config: Pick<IterateConfig, 'judge'>, modelFor: ModelFor, ruleJudge: () => Judge = worldRuleJudge): Promise<Judge> {
  const j = config.judge;
  if (j.kind === 'rule') return ruleJudge();
  if (!j.model) throw new Error(`judge.kind "${j.kind}" needs judge.model`);
  const model = await modelFor(j.model);
  const votes = Array.from({ length: j.votes }, (_, i) => new LlmJudge(model, { generate: j.votes > 1 ? { temperature: j.temperature, seed: i } : {} }));
  const judges: Judge[] = j.kind === 'ensemble' ? [ruleJudge(), ...votes] : votes;
  return judges.length === 1 && j.k === undefined ? judges[0]! : new ConsensusJudge(judges, j.k);
}

export async function expanderFactory(config: IterateConfig, modelFor: ModelFor, avoid: ReadonlySet<string>): Promise<(round: number) => Expander> {
  const e = config.expander;
  if (e.kind === 'template') {
    const byRound = new Map<number, Expander>();
    return (round) => {
      let x = byRound.get(round);
      if (!x) byRound.set(round, (x = new TemplateExpander({ seed: config.seed, round, avoid, ...(e.tools ? { tools: e.tools } : {}) })));
      return x;
    };
  }
  if (!e.model) throw new Error('expander.kind "llm" needs expander.model');
  const model = await modelFor(e.model);
  return (round) => new LlmExpander(model, { round });
}
