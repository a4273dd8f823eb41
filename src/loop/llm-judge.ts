/**
 * The LLM judge: a model reads the tools, the conversation and two responses (Response 1
 * is the label, Response 2 the model's prediction, as in the paper) and writes an error
 * analysis, the correct approach and a verdict. Its reply is hostile input: a reply with
 * no readable verdict is `undecided`, never an exception.
 */
import { renderLoopToolCalls } from '../core/convert/looptool.ts';
import { dumpJson } from '../core/json.ts';
import type { Label, Message, Sample } from '../core/types.ts';
import type { ChatModel, GenerateOptions } from '../models/chat-model.ts';
import type { Judge, JudgeVerdict, Verdict } from './judge.ts';

const SYSTEM = `You review training data for a tool-calling assistant. You get the tools the assistant may call, a conversation, and two candidate next turns for the assistant. Decide which candidates are correct. A correct turn calls the right tools with every argument taken from the conversation (or left at its default), makes every call the last user message asks for and no others, or replies in text when no tool fits or required information is missing.`;

function renderTurn(label: Label): string {
  return label.kind === 'calls' ? renderLoopToolCalls(label.calls) : label.text;
}

function renderConversation(messages: readonly Message[]): string {
  return messages
    .map((m) => {
      if (m.role === 'assistant') return `assistant: ${m.toolCalls && m.toolCalls.length > 0 ? renderLoopToolCalls(m.toolCalls) : (m.content ?? '')}`;
      if (m.role === 'tool') return `tool result: ${m.content}`;
      return `${m.role}: ${m.content}`;
    })
    .join('\n');
}

/** The judge prompt for one disagreement. */
export function judgePrompt(sample: Sample, label: Label, prediction: Label): Message[] {
  const tools = sample.tools.map((t) => dumpJson(t.description === undefined ? { name: t.name, parameters: t.parameters } : { name: t.name, description: t.description, parameters: t.parameters })).join('\n');
  const user = `Tools:\n${tools}\n\nConversation:\n${renderConversation(sample.messages)}\n\nResponse 1:\n${renderTurn(label)}\n\nResponse 2:\n${renderTurn(prediction)}\n\nAnswer in exactly this form:\nError analysis: <what is wrong with each response, or why both are fine>\nCorrect approach: <the right next turn>\nVerdict: <one of response_1_incorrect, response_2_incorrect, both_correct, both_incorrect>`;
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: user },
  ];
}

const VERDICT_WORDS: [RegExp, Verdict][] = [
  [/\bboth[_ ]+(?:responses?[_ ]+(?:are[_ ]+)?)?incorrect\b|\bneither\b/i, 'both_incorrect'],
  [/\bboth[_ ]+(?:responses?[_ ]+(?:are[_ ]+)?)?correct\b/i, 'both_correct'],
  [/\bresponse[_ ]*1[_ ]+(?:is[_ ]+)?incorrect\b|\blabel[_ ]+incorrect\b/i, 'label_incorrect'],
  [/\bresponse[_ ]*2[_ ]+(?:is[_ ]+)?incorrect\b|\bmodel[_ ]+incorrect\b/i, 'model_incorrect'],
];

function section(text: string, name: string): string {
  const m = new RegExp(`${name}\\s*:\\s*([\\s\\S]*?)(?=\\n\\s*(?:error analysis|correct approach|verdict)\\s*:|$)`, 'i').exec(text);
  return m ? m[1]!.trim() : '';
}

/** Reads a judge reply; the last `Verdict:` line wins, and a reply without one is undecided. */
export function parseJudgeReply(text: string, judge: string): JudgeVerdict {
  const body = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const lines = [...body.matchAll(/verdict\s*[:：]\s*\**\s*([^\n]*)/gi)];
  const verdictText = lines.length > 0 ? lines[lines.length - 1]![1]! : '';
  let verdict: Verdict = 'undecided';
  for (const [re, v] of VERDICT_WORDS) {
    if (re.test(verdictText)) {
      verdict = v;
      break;
    }
  }
  return { verdict, errorAnalysis: section(body, 'error analysis'), correctApproach: section(body, 'correct approach'), judge };
}

export interface LlmJudgeOptions {
  /** Sampling for the judge (default greedy). Several samples of one judge are votes: see `ConsensusJudge`. */
  generate?: GenerateOptions;
}

export class LlmJudge implements Judge {
  readonly name: string;
  constructor(
    private readonly model: ChatModel,
    private readonly options: LlmJudgeOptions = {},
  ) {
    this.name = `llm:${model.id}`;
  }

  async compare(sample: Sample, label: Label, prediction: Label): Promise<JudgeVerdict> {
    try {
      const [r] = await this.model.generate([{ messages: judgePrompt(sample, label, prediction), tools: [] }], { temperature: 0, maxTokens: 768, ...this.options.generate });
      return parseJudgeReply(r?.choices[0]?.text ?? '', this.name);
    } catch (e) {
      return { verdict: 'undecided', errorAnalysis: `judge failed: ${e instanceof Error ? e.message : String(e)}`, correctApproach: '', judge: this.name };
    }
  }
}
