/**
 * Presenting a BFCL score: a plain-text table (per category, then the leaderboard rows
 * with their aggregation), the same content as JSON, and the per-item details lines.
 */
import type { Value, ValueObject } from '../../core/value.ts';
import { bfclLeaderboard, type BfclAccuracy, type BfclLeaderboard } from './aggregate.ts';
import type { BfclFormat } from './decode.ts';
import type { BfclItemScore, BfclScore } from './score.ts';

export interface BfclReportMeta {
  format: BfclFormat;
  underscoreToDot: boolean;
  dataDir: string;
  predictionsPath: string;
}

/** Accuracy as the official CSV writes it (`95.00%`), or `N/A`. */
export function formatAccuracy(value: BfclAccuracy): string {
  return value.shown ? percent(value.accuracy) : 'N/A';
}

function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

interface Totals {
  scored: number;
  correct: number;
  missing: number;
  notScored: number;
}

function totals(score: BfclScore): Totals {
  const t: Totals = { scored: 0, correct: 0, missing: 0, notScored: 0 };
  for (const c of score.categories) {
    t.scored += c.scored;
    t.correct += c.correct;
    t.missing += c.status === 'not_scored' ? 0 : c.missing;
    t.notScored += c.status === 'not_scored' ? c.predicted : 0;
  }
  return t;
}

/** The human-readable report: categories, leaderboard rows, overall. */
export function formatBfclReport(score: BfclScore, meta: BfclReportMeta, board: BfclLeaderboard = bfclLeaderboard(score.categories)): string {
  const t = totals(score);
  const lines: string[] = [];
  lines.push(`BFCL v3 — format ${meta.format}, underscore-to-dot ${meta.underscoreToDot ? 'on' : 'off'}`);
  lines.push(`predictions: ${meta.predictionsPath}   data: ${meta.dataDir}`);
  lines.push(
    `${count(t.scored)} entries scored, ${count(t.correct)} correct` +
      (t.missing > 0 ? `; ${count(t.missing)} single-turn entries have no prediction (left out, not counted wrong)` : '') +
      (t.notScored > 0 ? `; ${count(t.notScored)} multi-turn predictions not scored` : ''),
  );
  lines.push('');
  lines.push(`${pad('category', 24)}${pad('correct', 9, true)}${pad('scored', 9, true)}${pad('missing', 9, true)}${pad('accuracy', 12, true)}`);
  for (const c of score.categories) {
    const acc = c.status === 'not_scored' ? 'not scored' : c.accuracy === null ? 'N/A' : percent(c.accuracy);
    const scored = c.status === 'not_scored' ? '-' : count(c.scored);
    const correct = c.status === 'not_scored' ? '-' : count(c.correct);
    lines.push(`${pad(c.category, 24)}${pad(correct, 9, true)}${pad(scored, 9, true)}${pad(count(c.missing), 9, true)}${pad(acc, 12, true)}`);
  }
  lines.push('');
  lines.push('leaderboard (v3 aggregation; N/A = a part has no predictions and counts as 0)');
  let section = '';
  for (const r of board.rows) {
    const head = r.section === section ? '' : r.section;
    section = r.section;
    const how = r.kind === 'category' ? '' : r.kind === 'weighted' ? 'weighted by entries' : 'unweighted mean';
    lines.push(`${pad(head, 12)}${pad(r.label, 30)}${pad(formatAccuracy(r.value), 10, true)}   ${how}`);
  }
  lines.push('');
  const multiTurnMissing = score.categories.some((c) => c.status === 'not_scored' || (c.category.startsWith('multi_turn') && c.accuracy === null));
  lines.push(`overall: ${percent(board.overall.accuracy)}` + (multiTurnMissing ? '  (multi-turn not scored: it counts as 0 in the overall, as in the official table)' : ''));
  return lines.join('\n') + '\n';
}

function accuracyJson(value: BfclAccuracy): ValueObject {
  return { accuracy: value.accuracy, total_count: value.totalCount, display: value.shown ? percent(value.accuracy) : 'N/A' };
}

/** The report as JSON: the same figures as the table. */
export function bfclReportJson(score: BfclScore, meta: BfclReportMeta, board: BfclLeaderboard = bfclLeaderboard(score.categories)): ValueObject {
  const t = totals(score);
  return {
    benchmark: 'BFCL v3',
    format: meta.format,
    underscore_to_dot: meta.underscoreToDot,
    data: meta.dataDir,
    predictions: meta.predictionsPath,
    scored: t.scored,
    correct: t.correct,
    missing: t.missing,
    multi_turn_not_scored: t.notScored,
    categories: score.categories.map((c) => ({
      category: c.category,
      status: c.status,
      total: c.total,
      predicted: c.predicted,
      scored: c.scored,
      correct: c.correct,
      missing: c.missing,
      accuracy: c.accuracy,
    })),
    leaderboard: board.rows.map((r) => ({
      key: r.key,
      section: r.section,
      label: r.label,
      aggregation: r.kind,
      parts: r.parts,
      ...accuracyJson(r.value),
    })),
    overall: accuracyJson(board.overall),
  };
}

/** One details line per scored item, with the official error-type name. */
export function bfclDetailsRecord(item: BfclItemScore): Value {
  return { id: item.id, category: item.category, valid: item.valid, error_type: item.errorType, errors: item.errors };
}
