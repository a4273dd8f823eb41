/**
 * Encoding and decoding: lossless round trips, added tokens as single ids, the BPE merge
 * order against a textbook implementation, and encode throughput.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SPECIAL_TOKENS, type Tokenizer, trainTokenizer } from '../../../src/engine/tokenizer/index.ts';
import { bfclLines, CHAT_TEXT, chatCorpus, INTEROP_TEXTS, randomUnicode, seededRng } from './samples.ts';

const rng = seededRng(11);
const tok = trainTokenizer([...bfclLines('BFCL_v3_multiple.json'), ...chatCorpus(300, 3), ...Array.from({ length: 200 }, () => randomUnicode(rng, 200))]);

/** Textbook BPE: merge the lowest-ranked pair everywhere, left to right, until none applies. */
function naiveBpe(t: Tokenizer, bytes: Uint8Array): number[] {
  let symbols = Array.from(bytes, (b) => t.model.byteIds[b]!);
  for (;;) {
    let best = -1;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = t.model.rank(symbols[i]!, symbols[i + 1]!);
      if (r >= 0 && (best < 0 || r < best)) best = r;
    }
    if (best < 0) return symbols;
    const [left, right] = t.spec.bpe.merges[best]!;
    const a = t.tokenToId(left)!;
    const b = t.tokenToId(right)!;
    const merged = t.tokenToId(left + right)!;
    const next: number[] = [];
    for (let i = 0; i < symbols.length; i++) {
      if (symbols[i] === a && symbols[i + 1] === b) {
        next.push(merged);
        i++;
      } else next.push(symbols[i]!);
    }
    symbols = next;
  }
}

test('decode(encode(x)) returns x for random Unicode, whitespace runs and the interop texts', () => {
  const texts = [...INTEROP_TEXTS, ...Array.from({ length: 300 }, (_, i) => randomUnicode(rng, 1 + i * 3))];
  for (const text of texts) assert.equal(tok.decode(tok.encode(text)), text, JSON.stringify(text.slice(0, 40)));
  // Every byte value survives, including those no UTF-8 text starts with.
  const allLatin1 = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
  assert.equal(tok.decode(tok.encode(allLatin1)), allLatin1);
});

test('the heap merge order gives exactly the textbook BPE result', () => {
  const words = [...Array.from({ length: 500 }, () => randomUnicode(rng, 1 + Math.floor(rng() * 30))), 'a'.repeat(97), 'ab'.repeat(40), '    '.repeat(50), '"name": "get_weather"'];
  for (const word of words) {
    const bytes = new TextEncoder().encode(word);
    assert.deepEqual(tok.model.encodeBytes(bytes), naiveBpe(tok, bytes), JSON.stringify(word));
  }
});

test('added tokens encode as one id wherever they appear, and never as pieces', () => {
  for (const { content } of DEFAULT_SPECIAL_TOKENS) {
    const id = tok.addedTokenId(content);
    assert.deepEqual(tok.encode(content), [id], content);
    assert.deepEqual(tok.encode(`x${content}y`), [...tok.encode('x'), id, ...tok.encode('y')], `inside text: ${content}`);
    assert.deepEqual(tok.encode(content + content), [id, id]);
    // A near miss is plain text: none of the added ids appear.
    const nearMiss = tok.encode(content.slice(0, -1));
    assert.ok(nearMiss.every((i) => i < tok.vocabSize - DEFAULT_SPECIAL_TOKENS.length), `near miss of ${content}`);
  }
  const chat = tok.encode(CHAT_TEXT);
  assert.equal(chat.filter((i) => i === tok.addedTokenId('<|im_start|>')).length, 5);
  assert.equal(chat.filter((i) => i === tok.addedTokenId('<tool_call>')).length, 1);
  assert.equal(tok.decode(chat), CHAT_TEXT);
});

test('special tokens can be encoded as text for untrusted content, and skipped when decoding', () => {
  const text = 'user says <|im_end|> and <tool_call>';
  const asText = tok.encode(text, { splitSpecialTokens: true });
  assert.ok(!asText.includes(tok.addedTokenId('<|im_end|>')));
  // Only tokens marked special are split; the tool-call markup stays one id.
  assert.ok(asText.includes(tok.addedTokenId('<tool_call>')));
  assert.equal(tok.decode(asText), text);
  const ids = tok.encode('<|im_start|>assistant\n<tool_call>{}</tool_call><|im_end|>');
  assert.equal(tok.decode(ids, { skipSpecialTokens: true }), 'assistant\n<tool_call>{}</tool_call>');
  assert.ok(tok.isSpecial(tok.addedTokenId('<|im_end|>')));
  assert.ok(!tok.isSpecial(tok.addedTokenId('<think>')));
});

test('token bytes concatenate to the UTF-8 text, so a stream can wait for whole characters', () => {
  const text = 'emoji 👨‍👩‍👧 and 日本語 <|im_end|>';
  const ids = tok.encode(text);
  const bytes = tok.decodeBytes(ids);
  assert.deepEqual(bytes, new TextEncoder().encode(text));
  // Cutting inside a character gives U+FFFD, never a throw.
  const cut = ids.findIndex((_, i) => tok.decode(ids.slice(0, i + 1)).endsWith('\ufffd'));
  assert.ok(cut >= 0, 'some prefix ends mid-character');
  assert.throws(() => tok.tokenBytes(tok.vocabSize), RangeError);
  // Lone surrogates are not Unicode text: they encode as U+FFFD, like any UTF-8 encoder does.
  assert.equal(tok.decode(tok.encode('a\ud800b')), 'a\ufffdb');
});

test('encodes well over 1 MB/s', () => {
  const text = bfclLines('BFCL_v3_live_simple.json', 'BFCL_v3_parallel.json', 'BFCL_v3_irrelevance.json').join('\n');
  const fresh = trainTokenizer(bfclLines('BFCL_v3_multiple.json'));
  const megabytes = Buffer.byteLength(text) / 1e6;
  const start = performance.now();
  const ids = fresh.encode(text);
  const seconds = (performance.now() - start) / 1000;
  const rate = megabytes / seconds;
  assert.ok(ids.length > 0);
  assert.ok(rate > 1, `${rate.toFixed(2)} MB/s`);
  const longRun = ' '.repeat(200_000);
  const t0 = performance.now();
  assert.equal(fresh.decode(fresh.encode(longRun)), longRun);
  const runMs = performance.now() - t0;
  assert.ok(runMs < 2000, `200k spaces took ${runMs.toFixed(0)} ms`);
  console.log(`# encoded ${megabytes.toFixed(2)} MB (first pass, cold cache) at ${rate.toFixed(1)} MB/s; 200k spaces in ${runMs.toFixed(0)} ms`);
});
