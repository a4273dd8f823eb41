/**
 * The embedded EDDE expander: re-draws a failure's scenario from the world's templates,
 * with the same kind, the same tools (or tools of the same shape from another domain)
 * and the look-alike the model fell for offered again, but other values, phrasings and
 * greetings. Every candidate is validated (schema, execution, grounding, kind) and
 * checked against the samples it must not repeat before it is returned.
 */
import { Rng, hashString } from '../core/random.ts';
import type { Label, Sample } from '../core/types.ts';
import { WORLD_TOOLS, executeCall, worldTool } from '../world/catalog.ts';
import { composeScenario, type ToolCount } from '../world/scenario.ts';
import { SAMPLE_KINDS, type SampleKind, type WorldTool } from '../world/types.ts';
import { sampleFingerprint, type ExpansionReport, type ExpansionSeed, type Expander } from './expander.ts';
import { labelDefects } from './rule-judge.ts';
import { WORLD_YEAR } from '../world/values.ts';

export interface TemplateExpanderOptions {
  seed?: number;
  /** The loop round the new samples are made for (their provenance). */
  round?: number;
  /** Fingerprints (see `sampleFingerprint`) of samples that must not be repeated: the seed data and the test split. */
  avoid?: ReadonlySet<string>;
  /** Share of candidates moved to tools of the same shape in another context (default 0.3). */
  shapeShift?: number;
  /** Tools offered per new sample (default: the world's 2–8). */
  tools?: ToolCount;
}

/** The sample's kind: recorded by the world, else read off its structure. */
export function inferKind(sample: Sample): SampleKind {
  const recorded = sample.meta?.['kind'];
  if (typeof recorded === 'string' && (SAMPLE_KINDS as readonly string[]).includes(recorded)) return recorded as SampleKind;
  if (sample.messages.some((m) => m.role === 'tool')) return 'multi_turn';
  if (sample.label.kind === 'text') return 'irrelevance';
  const names = sample.label.calls.map((c) => c.name);
  const distinct = new Set(names).size;
  if (names.length === 1) return 'single';
  if (distinct === 1) return 'parallel';
  return distinct === names.length ? 'multiple' : 'parallel_multiple';
}

/** The kind a sample of `kind` shows in its structure alone (an ask-back is a text reply like an irrelevance). */
function structureOf(kind: SampleKind): SampleKind {
  return kind === 'ask_back' ? 'irrelevance' : kind;
}

function calledTools(label: Label | undefined): WorldTool[] {
  if (!label || label.kind !== 'calls') return [];
  const out: WorldTool[] = [];
  for (const c of label.calls) {
    const t = worldTool(c.name);
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** A tool that could stand in for `tool` in another context: same kind of use, same look-alike trap. */
function sameShape(tool: WorldTool, rng: Rng, needsParallel: boolean): WorldTool {
  const paramTypes = (t: WorldTool): string =>
    t.required
      .map((r) => t.params[r]!.type)
      .sort()
      .join(',');
  const ok = WORLD_TOOLS.filter(
    (t) => t.name !== tool.name && (t.lookAlike !== undefined) === (tool.lookAlike !== undefined) && paramTypes(t) === paramTypes(tool) && (!needsParallel || t.parallelSlot !== undefined),
  );
  return ok.length === 0 ? tool : rng.pick(ok);
}

export class TemplateExpander implements Expander {
  readonly name = 'template';
  /** Fingerprints of everything this expander has returned: one round's expansions never repeat each other. */
  private readonly produced = new Set<string>();
  constructor(private readonly options: TemplateExpanderOptions = {}) {}

  remember(samples: readonly Sample[]): void {
    for (const s of samples) this.produced.add(sampleFingerprint(s));
  }

  async expand(seed: ExpansionSeed, n: number): Promise<ExpansionReport> {
    return this.expandSync(seed, n);
  }

  expandSync(seed: ExpansionSeed, n: number): ExpansionReport {
    const rng = new Rng(hashString(seed.sample.id, this.options.seed ?? 0));
    const kind = inferKind(seed.sample);
    const wanted = calledTools(seed.sample.label);
    // the error pattern: tools the model called instead of the right ones, offered again as traps
    const traps = calledTools(seed.prediction).filter((t) => !wanted.includes(t));
    const parallelKinds = kind === 'parallel' || kind === 'parallel_multiple';
    const parent = sampleFingerprint(seed.sample);
    const report: ExpansionReport = { samples: [], attempts: 0, rejected: {} };
    const reject = (why: string): void => {
      report.rejected[why] = (report.rejected[why] ?? 0) + 1;
    };
    let lastWasDuplicate = false;
    for (let k = 0; report.samples.length < n && report.attempts < n * 6; k++) {
      report.attempts++;
      // after a repeat the seed's own tools have little room left: move to tools of the same shape
      const shift = lastWasDuplicate || rng.chance(this.options.shapeShift ?? 0.3);
      lastWasDuplicate = false;
      let tools = wanted.map((t, i) => (shift ? sameShape(t, rng, parallelKinds && i === 0) : t));
      if (kind === 'multi_turn' && tools.length > 0) tools = [tools[0]!];
      const trapNames = shift ? tools.flatMap((t) => (t.lookAlike ? [t.lookAlike] : [])) : traps.map((t) => t.name);
      const id = `${seed.sample.id}~r${this.options.round ?? 0}x${k}`;
      // a scenario the tools cannot carry (no ask-back phrasing, say) keeps the kind with other tools
      const made =
        composeScenario(id, { kind, tools: kind === 'irrelevance' ? undefined : tools.map((t) => t.name), distractors: trapNames }, rng.fork(k), 'seed', this.options.tools) ??
        composeScenario(id, { kind, distractors: trapNames }, rng.fork(k + 0.5), 'seed', this.options.tools);
      if (!made) {
        reject('infeasible');
        continue;
      }
      const sample = made.sample;
      if (sample.label.kind === 'calls' && labelDefects(sample, sample.label, { execute: executeCall, year: WORLD_YEAR }).length > 0) {
        reject('invalid_label');
        continue;
      }
      if (inferKind({ ...sample, meta: {} }) !== structureOf(kind)) {
        reject('kind_changed');
        continue;
      }
      const fp = sampleFingerprint(sample);
      if (fp === parent || this.produced.has(fp) || this.options.avoid?.has(fp)) {
        reject('duplicate');
        lastWasDuplicate = true;
        continue;
      }
      this.produced.add(fp);
      sample.provenance = { source: 'expanded', round: this.options.round ?? 0, parentId: seed.sample.id, labelHistory: [] };
      report.samples.push(sample);
    }
    return report;
  }
}
