/**
 * The roles and the judge from what the command line chose for each: the built-in world
 * (embedded: the world planner, the templated user, the engine's base model as the
 * assistant, the world's executors as the tool), an embedded model directory, an
 * OpenAI-compatible server, or — for the tool — the user's own executor. Models are
 * opened once and shared; every role's tokens are counted under its own stage.
 */
import { judgeFor } from '../loop/factory.ts';
import type { Judge } from '../loop/judge.ts';
import { RuleJudge } from '../loop/rule-judge.ts';
import { executeCall, worldTool } from '../world/catalog.ts';
import { ModelRefSchema } from '../loop/config.ts';
import type { ChatModel } from '../models/chat-model.ts';
import { EngineChatModel, loadEngineModel, type EngineBundle } from '../models/engine-model.ts';
import { OpenAIChatModel, type PromptMode } from '../models/openai-chat-model.ts';
import type { ResponseCache } from '../models/response-cache.ts';
import { ChatModelAssistant } from './chat-model-assistant.ts';
import { HttpExecutorTool, ModuleExecutorTool } from './executor-tool.ts';
import { LlmPlanner } from './llm-planner.ts';
import { LlmTool } from './llm-tool.ts';
import { LlmUser } from './llm-user.ts';
import { ASSISTANT_INSTRUCTION } from './prompts/assistant-prompt.ts';
import type { Roles } from './roles.ts';
import { TemplatedUser } from './templated-user.ts';
import { meteredModel, type Stage, type UsageMeter } from './usage-meter.ts';
import { WorldPlanner } from './world-planner.ts';
import { WorldToolRole } from './world-tool.ts';

export type ModelChoice = { kind: 'embedded' } | { kind: 'engine'; path: string } | { kind: 'openai'; url: string; name: string };
export type ToolChoice = ModelChoice | { kind: 'http'; url: string } | { kind: 'module'; path: string };

export interface RoleChoices {
  planner: ModelChoice;
  user: ModelChoice;
  assistant: ModelChoice;
  tool: ToolChoice;
}

export interface BuildOptions {
  meter: UsageMeter;
  /** The shipped base model, the embedded assistant. */
  baseModelDir: string;
  cache?: ResponseCache;
  apiKey?: string;
  /** Requests in flight per server. */
  concurrency?: number;
  /** The dialogues' date, written into the assistant's instruction. */
  date: string;
  /** The assistant's sampling temperature (self-consistency needs samples that can differ). */
  temperature: number;
}

/** One line per choice, for the run's manifest (a resumed run must make the same choices). */
export function describeChoice(c: ToolChoice): string {
  switch (c.kind) {
    case 'embedded':
      return 'embedded';
    case 'engine':
      return `engine:${c.path}`;
    case 'openai':
      return `${c.url}#${c.name}`;
    case 'http':
      return `executor:${c.url}`;
    case 'module':
      return `executor:${c.path}`;
  }
}

class ModelShelf {
  private readonly bundles = new Map<string, Promise<EngineBundle>>();
  private readonly servers = new Map<string, OpenAIChatModel>();
  constructor(private readonly options: BuildOptions) {}

  async engine(path: string): Promise<ChatModel> {
    let b = this.bundles.get(path);
    if (!b) this.bundles.set(path, (b = loadEngineModel(path)));
    return new EngineChatModel(await b, path);
  }

  /** `chat` mode for the planner, user, tool and judge (their own prompts, no tools); `hermes` for the assistant, as the paper's models were prompted. */
  server(url: string, name: string, mode: PromptMode): ChatModel {
    const key = `${mode} ${url} ${name}`;
    let m = this.servers.get(key);
    if (!m) {
      const o = this.options;
      m = new OpenAIChatModel({
        baseUrls: [url],
        model: name,
        mode,
        ...(mode === 'hermes' ? { instruction: ASSISTANT_INSTRUCTION, date: o.date } : {}),
        ...(o.apiKey !== undefined ? { apiKey: o.apiKey } : {}),
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
        ...(o.cache ? { cache: o.cache } : {}),
      });
      this.servers.set(key, m);
    }
    return m;
  }

  async model(choice: ModelChoice, stage: Stage, mode: PromptMode): Promise<ChatModel> {
    const base = choice.kind === 'openai' ? this.server(choice.url, choice.name, mode) : await this.engine(choice.kind === 'engine' ? choice.path : this.options.baseModelDir);
    return meteredModel(base, stage, this.options.meter);
  }
}

export interface BuiltRoles {
  roles: Roles;
  /** The judge for `rule`, or an LLM judge (votes, consensus, optionally with the rule judge) on a server. */
  judgeFor(choice: JudgeChoice): Promise<Judge>;
}

export type JudgeChoice = { kind: 'rule' } | { kind: 'llm' | 'ensemble'; url: string; name: string; votes: number; k?: number; temperature?: number };

/** The rule judge with the dialogues' year (dates said without one are read in it); world tools run on the world's executors, others are not run. */
export function synthRuleJudge(date: string): RuleJudge {
  return new RuleJudge({ execute: (call) => (worldTool(call.name) ? executeCall(call) : { ok: true, result: null }), year: Number(date.slice(0, 4)) || new Date().getUTCFullYear() });
}

export async function buildRoles(choices: RoleChoices, options: BuildOptions): Promise<BuiltRoles> {
  const shelf = new ModelShelf(options);
  const planner = choices.planner.kind === 'embedded' ? new WorldPlanner() : new LlmPlanner(await shelf.model(choices.planner, 'planner', 'chat'));
  const user = choices.user.kind === 'embedded' ? new TemplatedUser() : new LlmUser(await shelf.model(choices.user, 'user', 'chat'));
  const assistant = new ChatModelAssistant(await shelf.model(choices.assistant, 'assistant', 'hermes'), { temperature: options.temperature });
  const t = choices.tool;
  const tool = t.kind === 'embedded' ? new WorldToolRole() : t.kind === 'http' ? new HttpExecutorTool(t.url) : t.kind === 'module' ? new ModuleExecutorTool(t.path) : new LlmTool(await shelf.model(t, 'tool', 'chat'));
  return {
    roles: { planner, user, assistant, tool },
    judgeFor: (j) => {
      const rule = (): Judge => synthRuleJudge(options.date);
      if (j.kind === 'rule') return judgeFor({ judge: { kind: 'rule', votes: 1, temperature: 0 } }, () => Promise.reject(new Error('the rule judge needs no model')), rule);
      const model = ModelRefSchema.parse({ provider: 'openai', baseUrls: [j.url], model: j.name, mode: 'chat' });
      return judgeFor({ judge: { kind: j.kind, model, votes: j.votes, temperature: j.temperature ?? 0.7, ...(j.k !== undefined ? { k: j.k } : {}) } }, async () => meteredModel(shelf.server(j.url, j.name, 'chat'), 'judge', options.meter), rule);
    },
  };
}
