/**
 * `looptool world probe`: how well an embedded model copies function names and argument
 * values from its context, teacher-forced on held-out test samples — the check to run on
 * a pretrain recipe before spending an hour on it.
 */
import type { Command } from 'commander';
import { InputError } from '../core/records.ts';
import { loadEngineModel } from '../models/engine-model.ts';
import { probeCopying, type CopyProbe, type Tally } from '../train/copy-probe.ts';
import { DEFAULT_PRETRAIN } from '../train/pretrain-world.ts';
import { generateSplit } from '../world/generate.ts';
import type { ToolCount } from '../world/scenario.ts';
import { positiveWholeNumber, toolRange, wholeNumber } from './flag-parsers.ts';
import { startProgress } from './progress.ts';
import { pct, table } from './text-table.ts';

const HELP = `
Feeds each held-out test sample's right answer to the model and counts how often its
most likely next token is the right one, on the called functions' names and on the
arguments' values. Greedy accuracy needs a whole call right and stays near 0 until a
model copies values from the request; these rates show progress long before (seconds,
not a full evaluation). "first value tokens" is where a value has to be found in the
request, the rest of a value's tokens continue it; "literal values" are those written
in the request exactly as in the call (dates and spelled numbers are not).

The last two rows tell copying from recall. "first tokens only in request": first
tokens of literal values that stand once in the prompt, so nothing but the request
shows them. "unambiguous continuations": later value tokens whose previous token is
followed by this same token wherever it stands in the prompt, so looking it up there
gives the answer. A model that copies gets both high; one that recalls the values of
its training data gets the first near 0, and the second only on values it has seen.

Examples:
  looptool world probe --model assets/base-model
  looptool world probe --model /tmp/pretrain --samples 400 --json
`;

interface Flags {
  model: string;
  samples: number;
  seed: number;
  tools: ToolCount;
  json?: boolean;
}

function row(name: string, t: Tally): string[] {
  return [name, `${t.correct}/${t.total}`, t.total === 0 ? 'n/a' : pct(t.correct / t.total)];
}

export function copyProbeTable(probe: CopyProbe): string {
  return table([
    ['teacher-forced', 'right', 'share'],
    row('name tokens', probe.nameTokens),
    row('value tokens', probe.valueTokens),
    row('first value tokens', probe.firstValueTokens),
    row('whole values', probe.wholeValues),
    row('literal values, whole', probe.literalValues),
    row('first tokens only in request', probe.uniqueFirstTokens),
    row('unambiguous continuations', probe.uniqueContinuations),
  ]);
}

export function registerWorldProbe(world: Command): void {
  world
    .command('probe')
    .description('teacher-forced check of how well an embedded model copies names and values from the request (seconds)')
    .requiredOption('--model <dir>', 'embedded model directory (a 🤗 Llama directory the engine loads)')
    .option('--samples <n>', 'held-out test samples to draw (those with calls are probed)', positiveWholeNumber, 200)
    .option('--seed <n>', 'seed of the test split', wholeNumber, DEFAULT_PRETRAIN.seed)
    .option('--tools <min-max>', 'tools offered per sample', toolRange, { ...DEFAULT_PRETRAIN.tools })
    .option('--json', 'print one JSON object instead of the table')
    .addHelpText('after', HELP)
    .action(async (flags: Flags) => {
      let bundle;
      try {
        bundle = await loadEngineModel(flags.model);
      } catch (e) {
        throw new InputError(flags.model, undefined, undefined, `cannot load an embedded model: ${e instanceof Error ? e.message : String(e)}`);
      }
      const samples = generateSplit('test', flags.samples, flags.seed, undefined, flags.tools);
      const progress = flags.json ? undefined : startProgress({ label: 'probing', total: samples.length, unit: 'samples' });
      const probe = probeCopying(bundle.model, bundle.tokenizer, samples, (done) => progress?.update(done));
      progress?.stop();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ model: flags.model, ...probe })}\n`);
        return;
      }
      process.stdout.write(`${flags.model}: ${probe.samples} test samples with calls (of ${samples.length}, seed ${flags.seed})\n${copyProbeTable(probe)}`);
    });
}
