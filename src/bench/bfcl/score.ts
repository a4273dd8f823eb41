/**
 * Scoring BFCL v3 predictions: each predicted single-turn entry is decoded in the
 * model's format and checked with the official rules; per category, the accuracy is
 * over the entries predicted (as the official runner computes it over the result file),
 * and the entries without a prediction are counted apart, not as wrong. Multi-turn
 * entries need execution of the tool simulators and are reported as not scored.
 */
import type { Value } from '../../core/value.ts';
import { languageOfCategory } from '../../check/bfcl/docs.ts';
import { checkBfclEntry, isMultiTurnCategory, isRelevanceCategory } from '../../check/bfcl/entry.ts';
import type { BfclErrorType } from '../../check/bfcl/result.ts';
import { compareIds } from './categories.ts';
import type { BfclData } from './data.ts';
import { decodeBfclResult, type BfclFormat, type PromptDecoder } from './decode.ts';

export interface BfclPrediction {
  id: string;
  result: Value;
}

export interface BfclScoreOptions {
  format: BfclFormat;
  /** The model saw `a_b` for a function named `a.b` (it could not use dots in names). */
  underscoreToDot: boolean;
  /** Override of the prompt-mode decoder (tests). */
  decodePrompt?: PromptDecoder;
}

export interface BfclItemScore {
  id: string;
  category: string;
  valid: boolean;
  errorType: BfclErrorType | null;
  errors: string[];
}

export type BfclCategoryStatus = 'scored' | 'not_predicted' | 'not_scored';

export interface BfclCategoryScore {
  category: string;
  /** `scored`: at least one prediction checked; `not_predicted`: none given; `not_scored`: multi-turn. */
  status: BfclCategoryStatus;
  /** Entries in the data. */
  total: number;
  /** Entries with a prediction. */
  predicted: number;
  /** Entries predicted and checked. */
  scored: number;
  correct: number;
  /** Entries of the data without a prediction. */
  missing: number;
  /** correct / scored, or null when nothing was scored. */
  accuracy: number | null;
}

export interface BfclScore {
  items: BfclItemScore[];
  categories: BfclCategoryScore[];
}

/** Decodes and checks one predicted entry. */
export function scoreBfclItem(data: BfclData, prediction: BfclPrediction, options: BfclScoreOptions): BfclItemScore {
  const entry = data.entries.get(prediction.id);
  if (entry === undefined) throw new Error(`unknown BFCL id ${prediction.id}`);
  const category = entry.category;
  // The relevance runner always decodes as Python, whatever the category.
  const language = isRelevanceCategory(category) ? 'python' : languageOfCategory(category);
  const decoded = decodeBfclResult(prediction.result, options.format, language, options.decodePrompt);
  const result = checkBfclEntry({ category, docs: entry.docs, answers: entry.answers, decoded, underscoreToDot: options.underscoreToDot });
  return { id: entry.id, category, valid: result.valid, errorType: result.errorType, errors: result.errors };
}

/** Scores predictions (a subset of ids is fine) against the loaded data. Ids must exist in `data`. */
export function scoreBfcl(data: BfclData, predictions: Iterable<BfclPrediction>, options: BfclScoreOptions): BfclScore {
  const items: BfclItemScore[] = [];
  const predictedPerCategory = new Map<string, number>();
  for (const prediction of predictions) {
    const entry = data.entries.get(prediction.id);
    if (entry === undefined) throw new Error(`unknown BFCL id ${prediction.id}`);
    predictedPerCategory.set(entry.category, (predictedPerCategory.get(entry.category) ?? 0) + 1);
    if (isMultiTurnCategory(entry.category)) continue;
    items.push(scoreBfclItem(data, prediction, options));
  }
  items.sort((a, b) => compareIds(a.id, b.id));
  const correctPerCategory = new Map<string, number>();
  for (const item of items) if (item.valid) correctPerCategory.set(item.category, (correctPerCategory.get(item.category) ?? 0) + 1);
  const categories = data.categories.map((category): BfclCategoryScore => {
    const total = data.byCategory.get(category)?.length ?? 0;
    const predicted = predictedPerCategory.get(category) ?? 0;
    const multiTurn = isMultiTurnCategory(category);
    const scored = multiTurn ? 0 : predicted;
    const correct = correctPerCategory.get(category) ?? 0;
    const status: BfclCategoryStatus = multiTurn ? 'not_scored' : predicted === 0 ? 'not_predicted' : 'scored';
    return { category, status, total, predicted, scored, correct, missing: total - predicted, accuracy: scored === 0 ? null : correct / scored };
  });
  return { items, categories };
}
