/** The v3 leaderboard aggregation, checked against figures worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfclLeaderboard } from '../../../src/bench/bfcl/aggregate.ts';
import type { BfclCategoryScore } from '../../../src/bench/bfcl/score.ts';

function scored(category: string, total: number, scoredCount: number, accuracy: number): BfclCategoryScore {
  const correct = Math.round(accuracy * scoredCount);
  return { category, status: 'scored', total, predicted: scoredCount, scored: scoredCount, correct, missing: total - scoredCount, accuracy: correct / scoredCount };
}

function absent(category: string, total: number, multiTurn = false): BfclCategoryScore {
  return { category, status: multiTurn ? 'not_scored' : 'not_predicted', total, predicted: 0, scored: 0, correct: 0, missing: total, accuracy: null };
}

const categories: BfclCategoryScore[] = [
  scored('simple', 400, 400, 0.9),
  scored('multiple', 200, 200, 0.8),
  scored('parallel', 200, 200, 0.7),
  scored('parallel_multiple', 200, 200, 0.6),
  scored('java', 100, 100, 0.5),
  absent('javascript', 50),
  scored('irrelevance', 240, 240, 1),
  scored('live_simple', 258, 200, 0.5),
  scored('live_multiple', 1053, 1000, 0.25),
  scored('live_parallel', 16, 16, 1),
  scored('live_parallel_multiple', 24, 24, 0.5),
  scored('live_irrelevance', 882, 880, 0.9),
  scored('live_relevance', 18, 18, 0.5),
  absent('multi_turn_base', 200, true),
  absent('multi_turn_miss_func', 200, true),
  absent('multi_turn_miss_param', 200, true),
  absent('multi_turn_long_context', 200, true),
];

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

test('non-live rows are unweighted means; a missing category counts 0 and makes summaries N/A', () => {
  const board = bfclLeaderboard(categories);
  const row = (key: string) => board.rows.find((r) => r.key === key)!.value;
  const simpleAst = (0.9 + 0.5 + 0) / 3;
  close(row('simple_ast_non_live').accuracy, simpleAst, 'simple AST');
  assert.equal(row('simple_ast_non_live').shown, false);
  close(row('summary_ast_non_live').accuracy, (simpleAst + 0.8 + 0.7 + 0.6) / 4, 'AST summary');
  assert.equal(row('summary_ast_non_live').shown, false);
  // The overall row always shows its number.
  close(row('overall_non_live').accuracy, (simpleAst + 0.8 + 0.7 + 0.6 + 1) / 5, 'non-live overall');
  assert.equal(row('overall_non_live').shown, true);
  assert.equal(row('javascript').shown, false);
  assert.equal(row('javascript').totalCount, 50);
});

test('live rows are weighted by the entries scored; overall is the mean of the three sections', () => {
  const board = bfclLeaderboard(categories);
  const row = (key: string) => board.rows.find((r) => r.key === key)!.value;
  const astSum = 0.5 * 200 + 0.25 * 1000 + 1 * 16 + 0.5 * 24;
  const astCount = 200 + 1000 + 16 + 24;
  close(row('summary_ast_live').accuracy, astSum / astCount, 'live AST summary');
  assert.equal(row('summary_ast_live').totalCount, astCount);
  const liveOverall = (astSum + 0.9 * 880 + 0.5 * 18) / (astCount + 880 + 18);
  close(row('overall_live').accuracy, liveOverall, 'live overall');
  close(row('overall_multi_turn').accuracy, 0, 'multi-turn overall');
  const simpleAst = (0.9 + 0.5 + 0) / 3;
  const nonLive = (simpleAst + 0.8 + 0.7 + 0.6 + 1) / 5;
  close(board.overall.accuracy, (liveOverall + nonLive + 0) / 3, 'overall');
  close(row('total_irrelevance').accuracy, (1 + 0.9) / 2, 'irrelevance total');
  close(row('total_relevance').accuracy, 0.5, 'relevance total');
});

test('rows come in the official column order per section', () => {
  const keys = bfclLeaderboard(categories).rows.map((r) => r.key);
  assert.deepEqual(keys.slice(0, 10), [
    'overall_non_live',
    'summary_ast_non_live',
    'simple_ast_non_live',
    'simple',
    'java',
    'javascript',
    'multiple',
    'parallel',
    'parallel_multiple',
    'irrelevance',
  ]);
  assert.deepEqual(keys.slice(-3), ['total_overall', 'total_irrelevance', 'total_relevance']);
});
