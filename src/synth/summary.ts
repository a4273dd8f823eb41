/**
 * What a synthesis run made, as summary.json and a printout: dialogues by outcome,
 * assistant steps accepted and rejected, each rejection counted once under its reason
 * (so the reasons add up to the rejected steps), samples by kind (one kind each, so the
 * kinds add up to the samples), the tools the samples call and those they never do, and
 * the tokens each stage spent.
 */
import type { Sample, Tool } from '../core/types.ts';
import type { DialogueRecord } from './dialogue.ts';
import { SAMPLE_KINDS, sampleKind, type DialogueFate, type Policy, type SynthSampleKind } from './to-samples.ts';
import { STAGES, type UsageTotals } from './usage-meter.ts';
import type { RejectionReason } from './verify-step.ts';

export interface SynthSummary {
  policy: Policy;
  dialogues: {
    requested: number;
    /** Finished and recorded; the rest failed this run and are tried again on the next. */
    recorded: number;
    complete: number;
    rejected: number;
    stopped: number;
    kept: number;
    cut: number;
    dropped: number;
    /** Dialogues whose planner gave nothing usable, planned from the seed instead. */
    planFallbacks: number;
  };
  steps: { total: number; accepted: number; rejected: number };
  rejections: Partial<Record<RejectionReason, number>>;
  stops: Record<string, number>;
  samples: { total: number } & Record<SynthSampleKind, number>;
  tools: { total: number; covered: string[]; uncovered: string[] };
  usage: UsageTotals;
}

export function summarize(input: { requested: number; dialogues: readonly DialogueRecord[]; fates: ReadonlyMap<string, DialogueFate>; samples: readonly Sample[]; toolSet: readonly Tool[]; policy: Policy; usage: UsageTotals }): SynthSummary {
  const d = input.dialogues;
  const steps = d.flatMap((x) => x.steps);
  const rejections: Partial<Record<RejectionReason, number>> = {};
  for (const s of steps) if (!s.accepted) rejections[s.reason!] = (rejections[s.reason!] ?? 0) + 1;
  const stops: Record<string, number> = {};
  for (const x of d) if (x.stop !== undefined) stops[x.stop.split(':')[0]!] = (stops[x.stop.split(':')[0]!] ?? 0) + 1;
  const kinds = Object.fromEntries(SAMPLE_KINDS.map((k) => [k, 0])) as Record<SynthSampleKind, number>;
  for (const s of input.samples) kinds[sampleKind(s)]++;
  const called = new Set(input.samples.flatMap((s) => (s.label.kind === 'calls' ? s.label.calls.map((c) => c.name) : [])));
  const fate = (f: DialogueFate): number => [...input.fates.values()].filter((x) => x === f).length;
  return {
    policy: input.policy,
    dialogues: {
      requested: input.requested,
      recorded: d.length,
      complete: d.filter((x) => x.status === 'complete').length,
      rejected: d.filter((x) => x.status === 'rejected').length,
      stopped: d.filter((x) => x.status === 'stopped').length,
      kept: fate('kept'),
      cut: fate('cut'),
      dropped: fate('dropped'),
      planFallbacks: d.filter((x) => x.plan.source === 'fallback').length,
    },
    steps: { total: steps.length, accepted: steps.filter((s) => s.accepted).length, rejected: steps.filter((s) => !s.accepted).length },
    rejections,
    stops,
    samples: { total: input.samples.length, ...kinds },
    tools: { total: input.toolSet.length, covered: input.toolSet.map((t) => t.name).filter((n) => called.has(n)), uncovered: input.toolSet.map((t) => t.name).filter((n) => !called.has(n)) },
    usage: input.usage,
  };
}

function counts(record: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(record)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, n]) => `${k} ${n}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

export function formatSummary(s: SynthSummary): string {
  const d = s.dialogues;
  const lines = [
    `dialogues   ${d.recorded}/${d.requested} recorded: ${d.complete} complete, ${d.rejected} with a rejected step (${s.policy === 'cut' ? `${d.cut} cut` : `${d.dropped} dropped`}), ${d.stopped} stopped early${d.planFallbacks > 0 ? `; ${d.planFallbacks} planned from the seed` : ''}`,
    `steps       ${s.steps.total} assistant steps: ${s.steps.accepted} accepted, ${s.steps.rejected} rejected`,
    `rejections  ${counts(s.rejections)}`,
    `stops       ${counts(s.stops)}`,
    `samples     ${s.samples.total}: ${SAMPLE_KINDS.map((k) => `${k} ${s.samples[k]}`).join(', ')}`,
    `tools       ${s.tools.covered.length}/${s.tools.total} called in samples${s.tools.uncovered.length > 0 && s.tools.uncovered.length <= 12 ? ` (never: ${s.tools.uncovered.join(', ')})` : ''}`,
    `tokens      ${STAGES.map((st) => `${st} ${s.usage[st].promptTokens + s.usage[st].completionTokens}`).join(', ')}`,
  ];
  return lines.join('\n') + '\n';
}
