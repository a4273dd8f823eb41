/**
 * The BFCL v3 categories and how the leaderboard groups them (gorilla's
 * `category_mapping.py` and `eval_runner_helper.py` at the last v3 commit).
 */

export const NON_LIVE_CATEGORIES = ['simple', 'multiple', 'parallel', 'parallel_multiple', 'java', 'javascript', 'irrelevance'] as const;
export const LIVE_CATEGORIES = ['live_simple', 'live_multiple', 'live_parallel', 'live_parallel_multiple', 'live_irrelevance', 'live_relevance'] as const;
export const MULTI_TURN_CATEGORIES = ['multi_turn_base', 'multi_turn_miss_func', 'multi_turn_miss_param', 'multi_turn_long_context'] as const;

export const BFCL_V3_CATEGORIES: readonly string[] = [...NON_LIVE_CATEGORIES, ...LIVE_CATEGORIES, ...MULTI_TURN_CATEGORIES];

/** Categories with possible answers, checked by the AST checker. */
export const AST_CATEGORIES: readonly string[] = [
  'simple',
  'multiple',
  'parallel',
  'parallel_multiple',
  'java',
  'javascript',
  'live_simple',
  'live_multiple',
  'live_parallel',
  'live_parallel_multiple',
];

/** The data files' name prefix (`BFCL_v3_simple.json`). */
export const VERSION_PREFIX = 'BFCL_v3';

/** The category of an entry id, by the official rule (`id.rsplit("_", 1)[0]`). */
export function categoryOfId(id: string): string {
  const cut = id.lastIndexOf('_');
  return cut === -1 ? id : id.slice(0, cut);
}

/** The numeric index of an id (`live_simple_19-3-15` → 19), for the official sort order. */
export function indexOfId(id: string): number {
  const tail = id.slice(id.lastIndexOf('_') + 1);
  return Number.parseInt(tail.split('-')[0]!, 10);
}

/** Orders ids as the official loader sorts them: by category, then by numeric index. */
export function compareIds(a: string, b: string): number {
  const ca = categoryOfId(a);
  const cb = categoryOfId(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  return indexOfId(a) - indexOfId(b);
}
