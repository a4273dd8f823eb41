import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyTable, demoKinds, formatDemoTables, pct, points, share } from '../../src/report/demo-tables.ts';
import { demoSummaryFixture } from './fixtures/demo-summary.ts';

/** The lines of the text table whose title starts with `title`, up to the blank line after it. */
function block(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  assert.ok(start >= 0, `no table titled ${title}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Cells of a table line: runs of text separated by two or more spaces. */
const cells = (line: string): string[] => line.trim().split(/ {2,}/);

/** Where each cell of a line ends: right-aligned columns end at the same place on every line. */
const cellEnds = (line: string): number[] => [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => m.index + m[0].length);

test('pct, share and points: one decimal, in percent', () => {
  assert.equal(pct(2 / 3), '66.7');
  assert.equal(pct(0), '0.0');
  assert.equal(pct(1), '100.0');
  assert.equal(pct(95 / 120), '79.2');
  assert.equal(pct(Number.NaN), '-');
  assert.equal(share(11, 17), '64.7');
  assert.equal(share(0, 0), '-');
  assert.equal(points(0.05), '+5.0');
  assert.equal(points(-0.1234), '-12.3');
  assert.equal(points(-0.0004), '0.0', 'no "-0.0"');
  assert.equal(points(25 / 120), '+20.8');
});

test('kinds come in the paper order whatever the order of byKind, unknown kinds last', () => {
  const s = demoSummaryFixture();
  assert.deepEqual(demoKinds(s), ['single', 'parallel', 'irrelevance', 'multi_turn']);
  s.base.byKind = { zeta: s.base.byKind['single']!, ...s.base.byKind, alpha: s.base.byKind['single']! };
  assert.deepEqual(demoKinds(s), ['single', 'parallel', 'irrelevance', 'multi_turn', 'alpha', 'zeta']);
});

test('held-out accuracy table: one row per round, overall, difference and static/LoopTool per kind', () => {
  const text = formatDemoTables(demoSummaryFixture());
  const lines = block(text, 'Held-out accuracy by round');
  assert.deepEqual(cells(lines[0]!), ['round', 'steps', 'static', 'LoopTool', 'difference', 'single', 'parallel', 'irrelevance', 'multi_turn']);
  assert.match(lines[1]!, /^-+( {2}-+)+$/);
  const rows = lines.slice(2).map(cells);
  assert.deepEqual(rows, [
    ['0', '0', '53.3', '53.3', '0.0', '70.0/70.0', '50.0/50.0', '60.0/60.0', '30.0/30.0'],
    ['1', '8', '55.0', '63.3', '+8.3', '72.5/77.5', '53.3/63.3', '55.0/70.0', '33.3/40.0'],
    ['2', '16', '57.5', '72.5', '+15.0', '75.0/85.0', '56.7/73.3', '60.0/80.0', '33.3/50.0'],
    ['3', '24', '58.3', '79.2', '+20.8', '75.0/90.0', '60.0/83.3', '55.0/85.0', '36.7/56.7'],
  ]);
  // every column right-aligned: header, rule and rows end each column at the same place
  const ends = cellEnds(lines[0]!);
  for (const line of lines) assert.deepEqual(cellEnds(line), ends, `misaligned: ${JSON.stringify(line)}`);
});

test('ablation arms get one overall column each, starting from the base model', () => {
  const lines = block(formatDemoTables(demoSummaryFixture({ ablation: true })), 'Held-out accuracy by round');
  assert.equal(cells(lines[0]!).at(-1), 'no-jglv');
  assert.deepEqual(lines.slice(2).map((l) => cells(l).at(-1)), ['53.3', '58.3', '65.0', '70.0']);
  const ends = cellEnds(lines[0]!);
  for (const line of lines) assert.deepEqual(cellEnds(line), ends);
});

test('a round an arm did not reach shows as missing, not as zero', () => {
  const s = demoSummaryFixture();
  s.static = s.static.filter((r) => r.round < 3);
  const last = accuracyTable(s).rows.at(-1)!;
  assert.deepEqual(last.slice(0, 6), ['3', '24', '-', '79.2', '-', '-/90.0']);
});

test('training data table: the paper Table 3 columns, corrected in brackets', () => {
  const lines = block(formatDemoTables(demoSummaryFixture()), 'Training data per round');
  assert.deepEqual(cells(lines[0]!), ['round', 'samples', 'error seeds (corrected)', 'expanded', 'high-perplexity', 'untrained seed', 'dropped']);
  assert.deepEqual(lines.slice(2).map(cells), [
    ['1', '120', '18 (6)', '60', '22', '20', '4'],
    ['2', '120', '14 (5)', '48', '38', '10', '3'],
    ['3', '120', '9 (2)', '36', '70', '5', '1'],
  ]);
  const ends = cellEnds(lines[0]!);
  for (const line of lines) assert.deepEqual(cellEnds(line), ends, `misaligned: ${JSON.stringify(line)}`);
});

test('cleaning table: a row per noise kind, a total, the fixed share, and the clean labels changed', () => {
  const lines = block(formatDemoTables(demoSummaryFixture()), 'Label cleaning against the hidden noise truth');
  assert.deepEqual(cells(lines[0]!), ['noise kind', 'wrong labels', 'reached', 'fixed (mended)', 'dropped', 'missed', 'fixed of reached %']);
  assert.deepEqual(lines.slice(2, 6).map(cells), [
    ['wrong_value', '12', '9', '6 (2)', '1', '2', '66.7'],
    ['wrong_function', '6', '5', '4 (0)', '0', '1', '80.0'],
    ['missing_argument', '4', '3', '1 (1)', '1', '1', '33.3'],
    ['extra_argument', '2', '0', '0 (0)', '0', '0', '-'],
  ]);
  assert.match(lines[6]!, /^-+( {2}-+)+$/, 'a rule sets the total apart');
  assert.deepEqual(cells(lines[7]!), ['total', '24', '17', '11 (3)', '2', '4', '64.7']);
  assert.equal(lines[8], 'Clean labels reached 40, wrongly changed 3 (7.5%).');
  // names left-aligned, numbers right-aligned
  const ends = cellEnds(lines[0]!).slice(1);
  for (const line of lines.slice(0, 8)) {
    assert.ok(!line.startsWith(' '), 'names start at the left edge');
    assert.deepEqual(cellEnds(line).slice(1), ends, `misaligned: ${JSON.stringify(line)}`);
  }
});

test('the terminal tables are plain text: no colors, no trailing spaces', () => {
  const text = formatDemoTables(demoSummaryFixture({ ablation: true }));
  assert.doesNotMatch(text, /\x1b\[/);
  assert.ok(text.split('\n').every((l) => l === l.trimEnd()));
  const titles = text.split('\n').filter((l, i, all) => i === 0 || all[i - 1] === '');
  assert.deepEqual(titles.map((t) => t.split(',')[0]), ['Held-out accuracy by round', 'Training data per round', 'Label cleaning against the hidden noise truth']);
});
