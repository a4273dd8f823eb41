/** `looptool reward`: the LoopTool reward over {response, ground_truth} lines — the function trainers call. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { z } from 'zod';
import { stringifyJson } from '../core/json.ts';
import { readRecords, validateRecord, writeFileAtomic } from '../core/records.ts';
import { scoreToolCallReward, type RewardVariant } from '../check/reward.ts';

const RewardInput = z.object({ response: z.string(), ground_truth: z.string() });

function finite(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

const HELP = `
Input: one JSON object per line, {"response": "<model reply>", "ground_truth": "<label>"}.
A label with <tool_call> blocks wants the same calls; a label without wants a text reply.
Output: one line per input, in the same order: {"score": 1, "reason": "match"}.
Reasons: match, text_match, text_expected_got_call, missing_tags, count_mismatch,
calls_differ, unparseable_block (strict), partial (--partial-credit).

Variants:
  official  the LoopTool release's reward, quirks included: blocks need the exact
            "<tool_call>\\n...\\n</tool_call>" layout, list arguments compare as sets,
            1 == 1.0 == true, duplicate calls collapse
  strict    ordered lists, booleans are not numbers, calls compared as a multiset,
            every block must be a JSON call object

Example:
  echo '{"response": "<tool_call>\\n{\\"name\\": \\"f\\", \\"arguments\\": {\\"a\\": 1}}\\n</tool_call>", "ground_truth": "<tool_call>\\n{\\"name\\": \\"f\\", \\"arguments\\": {\\"a\\": 1.0}}\\n</tool_call>"}' | looptool reward
  looptool reward rollouts.jsonl --variant strict --out scores.jsonl
`;

export function registerRewardCommand(program: Command): void {
  program
    .command('reward')
    .description('score model replies against labels with the LoopTool reward (reads stdin when IN is left out)')
    .argument('[in]', 'JSONL of {response, ground_truth}; - or nothing for stdin')
    .addOption(new Option('--variant <variant>', 'reward rules').choices(['official', 'strict']).default('official'))
    .option('--out <file>', 'write the scores here (atomically) instead of stdout')
    .option('--max-score <x>', 'score of a correct reply', finite, 1)
    .option('--min-score <x>', 'score of a wrong reply', finite, 0)
    .option('--partial-credit', 'the official alternative reward: credit per leading matching call (official variant)')
    .addHelpText('after', HELP)
    .action(async (input: string | undefined, opts: { variant: RewardVariant; out?: string; maxScore: number; minScore: number; partialCredit?: boolean }) => {
      const path = input ?? '-';
      const file = path === '-' ? '<stdin>' : path;
      const records = await readRecords(path);
      const lines: string[] = [];
      let total = 0;
      for (const record of records) {
        const { response, ground_truth } = validateRecord(RewardInput, record, file);
        const result = scoreToolCallReward(response, ground_truth, { variant: opts.variant, maxScore: opts.maxScore, minScore: opts.minScore, partialCredit: opts.partialCredit === true });
        total += result.score;
        lines.push(stringifyJson({ score: result.score, reason: result.reason }));
      }
      const text = lines.length === 0 ? '' : lines.join('\n') + '\n';
      if (opts.out) await writeFileAtomic(opts.out, text);
      else await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
      process.stderr.write(`${records.length} scored, mean ${records.length === 0 ? 'n/a' : (total / records.length).toFixed(4)} (${opts.variant})\n`);
    });
}
