/**
 * The demo's three tables — held-out accuracy by round (the paper's Figure 2), training
 * data per round (its Table 3) and label cleaning against the hidden noise truth — as
 * formatted cells, printed as text here and as HTML by the report.
 */
import type { CleaningKindFigures, DemoArmRound, DemoSummary, HeldOutScore } from './demo-summary.ts';
import { formatTextTable, type ReportTable, type TableColumn } from './table.ts';

/** The paper's order of sample kinds; kinds it does not know follow, alphabetically. */
export const KIND_ORDER = ['single', 'parallel', 'multiple', 'parallel_multiple', 'irrelevance', 'ask_back', 'multi_turn'] as const;

/** Shown where there is no number (a round an arm lacks, a share of nothing). */
export const MISSING = '-';

/** A fraction as a percentage with one decimal, without the sign: 0.8125 → "81.3". */
export function pct(fraction: number): string {
  return Number.isFinite(fraction) ? (fraction * 100).toFixed(1) : MISSING;
}

/** part/whole as a percentage, or MISSING when there is no whole. */
export function share(part: number, whole: number): string {
  return whole > 0 ? pct(part / whole) : MISSING;
}

/** A difference of two fractions in percentage points with its sign: 0.05 → "+5.0". */
export function points(difference: number): string {
  if (!Number.isFinite(difference)) return MISSING;
  const text = (Math.abs(difference) * 100).toFixed(1);
  // a difference that rounds to zero gets no sign, so "-0.0" never appears
  if (Number(text) === 0) return text;
  return (difference > 0 ? '+' : '-') + text;
}

/** The kinds the held-out split has, in the paper's order. */
export function demoKinds(summary: DemoSummary): string[] {
  const present = Object.keys(summary.base.byKind);
  const known: readonly string[] = KIND_ORDER;
  return [...known.filter((k) => present.includes(k)), ...present.filter((k) => !known.includes(k)).sort()];
}

/** Every round any arm reached, ascending, always with round 0 (the base model). */
export function demoRounds(summary: DemoSummary): number[] {
  const arms = [summary.looptool, summary.static, ...Object.values(summary.ablations)];
  return [...new Set([0, ...arms.flatMap((arm) => arm.map((r) => r.round))])].sort((a, b) => a - b);
}

/** An arm's held-out score after `round` rounds; every arm starts from the base model. */
export function scoreAt(summary: DemoSummary, arm: readonly DemoArmRound[], round: number): HeldOutScore | undefined {
  return round === 0 ? summary.base : arm.find((r) => r.round === round)?.score;
}

const right = (header: string): TableColumn => ({ header, align: 'right' });

export function accuracyTable(summary: DemoSummary): ReportTable {
  const kinds = demoKinds(summary);
  const ablations = Object.entries(summary.ablations);
  const overall = (score: HeldOutScore | undefined): string => (score ? pct(score.accuracy) : MISSING);
  const kindCell = (s: HeldOutScore | undefined, l: HeldOutScore | undefined, kind: string): string => {
    const a = s?.byKind[kind];
    const b = l?.byKind[kind];
    return `${a ? pct(a.accuracy) : MISSING}/${b ? pct(b.accuracy) : MISSING}`;
  };
  const rows = demoRounds(summary).map((round) => {
    const s = scoreAt(summary, summary.static, round);
    const l = scoreAt(summary, summary.looptool, round);
    const steps = summary.looptool.find((r) => r.round === round)?.steps ?? summary.static.find((r) => r.round === round)?.steps ?? (round === 0 ? 0 : undefined);
    return [
      String(round),
      steps === undefined ? MISSING : String(steps),
      overall(s),
      overall(l),
      s && l ? points(l.accuracy - s.accuracy) : MISSING,
      ...kinds.map((kind) => kindCell(s, l, kind)),
      ...ablations.map(([, arm]) => overall(scoreAt(summary, arm, round))),
    ];
  });
  return {
    title: 'Held-out accuracy by round, % (difference: LoopTool - static, in points; per kind: static/LoopTool)',
    columns: [right('round'), right('steps'), right('static'), right('LoopTool'), right('difference'), ...kinds.map(right), ...ablations.map(([name]) => right(name))],
    rows,
    footer: [],
    notes: [],
  };
}

export function compositionTable(summary: DemoSummary): ReportTable {
  return {
    title: 'Training data per round',
    columns: ['round', 'samples', 'error seeds (corrected)', 'expanded', 'high-perplexity', 'untrained seed', 'dropped'].map(right),
    rows: summary.composition.map((c) => [c.round, c.samples, `${c.errorSeeds} (${c.corrected})`, c.expanded, c.highPerplexity, c.untrainedSeed, c.dropped].map(String)),
    footer: [],
    notes: [],
  };
}

export function cleaningTable(summary: DemoSummary): ReportTable {
  const c = summary.cleaning;
  const changed = share(c.cleanChanged, c.cleanReached);
  const row = (name: string, k: CleaningKindFigures): string[] => [
    name,
    ...[k.wrongLabels, k.reached, `${k.fixed} (${k.mended})`, k.dropped, k.missed].map(String),
    share(k.fixed, k.reached),
  ];
  return {
    title: 'Label cleaning against the hidden noise truth',
    columns: [{ header: 'noise kind', align: 'left' }, ...['wrong labels', 'reached', 'fixed (mended)', 'dropped', 'missed', 'fixed of reached %'].map(right)],
    rows: Object.entries(c.byNoiseKind).map(([kind, figures]) => row(kind, figures)),
    footer: [row('total', c)],
    notes: [`Clean labels reached ${c.cleanReached}, wrongly changed ${c.cleanChanged} (${changed === MISSING ? MISSING : `${changed}%`}).`],
  };
}

/** The three tables in the order the report and the terminal show them. */
export function demoTables(summary: DemoSummary): ReportTable[] {
  return [accuracyTable(summary), compositionTable(summary), cleaningTable(summary)];
}

/** The tables as plain text for the terminal, separated by blank lines. */
export function formatDemoTables(summary: DemoSummary): string {
  return demoTables(summary).map(formatTextTable).join('\n');
}
