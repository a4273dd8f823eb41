/**
 * Vega-Lite specs of the demo report's charts, data inline. Arms and data parts have
 * fixed colors so every chart reads alike — and so a screenshot test can find the lines.
 */
import type { DemoSummary, RoundComposition } from './demo-summary.ts';
import { demoKinds, demoRounds, scoreAt } from './demo-tables.ts';

export const LOOPTOOL_COLOR = '#e8590c';
export const STATIC_COLOR = '#1c7ed6';
/** Ablation arms, in order; far from the two main colors so neither is mistaken for the other. */
export const ABLATION_COLORS = ['#2f9e44', '#ae3ec9', '#868e96', '#a61e4d', '#f59f00', '#0b7285'];

export const COMPOSITION_PARTS = [
  { key: 'errorSeeds', label: 'error seeds', color: '#5f3dc4' },
  { key: 'expanded', label: 'expanded', color: '#9775fa' },
  { key: 'highPerplexity', label: 'high-perplexity', color: '#63e6be' },
  { key: 'untrainedSeed', label: 'untrained seed', color: '#ced4da' },
] as const;

/** Arm names and their colors, LoopTool first, as the charts' color scale uses them. */
export function armColors(summary: DemoSummary): { domain: string[]; range: string[] } {
  const ablations = Object.keys(summary.ablations);
  return {
    domain: ['LoopTool', 'static', ...ablations],
    range: [LOOPTOOL_COLOR, STATIC_COLOR, ...ablations.map((_, i) => ABLATION_COLORS[i % ABLATION_COLORS.length]!)],
  };
}

const CONFIG = {
  background: 'white',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e9ecef' },
  legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 240 },
  view: { stroke: '#dee2e6' },
};

const roundAxis = { field: 'round', type: 'ordinal', title: 'round', axis: { labelAngle: 0 } };
const accuracyAxis = { field: 'accuracy', type: 'quantitative', title: 'held-out accuracy', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 5 } };
const lineMark = { type: 'line', strokeWidth: 3, point: { filled: true, size: 60 } };

/** Chart 1: overall held-out accuracy by round, one line per arm, all from the base model. */
export function accuracyChartSpec(summary: DemoSummary): object {
  const arms: [string, DemoSummary['looptool']][] = [['LoopTool', summary.looptool], ['static', summary.static], ...Object.entries(summary.ablations)];
  const values = arms.flatMap(([arm, rounds]) =>
    demoRounds(summary).flatMap((round) => {
      const score = scoreAt(summary, rounds, round);
      return score ? [{ arm, round, accuracy: score.accuracy }] : [];
    }),
  );
  return {
    width: 640,
    height: 280,
    data: { values },
    mark: lineMark,
    encoding: {
      x: roundAxis,
      y: accuracyAxis,
      color: { field: 'arm', type: 'nominal', title: 'arm', scale: armColors(summary), legend: { orient: 'right' } },
    },
    config: CONFIG,
  };
}

/** Chart 2: per-kind held-out accuracy by round, LoopTool against static, one panel per kind. */
export function kindsChartSpec(summary: DemoSummary): object {
  const kinds = demoKinds(summary);
  const arms: [string, DemoSummary['looptool']][] = [['LoopTool', summary.looptool], ['static', summary.static]];
  const values = arms.flatMap(([arm, rounds]) =>
    demoRounds(summary).flatMap((round) => {
      const score = scoreAt(summary, rounds, round);
      return kinds.flatMap((kind) => {
        const k = score?.byKind[kind];
        return k ? [{ arm, kind, round, accuracy: k.accuracy }] : [];
      });
    }),
  );
  return {
    data: { values },
    columns: 4,
    facet: { field: 'kind', type: 'nominal', sort: kinds, title: null, header: { labelFontSize: 12 } },
    spec: {
      width: 170,
      height: 130,
      mark: lineMark,
      encoding: {
        x: roundAxis,
        y: accuracyAxis,
        color: { field: 'arm', type: 'nominal', title: 'arm', scale: { domain: ['LoopTool', 'static'], range: [LOOPTOOL_COLOR, STATIC_COLOR] } },
      },
    },
    config: CONFIG,
  };
}

/** Samples a round took that none of the four parts names (the judge's undecided, kept as they were). */
const OTHER_PART = { label: 'undecided (kept)', color: '#f783ac' };

/** Chart 3: what each round trained on, stacked by where the samples came from. */
export function compositionChartSpec(summary: DemoSummary): object {
  const other = (c: RoundComposition): number => Math.max(0, c.samples - COMPOSITION_PARTS.reduce((n, p) => n + c[p.key], 0));
  const withOther = summary.composition.some((c) => other(c) > 0);
  const parts = [...COMPOSITION_PARTS.map((p) => ({ label: p.label, color: p.color, count: (c: RoundComposition) => c[p.key] })), ...(withOther ? [{ ...OTHER_PART, count: other }] : [])];
  const values = summary.composition.flatMap((c) => parts.map((p, order) => ({ round: c.round, part: p.label, order, count: p.count(c) })));
  return {
    width: 640,
    height: 240,
    data: { values },
    mark: { type: 'bar', width: { band: 0.6 } },
    encoding: {
      x: roundAxis,
      y: { field: 'count', type: 'quantitative', title: 'samples', stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: 'source', scale: { domain: parts.map((p) => p.label), range: parts.map((p) => p.color) } },
      order: { field: 'order', type: 'quantitative' },
    },
    config: CONFIG,
  };
}
