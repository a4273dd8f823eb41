/**
 * The smoke run: the data's own possible answers written as prompt-mode replies and
 * scored end to end (loader, decoder, checker, aggregation). Irrelevance entries get a
 * text reply (no call is right there); relevance entries get a call to their first
 * function (any call is right there). Everything should pass but the entries the data
 * itself makes unpassable.
 */
import { isMultiTurnCategory, isRelevanceCategory } from '../../check/bfcl/entry.ts';
import type { BfclData } from './data.ts';
import { renderPossibleAnswers } from './render-answers.ts';
import type { BfclPrediction } from './score.ts';

export const DECLINE_REPLY = 'None of the available functions fits this request.';

/** One prediction per single-turn entry of the data. */
export function smokePredictions(data: BfclData): BfclPrediction[] {
  const out: BfclPrediction[] = [];
  for (const entry of data.entries.values()) {
    if (isMultiTurnCategory(entry.category)) continue;
    if (isRelevanceCategory(entry.category)) {
      const first = entry.docs[0];
      const wantsCall = entry.category === 'live_relevance';
      out.push({ id: entry.id, result: wantsCall && first ? `[${first.name}()]` : DECLINE_REPLY });
      continue;
    }
    out.push({ id: entry.id, result: renderPossibleAnswers(entry)[0]!.output });
  }
  return out;
}
