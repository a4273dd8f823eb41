/**
 * Training: the incremental trainer must pick exactly the merges a recount-everything
 * trainer picks, be deterministic, honour the vocabulary size, keep added tokens out of
 * merges, and be fast on a few megabytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AddedTokenMatcher } from '../../../src/engine/tokenizer/added.ts';
import { BYTE_TO_CHAR } from '../../../src/engine/tokenizer/bytes.ts';
import { preTokenize, qwen2PreTokenizer } from '../../../src/engine/tokenizer/pretokenize.ts';
import { DEFAULT_SPECIAL_TOKENS, tokenizerToJson, trainTokenizer } from '../../../src/engine/tokenizer/index.ts';
import { bfclLines, chatCorpus, randomUnicode, seededRng } from './samples.ts';

/** The textbook trainer: recount every pair after every merge. Slow, obviously right. */
function naiveMerges(corpus: string[], merges: number): Array<[string, string]> {
  const matcher = new AddedTokenMatcher(DEFAULT_SPECIAL_TOKENS.map((s, id) => ({ id, content: s.content, special: s.special, normalized: false })));
  const counts = new Map<string, number>();
  for (const text of corpus) {
    for (const seg of matcher.segments(text, null, false)) {
      if ('text' in seg) preTokenize(qwen2PreTokenizer(), seg.text, (p) => counts.set(p, (counts.get(p) ?? 0) + 1));
    }
  }
  const tokens = [...BYTE_TO_CHAR];
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const words = [...counts].map(([w, c]) => ({ ids: Array.from(new TextEncoder().encode(w)), c }));
  const out: Array<[string, string]> = [];
  while (out.length < merges) {
    const pairs = new Map<string, number>();
    for (const { ids, c } of words) for (let i = 0; i + 1 < ids.length; i++) pairs.set(`${ids[i]},${ids[i + 1]}`, (pairs.get(`${ids[i]},${ids[i + 1]}`) ?? 0) + c);
    let best: [number, number] | null = null;
    let bestCount = 1; // minFrequency 2
    for (const [key, c] of pairs) {
      const [a, b] = key.split(',').map(Number) as [number, number];
      if (c > bestCount || (c === bestCount && best !== null && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestCount = c;
      }
    }
    if (best === null) break;
    const merged = tokens[best[0]]! + tokens[best[1]]!;
    let id = idOf.get(merged);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(merged);
      idOf.set(merged, id);
    }
    out.push([tokens[best[0]]!, tokens[best[1]]!]);
    for (const w of words) {
      const next: number[] = [];
      for (let i = 0; i < w.ids.length; i++) {
        if (w.ids[i] === best[0] && w.ids[i + 1] === best[1]) {
          next.push(id);
          i++;
        } else next.push(w.ids[i]!);
      }
      w.ids = next;
    }
  }
  return out;
}

test('incremental training picks exactly the merges a full recount picks', () => {
  const rng = seededRng(3);
  const corpus = [...bfclLines('BFCL_v3_simple.json').slice(0, 60), ...chatCorpus(40, 5), ...Array.from({ length: 30 }, () => randomUnicode(rng, 80)), 'aaaa aaaaaaa abab ababab'];
  const trained = trainTokenizer(corpus, { vocabSize: 256 + 9 + 300 });
  const merges = trained.spec.bpe.merges.map(([l, r]) => [l, r]);
  assert.equal(merges.length, 300);
  assert.deepEqual(merges, naiveMerges(corpus, 300));
});

test('training is deterministic and independent of corpus order', () => {
  const corpus = [...bfclLines('BFCL_v3_multiple.json').slice(0, 100), ...chatCorpus(50, 9)];
  const a = tokenizerToJson(trainTokenizer(corpus, { vocabSize: 1000 }));
  const b = tokenizerToJson(trainTokenizer(corpus, { vocabSize: 1000 }));
  const shuffled = [...corpus].reverse();
  const c = tokenizerToJson(trainTokenizer(shuffled, { vocabSize: 1000 }));
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
});

test('the vocabulary is bytes, then merges, then added tokens, to the requested size', () => {
  const tok = trainTokenizer(bfclLines('BFCL_v3_simple.json'), { vocabSize: 2048 });
  assert.equal(tok.vocabSize, 2048);
  assert.equal(tok.tokenToId('Ġ'), 0x20);
  assert.equal(tok.tokenToId('A'), 0x41);
  DEFAULT_SPECIAL_TOKENS.forEach((s, i) => assert.equal(tok.addedTokenId(s.content), 2048 - DEFAULT_SPECIAL_TOKENS.length + i));
  assert.equal(tok.addedTokenId('<|im_end|>'), 2041);
  // A tiny corpus runs out of pairs seen twice: the vocabulary stays smaller, the added tokens follow it.
  const small = trainTokenizer(['abc abc xyz'], { vocabSize: 2048 });
  assert.ok(small.vocabSize < 300, `${small.vocabSize}`);
  assert.equal(small.addedTokenId('<|endoftext|>'), small.vocabSize - DEFAULT_SPECIAL_TOKENS.length);
  assert.throws(() => trainTokenizer(['x'], { vocabSize: 260 }), /vocabSize 260/);
});

test('merges shorten text: fewer tokens than bytes, and more merges shorten it more', () => {
  const train = bfclLines('BFCL_v3_multiple.json');
  const heldOut = bfclLines('BFCL_v3_simple.json').join('\n');
  const bytes = Buffer.byteLength(heldOut);
  const lengths = [300, 1000, 2048].map((vocabSize) => trainTokenizer(train, { vocabSize }).encode(heldOut).length);
  assert.ok(lengths[0]! < bytes * 0.8, `${lengths[0]} tokens for ${bytes} bytes`);
  assert.ok(lengths[1]! < lengths[0]! && lengths[2]! < lengths[1]!, lengths.join(' > '));
  assert.ok(lengths[2]! < bytes / 3, `2048-token vocabulary: ${(bytes / lengths[2]!).toFixed(2)} bytes per token`);
});

test('added tokens in the corpus never feed a merge', () => {
  const tok = trainTokenizer(chatCorpus(500, 4), { vocabSize: 800 });
  const learned = tok.spec.bpe.merges.map(([l, r]) => l + r);
  assert.ok(learned.length > 100);
  for (const token of learned) {
    assert.ok(!token.includes('|>') && !token.includes('<|') && !token.includes('tool_call'), `learned ${token}`);
  }
  for (const { content } of DEFAULT_SPECIAL_TOKENS) assert.equal(tok.spec.bpe.vocab.has(content), false, content);
});

test('trains on a few megabytes in seconds', () => {
  const corpus = bfclLines('BFCL_v3_live_multiple.json', 'BFCL_v3_live_irrelevance.json');
  const megabytes = corpus.reduce((s, l) => s + Buffer.byteLength(l), 0) / 1e6;
  const start = performance.now();
  const tok = trainTokenizer(corpus, { vocabSize: 4096 });
  const seconds = (performance.now() - start) / 1000;
  assert.equal(tok.vocabSize, 4096);
  assert.ok(megabytes > 5, `${megabytes} MB`);
  assert.ok(seconds < 15, `trained ${megabytes.toFixed(1)} MB in ${seconds.toFixed(1)} s`);
  console.log(`# trained a 4096-id vocabulary on ${megabytes.toFixed(1)} MB in ${seconds.toFixed(2)} s`);
});
