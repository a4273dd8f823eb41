import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOOPTOOL_COLOR, STATIC_COLOR, ABLATION_COLORS, COMPOSITION_PARTS } from '../../src/report/demo-charts.ts';
import { renderDemoReport } from '../../src/report/demo-report.ts';
import { demoTables } from '../../src/report/demo-tables.ts';
import { escapeHtml } from '../../src/report/html.ts';
import { renderVegaLiteSvg } from '../../src/report/vega-svg.ts';
import { demoSummaryFixture } from './fixtures/demo-summary.ts';

const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/1999/xhtml']);

/** The markup of the `<tag>` with this id, up to its first closing tag (none of them nests its own tag). */
function element(html: string, tag: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at >= 0, `no element with id="${id}"`);
  const start = html.lastIndexOf(`<${tag} `, at);
  assert.ok(start >= 0 && !html.slice(start, at).includes('>'), `id="${id}" is not on a <${tag}>`);
  const end = html.indexOf(`</${tag}>`, start);
  assert.ok(end > start, `<${tag} id="${id}"> is not closed`);
  return html.slice(start, end + tag.length + 3);
}

const report = renderDemoReport(demoSummaryFixture({ ablation: true }));

test('the report is one HTML document titled "looptool demo" with three inline SVG charts', async () => {
  const html = await report;
  assert.match(html, /^<!doctype html>\n<html lang="en">/);
  assert.match(html, /<title>looptool demo<\/title>/);
  assert.match(html, /<h1>looptool demo<\/h1>/);
  assert.equal(html.match(/<svg[\s>]/g)?.length, 3);
  for (const [id, name] of [['chart-accuracy', 'accuracy'], ['chart-kinds', 'kinds'], ['chart-composition', 'composition']] as const) {
    const figure = element(html, 'figure', id);
    assert.match(figure, new RegExp(`^<figure class="chart" id="${id}" data-chart="${name}">`));
    assert.match(figure, /<svg [^>]*viewBox="0 0 \d+ \d+"/);
    assert.match(figure, /<path /, `${id} draws marks`);
  }
});

test('the report is self-contained: nothing to fetch, no scripts', async () => {
  const html = await report;
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]*/g)].map((m) => m[0]);
  assert.deepEqual(urls.filter((u) => !NAMESPACES.has(u)), []);
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|<object|@import|@font-face/i);
  // url(…) only for references inside the document (SVG clip paths)
  assert.deepEqual([...html.matchAll(/url\(\s*['"]?([^)'"]*)/g)].filter((m) => !m[1]!.startsWith('#')), []);
  assert.doesNotMatch(html, /\s(?:src|href|xlink:href)=/);
  assert.match(html, /<style>[^<]+<\/style>/);
});

test('the lead says what was run, the headline gives final LoopTool, static and base accuracy', async () => {
  const html = await report;
  const text = html.replace(/<[^>]+>/g, '');
  assert.match(text, /Profile tiny, seed 7: 3 rounds of the closed loop against static training, 24 GRPO steps per arm, from a seed split of 240 samples with 10\.0% label noise \(24 noisy labels\), tested on 120 held-out samples; the run took 5 min 12 s\./);
  assert.match(text, /GRPO settings of both arms: groupSize 8, clipLow 0\.2, clipHigh 0\.28, lr 0\.0005\./);
  const headline = element(html, 'section', 'headline').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  assert.match(headline, /79\.2% LoopTool, final round \(95\/120\) 58\.3% static GRPO, same steps \(70\/120\) 53\.3% base model \(64\/120\)/);
  assert.match(text, /LoopTool \+20\.8 points against static training, \+25\.8 against the base model/);
});

test('the HTML tables hold the very cells of the terminal tables', async () => {
  const html = await report;
  const ids = ['table-accuracy', 'table-composition', 'table-cleaning'];
  demoTables(demoSummaryFixture({ ablation: true })).forEach((table, t) => {
    const markup = element(html, 'table', ids[t]!);
    assert.ok(markup.includes(`<caption>${escapeHtml(table.title)}</caption>`));
    const htmlRows = [...markup.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]));
    const expected = [table.columns.map((c) => c.header), ...table.rows, ...table.footer].map((r) => r.map(escapeHtml));
    assert.deepEqual(htmlRows, expected);
    for (const note of table.notes) assert.ok(html.includes(`<p class="note">${escapeHtml(note)}</p>`));
  });
  // numbers are right-aligned like the terminal's, names are not
  assert.match(element(html, 'table', 'table-cleaning'), /<tr><td>wrong_value<\/td><td class="num">12<\/td>/);
});

test('the charts use the fixed arm colors, the ablation arm too, and the composition parts', async () => {
  const html = await report;
  const accuracy = element(html, 'figure', 'chart-accuracy');
  for (const color of [LOOPTOOL_COLOR, STATIC_COLOR, ABLATION_COLORS[0]!]) assert.match(accuracy, new RegExp(`stroke="${color}"`, 'i'));
  assert.match(accuracy, />no-jglv<\/text>/, 'the ablation arm is in the legend');
  const kinds = element(html, 'figure', 'chart-kinds');
  for (const kind of ['single', 'parallel', 'irrelevance', 'multi_turn']) assert.match(kinds, new RegExp(`>${kind}</text>`));
  assert.doesNotMatch(kinds, new RegExp(ABLATION_COLORS[0]!, 'i'), 'per-kind panels compare LoopTool and static only');
  const composition = element(html, 'figure', 'chart-composition');
  for (const part of COMPOSITION_PARTS) assert.match(composition, new RegExp(`fill="${part.color}"`, 'i'));
  assert.match(composition, />undecided \(kept\)<\/text>/, 'round 2 has samples outside the four parts');
});

test('the how-to-read section explains the parts in a few sentences', async () => {
  const html = await report;
  const section = element(html, 'section', 'how-to-read').replace(/<[^>]+>/g, '');
  const sentences = section.replace('How to read this report', '').trim().split(/(?<=\.)\s+/);
  assert.ok(sentences.length >= 4 && sentences.length <= 6, `${sentences.length} sentences`);
  assert.match(section, /clean/);
  assert.match(section, /same number of GRPO steps/);
  assert.match(section, /never saw/);
});

test('the how-to-read section says what the ablation arms that ran change, and names no other', async () => {
  const howToRead = async (summary: Parameters<typeof renderDemoReport>[0]): Promise<string> => element(await renderDemoReport(summary), 'section', 'how-to-read');
  const withArm = await howToRead(demoSummaryFixture({ ablation: true }));
  assert.match(withArm, /no-jglv keeps every label as it came/);
  assert.doesNotMatch(withArm, /as-probed|no-edde/);
  const probed = await howToRead(demoSummaryFixture({ ablation: true, ablationName: 'as-probed' }));
  assert.match(probed, /as-probed takes the error seeds in the order probed/);
  assert.doesNotMatch(probed, /no-jglv/);
  assert.doesNotMatch(await howToRead(demoSummaryFixture({})), /ablation/);
});

test('text from the summary is escaped everywhere: profile, ablation name, noise kind', async () => {
  const html = await renderDemoReport(
    demoSummaryFixture({ ablation: true, profile: '<script>alert(1)</script>', ablationName: '<img src=x onerror=alert(2)>', noiseKind: '"><b>kind</b>' }),
  );
  assert.doesNotMatch(html, /<script|<img|<b>/i);
  assert.ok(html.includes('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>'));
  assert.ok(html.includes('<th class="num">&lt;img src=x onerror=alert(2)&gt;</th>'));
  assert.ok(html.includes('<td>&quot;&gt;&lt;b&gt;kind&lt;/b&gt;</td>'));
  assert.match(element(html, 'figure', 'chart-accuracy'), />&lt;img src=x onerror=alert/, 'the chart legend escapes too');
});

test('a run that never trained still renders: base model only, no data rounds, no noise', async () => {
  const s = demoSummaryFixture();
  s.rounds = 0;
  s.looptool = s.looptool.slice(0, 1);
  s.static = s.static.slice(0, 1);
  s.composition = [];
  s.cleaning = { wrongLabels: 0, reached: 0, fixed: 0, mended: 0, dropped: 0, missed: 0, cleanReached: 0, cleanChanged: 0, byNoiseKind: {} };
  const html = await renderDemoReport(s);
  assert.equal(html.match(/<svg[\s>]/g)?.length, 3);
  const headline = element(html, 'section', 'headline').replace(/<[^>]+>/g, ' ');
  assert.equal(headline.match(/53\.3%/g)?.length, 3, 'every arm is still the base model');
  assert.ok(html.includes('<p class="note">Clean labels reached 0, wrongly changed 0 (-).</p>'));
});

test('charts are offline: a spec that would load a URL fails instead of fetching', async () => {
  await assert.rejects(
    renderVegaLiteSvg({ data: { url: 'https://example.invalid/data.json' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } }),
    /offline: inline the data instead of loading https:\/\/example\.invalid\/data\.json/,
  );
});
