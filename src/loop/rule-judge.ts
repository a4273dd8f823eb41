/**
 * The rule judge: decides label-vs-prediction disagreements without a language model
 * (the assessment is in `rule-assess.ts`); where both responses are wrong it tries to
 * build the right label from the two (`label-repair.ts`).
 */
import { dumpJson } from '../core/json.ts';
import type { Label, Sample } from '../core/types.ts';
import { executeCall, worldTool } from '../world/catalog.ts';
import { WORLD_YEAR } from '../world/values.ts';
import type { Judge, JudgeVerdict, Verdict } from './judge.ts';
import { repairLabel } from './label-repair.ts';
import { assess, type Assessment, type Defect, type RuleJudgeOptions } from './rule-assess.ts';

export { assess, labelDefects, type Assessment, type CallExecutor, type Defect, type DefectKind, type RuleJudgeOptions } from './rule-assess.ts';

function render(label: Label): string {
  return label.kind === 'text' ? `reply in text: "${label.text}"` : label.calls.map((c) => `${c.name}(${dumpJson(c.arguments)})`).join('; ');
}

function describe(defects: readonly Defect[]): string {
  return defects.length === 0 ? 'no problem found' : defects.map((d) => d.message).join('; ');
}

export function verdictOf(a: Assessment): Verdict {
  if (a.label.length === 0 && a.prediction.length === 0) return 'both_correct';
  if (a.label.length > 0 && a.prediction.length === 0) return 'label_incorrect';
  if (a.label.length === 0) return 'model_incorrect';
  return 'both_incorrect';
}

export class RuleJudge implements Judge {
  readonly name = 'rule';
  constructor(private readonly options: RuleJudgeOptions = {}) {}

  async compare(sample: Sample, label: Label, prediction: Label): Promise<JudgeVerdict> {
    return this.compareSync(sample, label, prediction);
  }

  compareSync(sample: Sample, label: Label, prediction: Label): JudgeVerdict {
    const a = assess(sample, label, prediction, this.options);
    const verdict = verdictOf(a);
    const mended = verdict === 'both_incorrect' ? repairLabel(sample, label, prediction, this.options) : undefined;
    const errorAnalysis = `Response 1 (label): ${describe(a.label)}. Response 2 (prediction): ${describe(a.prediction)}.`;
    const correctApproach =
      verdict === 'label_incorrect'
        ? `Response 2 is right: ${render(prediction)}.`
        : verdict === 'model_incorrect'
          ? `Response 1 is right: ${render(label)}.`
          : verdict === 'both_correct'
            ? 'Both responses satisfy the request.'
            : mended
              ? `Neither response is right; mended from the two: ${render(mended)}.`
              : 'Neither response is right: fix the problems listed for each.';
    return { verdict, errorAnalysis, correctApproach, judge: this.name, ...(mended ? { mended } : {}) };
  }
}

/** The rule judge over the built-in world, running calls on the world's executors (calls to other tools are not run). */
export function worldRuleJudge(): RuleJudge {
  return new RuleJudge({ execute: (call) => (worldTool(call.name) ? executeCall(call) : { ok: true, result: null }), year: WORLD_YEAR });
}
