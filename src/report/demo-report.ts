/**
 * report.html for `looptool demo`: one self-contained file — inline style, charts as
 * inline SVG rendered here, no scripts, fonts or images to fetch — so it opens the same
 * from a run directory, an e-mail attachment or a machine without network.
 */
import { accuracyChartSpec, compositionChartSpec, kindsChartSpec } from './demo-charts.ts';
import type { DemoSummary, HeldOutScore } from './demo-summary.ts';
import { accuracyTable, cleaningTable, compositionTable, pct, points } from './demo-tables.ts';
import { escapeHtml, htmlTable } from './html.ts';
import { renderVegaLiteSvg } from './vega-svg.ts';

const STYLE = `
  :root { color-scheme: light; --muted: #6c757d; --rule: #dee2e6; }
  body { margin: 0; background: #f8f9fa; color: #212529; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: white; }
  h1 { margin: 0 0 8px; font-size: 28px; }
  h2 { margin: 32px 0 8px; font-size: 19px; }
  .lead { margin: 0 0 4px; }
  .settings { margin: 0 0 16px; color: var(--muted); font-size: 13px; }
  .headline { display: flex; gap: 16px; margin: 16px 0 8px; }
  .headline div { flex: 1; padding: 12px 16px; border: 1px solid var(--rule); border-radius: 6px; }
  .headline .value { display: block; font-size: 30px; font-weight: 600; font-variant-numeric: tabular-nums; }
  /* the arms' chart colors stay in the charts, where a screenshot test looks for them */
  .headline .label { color: var(--muted); font-size: 13px; }
  figure.chart { margin: 16px 0; }
  figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
  figure.chart svg { max-width: 100%; height: auto; }
  table { border-collapse: collapse; margin: 12px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
  caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
  th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
  th { border-bottom: 2px solid #adb5bd; font-weight: 600; }
  .num { text-align: right; }
  tfoot td { font-weight: 600; border-top: 2px solid #adb5bd; }
  .note { margin: 4px 0 16px; color: var(--muted); font-size: 13px; }
  .scroll { overflow-x: auto; }
`;

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s < 90 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The last round an arm reached, or the base model if it never trained. */
function finalScore(summary: DemoSummary, arm: DemoSummary['looptool']): HeldOutScore {
  const last = [...arm].sort((a, b) => a.round - b.round).at(-1);
  return last && last.round > 0 ? last.score : summary.base;
}

function lead(s: DemoSummary): string {
  const steps = Math.max(0, ...s.looptool.map((r) => r.steps));
  const e = (v: string | number): string => escapeHtml(String(v));
  const grpo = Object.entries(s.grpo).map(([k, v]) => `${e(k)} ${e(v)}`).join(', ');
  return [
    `<p class="lead">Profile <code>${e(s.profile)}</code>, seed ${e(s.seed)}: ${e(s.rounds)} round${s.rounds === 1 ? '' : 's'} of the closed loop against static training, ` +
      `${e(steps)} GRPO steps per arm, from a seed split of ${e(s.data.seed)} samples with ${e(pct(s.data.noiseRate))}% label noise ` +
      `(${e(s.data.noisyLabels)} noisy labels), tested on ${e(s.data.test)} held-out samples; the run took ${e(formatSeconds(s.seconds))}.</p>`,
    grpo ? `<p class="settings">GRPO settings of both arms: ${grpo}.</p>` : '',
  ].join('\n');
}

function headline(s: DemoSummary): string {
  const looptool = finalScore(s, s.looptool);
  const stat = finalScore(s, s.static);
  const card = (cls: string, score: HeldOutScore, label: string): string =>
    `<div class="${cls}"><span class="value">${escapeHtml(pct(score.accuracy))}%</span><span class="label">${escapeHtml(label)} (${escapeHtml(`${score.correct}/${score.total}`)})</span></div>`;
  return [
    '<section class="headline" id="headline">',
    card('looptool', looptool, 'LoopTool, final round'),
    card('static', stat, 'static GRPO, same steps'),
    card('base', s.base, 'base model'),
    '</section>',
    `<p class="note">Held-out accuracy after the last round: LoopTool ${escapeHtml(points(looptool.accuracy - stat.accuracy))} points against static training, ${escapeHtml(points(looptool.accuracy - s.base.accuracy))} against the base model.</p>`,
  ].join('\n');
}

function chart(id: string, name: string, caption: string, svg: string): string {
  // the SVG comes from Vega's renderer, which escapes the text it draws
  return `<figure class="chart" id="${id}" data-chart="${name}">\n<figcaption>${escapeHtml(caption)}</figcaption>\n${svg}\n</figure>`;
}

const HOW_TO_READ = [
  'The held-out test split is clean and phrased in ways the training data never used, so its accuracy measures what a model learned rather than which labels it memorised.',
  'Both arms start from the same base model (round 0) and take the same number of GRPO steps: the static arm trains on the noisy seed data as it came, LoopTool on the data its loop composed from probing, judging and expanding.',
  'The first chart and table give overall accuracy by round; the per-kind panels and the table\u2019s static/LoopTool columns show which kinds of request the difference comes from.',
  'The composition chart and table show what each round trained on: error seeds (in brackets, those whose label the judge corrected), samples expanded from them, high-perplexity samples the model got right without confidence, and a shrinking share of untrained seed data; dropped samples were judged wrong on both sides.',
  'The cleaning table compares the judge\u2019s relabelling with the noise injected into the seed data, which the loop never saw: a wrong label is reached when a probe failed on it and the judge looked, fixed when it got the clean label back (in brackets, those the model got wrong too, whose label the judge mended from the two answers), missed when it stayed wrong; the line below it counts clean labels the loop changed by mistake.',
];
/** What each ablation arm changes, for the arms a run has (the paper's Table 4 variants, and as-probed). */
const ABLATION_MEANING: Readonly<Record<string, string>> = {
  'no-jglv': 'no-jglv keeps every label as it came (no judge: every wrong answer is a model error)',
  'no-edde': 'no-edde grows no new samples from the failures',
  'no-hppl': 'no-hppl leaves out the high-perplexity samples the model got right',
  'hppl-replace': 'hppl-replace takes random correct samples instead of the high-perplexity ones',
  'seed-repeat': 'seed-repeat repeats seed data already trained on instead of taking fresh seed data',
  'as-probed': 'as-probed takes the error seeds in the order probed instead of the most reachable first',
};

function ablationsText(names: readonly string[]): string[] {
  if (names.length === 0) return [];
  return [`Each ablation arm changes one part of the loop: ${names.map((n) => ABLATION_MEANING[n] ?? n).join('; ')}.`];
}

export async function renderDemoReport(summary: DemoSummary): Promise<string> {
  const [accuracySvg, kindsSvg, compositionSvg] = await Promise.all([
    renderVegaLiteSvg(accuracyChartSpec(summary)),
    renderVegaLiteSvg(kindsChartSpec(summary)),
    renderVegaLiteSvg(compositionChartSpec(summary)),
  ]);
  const table = (html: string): string => `<div class="scroll">\n${html}\n</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>looptool demo</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>looptool demo</h1>
${lead(summary)}
${headline(summary)}
<h2>Held-out accuracy</h2>
${chart('chart-accuracy', 'accuracy', 'Held-out accuracy by round, every arm from the base model', accuracySvg)}
${table(htmlTable(accuracyTable(summary), 'table-accuracy'))}
${chart('chart-kinds', 'kinds', 'Held-out accuracy by kind of request: LoopTool against static', kindsSvg)}
<h2>Training data</h2>
${chart('chart-composition', 'composition', 'Training data per round, by source', compositionSvg)}
${table(htmlTable(compositionTable(summary), 'table-composition'))}
<h2>Label cleaning</h2>
${table(htmlTable(cleaningTable(summary), 'table-cleaning'))}
<section id="how-to-read">
<h2>How to read this report</h2>
<p>${[...HOW_TO_READ, ...ablationsText(Object.keys(summary.ablations))].map(escapeHtml).join(' ')}</p>
</section>
</main>
</body>
</html>
`;
}
