/**
 * BFCL v3 scoring speed: every possible answer of the AST categories (each acceptable
 * value in turn) written as a prompt-mode reply in a `{"id", "result"}` line, then read,
 * decoded and checked — against plain `JSON.parse` of the same lines, in the same run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../src/core/json.ts';
import { isPlainObject } from '../src/core/value.ts';
import { AST_CATEGORIES } from '../src/bench/bfcl/categories.ts';
import { loadBfclData } from '../src/bench/bfcl/data.ts';
import { renderPossibleAnswers } from '../src/bench/bfcl/render-answers.ts';
import { scoreBfclItem } from '../src/bench/bfcl/score.ts';
import { formatRate, measure } from './measure.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataDir = path.resolve(repoRoot, '..', 'shared', 'benchmarks', 'bfcl_v3');

if (!existsSync(dataDir)) {
  console.log(`skipped: no BFCL data at ${dataDir}`);
} else {
  const loadStart = performance.now();
  const data = await loadBfclData(dataDir, AST_CATEGORIES);
  const loadMs = performance.now() - loadStart;
  const lines: string[] = [];
  for (const category of AST_CATEGORIES) {
    for (const entry of data.byCategory.get(category)!) {
      for (const answer of renderPossibleAnswers(entry, { allAlternatives: true })) lines.push(JSON.stringify({ id: answer.id, result: answer.output }));
    }
  }
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  let valid = 0;
  const score = (): void => {
    valid = 0;
    for (const line of lines) {
      const record = parseJson(line);
      if (!isPlainObject(record)) throw new Error('bad line');
      const item = scoreBfclItem(data, { id: record['id'] as string, result: record['result']! }, { format: 'python', underscoreToDot: false });
      if (item.valid) valid++;
    }
  };
  const parseOnly = (): void => {
    for (const line of lines) JSON.parse(line);
  };
  const coldStart = performance.now();
  score();
  const coldMs = performance.now() - coldStart;
  const scored = measure(score, lines.length, { minMs: 3000, minRuns: 3 });
  const parsed = measure(parseOnly, lines.length, { minMs: 1000 });
  console.log(`${lines.length.toLocaleString('en-US')} replies (${(bytes / 1e6).toFixed(2)} MB) from ${data.entries.size.toLocaleString('en-US')} AST entries; ${valid.toLocaleString('en-US')} valid`);
  console.log(`data load (10 AST categories): ${(loadMs / 1000).toFixed(2)} s`);
  console.log(`read + decode + check: ${formatRate(scored.perSecond)} items/s, whole set ${(scored.bestMs / 1000).toFixed(3)} s (first, cold run ${(coldMs / 1000).toFixed(3)} s)`);
  console.log(`JSON.parse of the same lines: ${formatRate(parsed.perSecond)} items/s, ${(parsed.bestMs / 1000).toFixed(3)} s`);
  console.log(`ratio: scoring takes ${(scored.bestMs / parsed.bestMs).toFixed(0)}x the time of JSON.parse`);
}
