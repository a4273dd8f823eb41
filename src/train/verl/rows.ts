/**
 * A looptool `Sample` as one row of verl's RLHF dataset.
 *
 * The layout is the one verl's own preprocessing writes and its trainer reads
 * (volcengine/verl `examples/data_preprocess/gsm8k.py` writes it;
 * `verl/utils/dataset/rl_dataset.py` (RLHFDataset) reads `prompt` as chat messages and
 * `extra_info.index`; the reward managers under `verl/workers/reward_manager/` pass
 * `data_source`, `reward_model.ground_truth` and `extra_info` to `compute_score`):
 *
 *   data_source   string
 *   prompt        list of {role, content}; verl applies the model's chat template to it
 *   ability       string
 *   reward_model  {style: "rule", ground_truth: string}
 *   extra_info    {index, ...}
 */
import { renderLabelForReward } from '../../check/reward.ts';
import { renderLoopToolCalls, sampleToLoopTool } from '../../core/convert/looptool.ts';
import type { Message, Sample } from '../../core/types.ts';

export const VERL_DATA_SOURCE = 'looptool';
export const VERL_ABILITY = 'tool_calling';

export type VerlSplit = 'train' | 'validation';

export interface VerlMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface VerlRow {
  data_source: string;
  prompt: VerlMessage[];
  ability: string;
  reward_model: { style: 'rule'; ground_truth: string };
  extra_info: {
    /** Position in its split's file (verl keys prompts by it). */
    index: number;
    /** The looptool sample id, to trace a rollout back to its sample. */
    id: string;
    /** The world's sample kind (single, parallel, …) when the sample records one, else null. */
    kind: string | null;
    split: VerlSplit;
  };
}

/**
 * One dialogue turn as a chat message. Assistant calls are rendered as the LoopTool
 * records render them (`<tool_call>` blocks), so the prompt matches the reward's
 * ground-truth text; tool results stay `tool` messages, which Qwen-family chat templates
 * wrap in `<tool_response>` inside a user turn, as the LoopTool records do by hand.
 */
function turnMessage(m: Exclude<Message, { role: 'system' }>): VerlMessage {
  if (m.role === 'assistant') {
    const content = m.toolCalls && m.toolCalls.length > 0 ? renderLoopToolCalls(m.toolCalls) : (m.content ?? '').trim();
    return { role: 'assistant', content };
  }
  if (m.role === 'user') return { role: 'user', content: m.content.trim() };
  return { role: 'tool', content: m.content };
}

/**
 * The conversation as verl's `prompt`: the LoopTool system instruction with the
 * `<tools>` section (as `sampleToLoopTool` renders it, honouring a sample's recorded
 * date, instruction and raw tool dicts), then the turns. Like the LoopTool converter, a
 * system message inside the conversation is replaced by that instruction.
 */
export function verlPrompt(sample: Sample): VerlMessage[] {
  const prompt: VerlMessage[] = [{ role: 'system', content: sampleToLoopTool(sample).instruction }];
  for (const m of sample.messages) if (m.role !== 'system') prompt.push(turnMessage(m));
  return prompt;
}

export function sampleToVerlRow(sample: Sample, index: number, split: VerlSplit, dataSource = VERL_DATA_SOURCE): VerlRow {
  const kind = sample.meta?.['kind'];
  return {
    data_source: dataSource,
    prompt: verlPrompt(sample),
    ability: VERL_ABILITY,
    // The label as the reward server's matcher reads it: LoopTool output text.
    reward_model: { style: 'rule', ground_truth: renderLabelForReward(sample.label) },
    extra_info: { index, id: sample.id, kind: typeof kind === 'string' ? kind : null, split },
  };
}
