/**
 * `looptool synth` as a library call: dialogues run concurrently and stream into the
 * run store as each one finishes (one JSONL record per dialogue, fsynced), so a run
 * killed at any moment resumes with exactly the dialogues it had not recorded — each
 * index always makes the same dialogue, and a record already in the stream is never
 * written twice. Then the recorded dialogues become per-turn samples and a summary.
 */
import { join } from 'node:path';
import type { Sample, Tool } from '../core/types.ts';
import type { Value } from '../core/value.ts';
import type { Judge } from '../loop/judge.ts';
import { writeFileDurable, type RunStore } from '../store/run-store.ts';
import { stringifyJson } from '../core/json.ts';
import { runDialogue, type DialogueRecord } from './dialogue.ts';
import { dialogueId, dialogueSpec, fallbackPlan, type SpecSettings } from './dialogue-spec.ts';
import type { Roles } from './roles.ts';
import { runLimited } from './run-limited.ts';
import { summarize, type SynthSummary } from './summary.ts';
import { dialogueSamples, type DialogueFate, type Policy } from './to-samples.ts';
import { addUsage, emptyUsage, type UsageMeter, type UsageTotals } from './usage-meter.ts';

export const DIALOGUE_STAGE = 'dialogues';

export interface SynthSettings extends SpecSettings {
  n: number;
  policy: Policy;
  /** Tries per role call after the first when a role gives nothing usable. */
  retries: number;
  maxStepsPerTurn: number;
}

export interface SynthDeps {
  roles: Roles;
  judge: Judge;
  meter: UsageMeter;
  concurrency: number;
  signal?: AbortSignal;
  /** Called as dialogues finish (recorded or failed), with the count done out of n. */
  onDialogue?: (done: number, total: number) => void;
  log?: (line: string) => void;
}

export interface SynthOutcome {
  summary: SynthSummary;
  samplesPath: string;
  summaryPath: string;
  /** Dialogues that failed this run (a model that stayed down, say); the next run tries them again. */
  failures: { id: string; error: string }[];
}

function storedUsage(store: RunStore): UsageTotals {
  const u = store.stageState(0, DIALOGUE_STAGE).figures?.['usage'];
  return u && typeof u === 'object' ? addUsage(emptyUsage(), u as unknown as UsageTotals) : emptyUsage();
}

export async function synthesize(store: RunStore, toolSet: readonly Tool[], settings: SynthSettings, deps: SynthDeps): Promise<SynthOutcome> {
  const { stream, records } = store.openStream(0, DIALOGUE_STAGE);
  const before = storedUsage(store);
  const todo = Array.from({ length: settings.n }, (_, i) => i).filter((i) => !stream.has(dialogueId(i)));
  const made: DialogueRecord[] = [];
  const failures: SynthOutcome['failures'] = [];
  const state = store.stageState(0, DIALOGUE_STAGE);
  store.update(0, DIALOGUE_STAGE, { state: 'running', startedAt: state.startedAt ?? new Date().toISOString() });
  let done = settings.n - todo.length;
  deps.onDialogue?.(done, settings.n);
  const dialogueDeps = { roles: deps.roles, judge: deps.judge, retries: settings.retries, maxStepsPerTurn: settings.maxStepsPerTurn, fallbackPlan, ...(deps.signal ? { signal: deps.signal } : {}) };
  await runLimited(
    todo,
    deps.concurrency,
    async (index) => {
      const spec = dialogueSpec(index, toolSet, settings);
      try {
        const record = await runDialogue(spec, dialogueDeps);
        stream.append([record]);
        made.push(record);
      } catch (e) {
        if (deps.signal?.aborted) throw e;
        const error = e instanceof Error ? e.message : String(e);
        failures.push({ id: spec.id, error });
        deps.log?.(`${spec.id} failed: ${error}`);
      }
      done++;
      store.update(0, DIALOGUE_STAGE, { figures: { usage: addUsage(before, deps.meter.totals) as unknown as Value } });
      deps.onDialogue?.(done, settings.n);
    },
    deps.signal,
  );
  const dialogues = [...(records as unknown as DialogueRecord[]), ...made].filter((d) => d.index < settings.n).sort((a, b) => a.index - b.index);
  store.update(0, DIALOGUE_STAGE, failures.length === 0 ? { state: 'done', finishedAt: new Date().toISOString(), records: dialogues.length } : { records: dialogues.length, error: `${failures.length} dialogues failed; run again to retry them` });
  const samples: Sample[] = [];
  const fates = new Map<string, DialogueFate>();
  for (const d of dialogues) {
    const r = dialogueSamples(d, settings.policy);
    samples.push(...r.samples);
    fates.set(d.id, r.fate);
  }
  const samplesPath = join(store.dir, 'samples.jsonl');
  writeFileDurable(samplesPath, samples.map((s) => stringifyJson(s as unknown as Value) + '\n').join(''));
  const summary = summarize({ requested: settings.n, dialogues, fates, samples, toolSet, policy: settings.policy, usage: addUsage(before, deps.meter.totals) });
  const summaryPath = join(store.dir, 'summary.json');
  writeFileDurable(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  return { summary, samplesPath, summaryPath, failures };
}
