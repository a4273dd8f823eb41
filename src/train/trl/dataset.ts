/**
 * A round's samples as TRL's conversational prompt-only dataset for `GRPOTrainer`, one
 * JSON object a line (`datasets.load_dataset("json")` reads it):
 *
 *   prompt        list of {role, content}; TRL applies the model's chat template to it
 *                 and generates the assistant turn
 *   ground_truth  the label as LoopTool output text, which the reward server matches against
 *   sample_id     the looptool sample id, to trace a rollout back to its sample
 *   kind          the world's sample kind, or null
 *
 * TRL hands every column but `prompt` to the reward functions as a keyword argument of
 * the same name, one value per completion (huggingface/trl `trl/trainer/grpo_trainer.py`,
 * `_calculate_rewards`), which is how `ground_truth` reaches the reward server.
 *
 * The prompt is verl's: the LoopTool system instruction with the `<tools>` section, then
 * the turns. The tools travel inside the system message, as the paper trained, so any chat
 * template that renders a system message renders them; no `tools` argument is needed.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderLabelForReward } from '../../check/reward.ts';
import { writeJsonlAtomic } from '../../core/records.ts';
import type { Sample } from '../../core/types.ts';
import type { Value } from '../../core/value.ts';
import { verlPrompt, type VerlMessage } from '../verl/rows.ts';

export interface TrlRow {
  prompt: VerlMessage[];
  ground_truth: string;
  sample_id: string;
  kind: string | null;
}

export function sampleToTrlRow(sample: Sample): TrlRow {
  const kind = sample.meta?.['kind'];
  return {
    prompt: verlPrompt(sample),
    ground_truth: renderLabelForReward(sample.label),
    sample_id: sample.id,
    kind: typeof kind === 'string' ? kind : null,
  };
}

/** Writes the rows to `file` (JSONL, atomically; the folder is created). Returns the row count. */
export async function writeTrlDataset(samples: readonly Sample[], file: string): Promise<number> {
  await mkdir(dirname(file), { recursive: true });
  await writeJsonlAtomic(file, samples.map((s) => sampleToTrlRow(s) as unknown as Value));
  return samples.length;
}
