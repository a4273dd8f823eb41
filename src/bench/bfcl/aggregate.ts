/**
 * The BFCL v3 leaderboard numbers from per-category scores, computed the way the
 * official `eval_runner_helper.py` (last v3 commit) does:
 *
 * - a category without predictions counts as accuracy 0 with its full size, and shows
 *   as N/A; a summary shows N/A when any part is N/A, except the "overall" rows, which
 *   always show their number;
 * - Non-Live: Simple AST = unweighted mean of simple (Python), java, javascript; AST
 *   summary = unweighted mean of Simple, Multiple, Parallel, Parallel Multiple; Overall
 *   = unweighted mean of those four and Irrelevance;
 * - Live: AST summary and Overall are weighted by entry count (Overall adds Irrelevance
 *   and Relevance);
 * - Multi-Turn: Overall = unweighted mean of the four categories;
 * - Overall = unweighted mean of Live Overall, Non-Live Overall and Multi-Turn Overall;
 *   Irrelevance (total) = unweighted mean of irrelevance and live_irrelevance; Relevance
 *   (total) = live_relevance.
 */
import { LIVE_CATEGORIES, MULTI_TURN_CATEGORIES } from './categories.ts';
import type { BfclCategoryScore } from './score.ts';

export interface BfclAccuracy {
  /** The number the official code carries on (0 for a missing category). */
  accuracy: number;
  /** Entries behind it (a missing category counts with its full size). */
  totalCount: number;
  /** False when the official table shows N/A. */
  shown: boolean;
}

export type BfclRowKind = 'category' | 'weighted' | 'unweighted';

export interface BfclLeaderboardRow {
  key: string;
  label: string;
  section: 'Non-Live' | 'Live' | 'Multi-Turn' | 'Overall';
  kind: BfclRowKind;
  /** Keys of the rows or categories it is computed from. */
  parts: string[];
  value: BfclAccuracy;
}

export interface BfclLeaderboard {
  rows: BfclLeaderboardRow[];
  overall: BfclAccuracy;
}

function weighted(parts: readonly BfclAccuracy[], naWhenMissing = true): BfclAccuracy {
  let count = 0;
  let sum = 0;
  for (const p of parts) {
    count += p.totalCount;
    sum += p.accuracy * p.totalCount;
  }
  return { accuracy: count === 0 ? 0 : sum / count, totalCount: count, shown: !naWhenMissing || parts.every((p) => p.shown) };
}

function unweighted(parts: readonly BfclAccuracy[], naWhenMissing = true): BfclAccuracy {
  let count = 0;
  let sum = 0;
  for (const p of parts) {
    count += p.totalCount;
    sum += p.accuracy;
  }
  return { accuracy: parts.length === 0 ? 0 : sum / parts.length, totalCount: count, shown: !naWhenMissing || parts.every((p) => p.shown) };
}

function categoryAccuracy(score: BfclCategoryScore | undefined): BfclAccuracy {
  if (score === undefined) return { accuracy: 0, totalCount: 0, shown: false };
  if (score.accuracy === null) return { accuracy: 0, totalCount: score.total, shown: false };
  return { accuracy: score.accuracy, totalCount: score.scored, shown: true };
}

const LABELS: Readonly<Record<string, string>> = {
  simple: 'Python Simple AST',
  java: 'Java Simple AST',
  javascript: 'JavaScript Simple AST',
  multiple: 'Multiple AST',
  parallel: 'Parallel AST',
  parallel_multiple: 'Parallel Multiple AST',
  irrelevance: 'Irrelevance Detection',
  live_simple: 'Python Simple AST',
  live_multiple: 'Python Multiple AST',
  live_parallel: 'Python Parallel AST',
  live_parallel_multiple: 'Python Parallel Multiple AST',
  live_irrelevance: 'Irrelevance Detection',
  live_relevance: 'Relevance Detection',
  multi_turn_base: 'Base',
  multi_turn_miss_func: 'Missing Functions',
  multi_turn_miss_param: 'Missing Parameters',
  multi_turn_long_context: 'Long Context',
};

/** Builds the v3 leaderboard rows (per section, in the official column order) and the overall score. */
export function bfclLeaderboard(categories: readonly BfclCategoryScore[]): BfclLeaderboard {
  const byName = new Map(categories.map((c) => [c.category, c]));
  const cat = (name: string): BfclAccuracy => categoryAccuracy(byName.get(name));
  const rows: BfclLeaderboardRow[] = [];
  const row = (section: BfclLeaderboardRow['section'], key: string, label: string, kind: BfclRowKind, parts: string[], value: BfclAccuracy): BfclAccuracy => {
    rows.push({ key, label, section, kind, parts, value });
    return value;
  };
  const category = (section: BfclLeaderboardRow['section'], name: string): BfclAccuracy => row(section, name, LABELS[name] ?? name, 'category', [name], cat(name));

  // Non-Live
  const simpleParts = [cat('simple'), cat('java'), cat('javascript')];
  const simpleAst = unweighted(simpleParts);
  const astNonLive = [simpleAst, cat('multiple'), cat('parallel'), cat('parallel_multiple')];
  row('Non-Live', 'overall_non_live', 'Overall Acc', 'unweighted', ['simple_ast_non_live', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance'], unweighted([...astNonLive, cat('irrelevance')], false));
  row('Non-Live', 'summary_ast_non_live', 'AST Summary', 'unweighted', ['simple_ast_non_live', 'multiple', 'parallel', 'parallel_multiple'], unweighted(astNonLive));
  row('Non-Live', 'simple_ast_non_live', 'Simple AST', 'unweighted', ['simple', 'java', 'javascript'], simpleAst);
  for (const name of ['simple', 'java', 'javascript', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance']) category('Non-Live', name);
  const overallNonLive = rows.find((r) => r.key === 'overall_non_live')!.value;

  // Live
  const astLiveNames = ['live_simple', 'live_multiple', 'live_parallel', 'live_parallel_multiple'];
  const overallLive = row('Live', 'overall_live', 'Overall Acc', 'weighted', [...astLiveNames, 'live_irrelevance', 'live_relevance'], weighted([...astLiveNames, 'live_irrelevance', 'live_relevance'].map(cat), false));
  row('Live', 'summary_ast_live', 'AST Summary', 'weighted', astLiveNames, weighted(astLiveNames.map(cat)));
  for (const name of LIVE_CATEGORIES) category('Live', name);

  // Multi-Turn
  const overallMultiTurn = row('Multi-Turn', 'overall_multi_turn', 'Overall Acc', 'unweighted', [...MULTI_TURN_CATEGORIES], unweighted(MULTI_TURN_CATEGORIES.map(cat), false));
  for (const name of MULTI_TURN_CATEGORIES) category('Multi-Turn', name);

  // Overall
  const overall = row('Overall', 'total_overall', 'Overall Acc', 'unweighted', ['overall_live', 'overall_non_live', 'overall_multi_turn'], unweighted([overallLive, overallNonLive, overallMultiTurn], false));
  row('Overall', 'total_irrelevance', 'Irrelevance Detection', 'unweighted', ['irrelevance', 'live_irrelevance'], unweighted([cat('irrelevance'), cat('live_irrelevance')]));
  row('Overall', 'total_relevance', 'Relevance Detection', 'category', ['live_relevance'], cat('live_relevance'));
  return { rows, overall };
}
