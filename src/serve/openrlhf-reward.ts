/**
 * OpenRLHF's remote reward protocol (`--remote_rm_url http://host:port/get_reward`).
 *
 * The contract, as read in OpenRLHF/OpenRLHF (github.com/OpenRLHF/OpenRLHF):
 * - openrlhf/utils/remote_rm_utils.py (`remote_rm_fn_ray`, `request_api_wrapper`): one
 *   POST to the URL as given, `Content-Type: application/json`, body
 *   `{"query": [...], "prompts": [...], "labels": [...]}` with one entry per sample;
 *   `query` is the decoded prompt + response tokens (special tokens kept, so the reply
 *   usually ends in the EOS marker), `prompts` the prompt text, `labels` the dataset
 *   field named by `--label_key`. A non-2xx answer is retried (5 tries, 1 s apart, 180 s
 *   timeout each), then the run fails; no header other than the content type is sent.
 * - Up to about v0.5 only `response["rewards"]` was read (asserted present), a list of
 *   numbers turned into a tensor. Later versions take the whole answer:
 *   openrlhf/trainer/ppo_utils/experience_maker.py (`update_samples_with_rewards`, seen at
 *   commit 89308a0) reads `rewards` (for the advantages), `scores` if present (0–1, for
 *   dynamic filtering; else the rewards) and `extra_logs` if present (name → one number
 *   per sample, logged to wandb/tensorboard).
 * - The newest async rollout (openrlhf/trainer/ray/vllm_engine/executor.py,
 *   `_maybe_compute_remote_reward`, commit 439f579) posts one sample at a time and takes
 *   the first element of each list.
 * So the answer here has all three keys, lists of floats in request order.
 */
import type { RewardOptions } from '../check/reward.ts';
import { pyFloat, type Value } from '../core/value.ts';
import { expectStringArray, FieldError, isJsonObject, kindOf } from './request-fields.ts';
import { scoreItems, type RewardItem, type RewardVerdict } from './reward-batch.ts';

/**
 * The reply inside a query: what follows the prompt. The prompt is searched for rather than
 * only tested as a prefix because OpenRLHF releases that decoded padded batches put
 * padding tokens in front of it.
 */
function replyOf(query: string, prompt: string, index: number): string {
  if (query.startsWith(prompt)) return query.slice(prompt.length);
  const at = query.indexOf(prompt);
  if (at !== -1) return query.slice(at + prompt.length);
  throw new FieldError(
    `query[${index}]`,
    `does not contain prompts[${index}]; OpenRLHF sends query = prompt + response (a prompt cut short by --prompt_max_len causes this)`,
  );
}

/** Validates an OpenRLHF request and pairs each reply with its label; throws `FieldError`. */
export function parseOpenRlhfRequest(body: unknown): RewardItem[] {
  if (!isJsonObject(body)) throw new FieldError('body', `expected an object {"query": [...], "prompts": [...], "labels": [...]}, got ${kindOf(body)}`);
  const queries = expectStringArray(body['query'], 'query');
  const prompts = expectStringArray(body['prompts'], 'prompts');
  // OpenRLHF sends no labels, or nulls, when it was started without --label_key.
  const rawLabels = body['labels'];
  const noLabelKey = rawLabels === undefined || (Array.isArray(rawLabels) && rawLabels.includes(null));
  const labels = expectStringArray(rawLabels, 'labels', noLabelKey ? ' (start OpenRLHF with --label_key naming the field that holds the ground truth)' : '');
  if (prompts.length !== queries.length) throw new FieldError('prompts', `has ${prompts.length} items; query has ${queries.length}`);
  if (labels.length !== queries.length) throw new FieldError('labels', `has ${labels.length} items; query has ${queries.length}`);
  return queries.map((query, i) => ({ response: replyOf(query, prompts[i]!, i), groundTruth: labels[i]! }));
}

/** The answer body: `{"rewards": [...], "scores": [...], "extra_logs": {"format_ok": [...], "calls_ok": [...]}}`. */
export function openRlhfAnswer(verdicts: readonly RewardVerdict[]): Value {
  // Floats (`1.0`), because OpenRLHF builds tensors from these lists and averages them.
  const flag = (on: boolean): Value => pyFloat(on ? 1 : 0);
  return {
    rewards: verdicts.map((v) => pyFloat(v.score)),
    // `scores` is OpenRLHF's 0–1 correctness for dynamic filtering, whatever the reward's scale.
    scores: verdicts.map((v) => flag(v.callsOk)),
    extra_logs: { format_ok: verdicts.map((v) => flag(v.formatOk)), calls_ok: verdicts.map((v) => flag(v.callsOk)) },
  };
}

export function scoreOpenRlhfRequest(body: unknown, options: RewardOptions): Value {
  return openRlhfAnswer(scoreItems(parseOpenRlhfRequest(body), options));
}
