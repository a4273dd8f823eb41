/**
 * Every official single-turn verdict in the shared test vectors (28,738 model outputs in
 * three formats, scored by the official BFCL checker at the v3 data commit) must come
 * out the same here: decoding by format, then the entry check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJson } from '../../../src/core/json.ts';
import { isPlainObject, type Value } from '../../../src/core/value.ts';
import { loadBfclData } from '../../../src/bench/bfcl/data.ts';
import { scoreBfclItem } from '../../../src/bench/bfcl/score.ts';
import type { BfclFormat } from '../../../src/bench/bfcl/decode.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dataDir = path.resolve(repoRoot, '..', 'shared', 'benchmarks', 'bfcl_v3');
const vectorsFile = path.join(dataDir, 'derived', 'single_turn_vectors.jsonl');

interface Vector {
  vid: number;
  id: string;
  format: BfclFormat;
  underscoreToDot: boolean;
  mutation: string;
  output: Value;
  valid: boolean;
  errorType: string;
}

function readVectors(): Vector[] {
  return readFileSync(vectorsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const v = parseJson(line);
      assert.ok(isPlainObject(v));
      return {
        vid: v['vid'] as number,
        id: v['id'] as string,
        format: v['format'] as BfclFormat,
        underscoreToDot: v['underscore_to_dot'] === true,
        mutation: v['mutation'] as string,
        output: v['output']!,
        valid: v['valid'] === true,
        errorType: v['error_type'] as string,
      };
    });
}

test('every official single-turn vector gets the official verdict and error type', { skip: !existsSync(vectorsFile) && 'shared BFCL data not found' }, async (t) => {
  const data = await loadBfclData(dataDir);
  const vectors = readVectors();
  assert.equal(vectors.length, 28738);
  const formats = new Map<string, number>();
  const verdictMismatches: string[] = [];
  const errorTypeMismatches: string[] = [];
  for (const v of vectors) {
    formats.set(v.format, (formats.get(v.format) ?? 0) + 1);
    const item = scoreBfclItem(data, { id: v.id, result: v.output }, { format: v.format, underscoreToDot: v.underscoreToDot });
    const describe = `vid ${v.vid} ${v.id} ${v.format}/${v.mutation}: official ${v.valid} ${v.errorType || '-'}, looptool ${item.valid} ${item.errorType ?? '-'}`;
    if (item.valid !== v.valid) verdictMismatches.push(describe);
    if ((item.errorType ?? '') !== v.errorType) errorTypeMismatches.push(describe);
  }
  t.diagnostic(`${vectors.length} vectors (${[...formats].map(([f, n]) => `${f} ${n}`).join(', ')})`);
  t.diagnostic(`verdict matches: ${vectors.length - verdictMismatches.length}/${vectors.length}`);
  t.diagnostic(`error_type matches: ${vectors.length - errorTypeMismatches.length}/${vectors.length}`);
  assert.deepEqual(verdictMismatches.slice(0, 20), [], `${verdictMismatches.length} verdicts differ`);
  assert.deepEqual(errorTypeMismatches.slice(0, 20), [], `${errorTypeMismatches.length} error types differ`);
});
