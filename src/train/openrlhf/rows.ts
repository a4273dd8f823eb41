/**
 * A round's samples as the JSONL OpenRLHF's PPO trainer reads with
 * `--input_key messages --label_key ground_truth --apply_chat_template`
 * (OpenRLHF/OpenRLHF `openrlhf/datasets/prompts_dataset.py`: a list of chat messages under the
 * input key goes through the model's chat template; the label key's value is handed to the
 * remote reward as `labels`, and `datasource` routes it).
 *
 * The messages are the ones verl gets (the LoopTool system prompt with `<tools>`, then the
 * turns), and the label is the reward server's ground-truth text, so both trainers see the
 * same task and the same reward.
 */
import { renderLabelForReward } from '../../check/reward.ts';
import type { Sample } from '../../core/types.ts';
import { verlPrompt, VERL_DATA_SOURCE, type VerlMessage } from '../verl/rows.ts';

export const OPENRLHF_INPUT_KEY = 'messages';
export const OPENRLHF_LABEL_KEY = 'ground_truth';

export interface OpenRlhfRow {
  datasource: string;
  messages: VerlMessage[];
  ground_truth: string;
  /** The looptool sample id, to trace a rollout back to its sample. */
  id: string;
  kind: string | null;
}

export function sampleToOpenRlhfRow(sample: Sample): OpenRlhfRow {
  const kind = sample.meta?.['kind'];
  return {
    datasource: VERL_DATA_SOURCE,
    messages: verlPrompt(sample),
    ground_truth: renderLabelForReward(sample.label),
    id: sample.id,
    kind: typeof kind === 'string' ? kind : null,
  };
}

/** The rows as JSONL text, one per line. */
export function openRlhfJsonl(samples: readonly Sample[]): string {
  return samples.map((s) => JSON.stringify(sampleToOpenRlhfRow(s))).join('\n') + (samples.length > 0 ? '\n' : '');
}
