/**
 * Interoperability with 🤗: Python `tokenizers` must encode and decode exactly as we do
 * with a tokenizer.json we saved, we must match it on files it trained, and
 * `transformers.AutoTokenizer` must load our directory. Needs python3 with `tokenizers`
 * (CI installs it); without it the test fails in CI and is skipped, saying why, elsewhere.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_SPECIAL_TOKENS,
  loadTokenizer,
  QWEN2_SPLIT_PATTERN,
  saveTokenizer,
  WORDS_SPLIT_PATTERN,
  type Tokenizer,
  trainTokenizer,
} from '../../../src/engine/tokenizer/index.ts';
import { bfclLines, chatCorpus, INTEROP_TEXTS, randomUnicode, seededRng } from './samples.ts';

const script = fileURLToPath(new URL('../fixtures/tokenizer_reference.py', import.meta.url));
const probe = spawnSync('python3', ['-c', 'import tokenizers'], { encoding: 'utf8' });
const available = probe.status === 0;
const skip = available ? false : 'python3 with `tokenizers` is not installed (CI installs it: see .ci/run)';
if (!available && process.env['CI']) {
  test('python tokenizers is installed', () => assert.fail(`cannot import tokenizers: ${probe.stderr || probe.error?.message}`));
}

const work = mkdtempSync(join(tmpdir(), 'looptool-tokenizer-'));
after(() => rmSync(work, { recursive: true, force: true }));

function runReference<T>(request: object): T {
  const r = spawnSync('python3', [script], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `reference script failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

interface EncodeReply {
  results: Array<{ ids: number[]; decoded: string; decoded_skip: string; pieces: string[] }>;
  decoded: string[];
}

const rng = seededRng(7);
const randomTexts = Array.from({ length: 40 }, (_, i) => randomUnicode(rng, 20 + i * 10));
const texts = [...INTEROP_TEXTS, ...randomTexts];
const corpus = [...bfclLines('BFCL_v3_simple.json', 'BFCL_v3_multiple.json'), ...chatCorpus(300, 1), ...randomTexts.slice(0, 20)];

function label(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

function assertSameAsPython(tokenizer: Tokenizer, tokenizerJson: string): void {
  const idLists = Array.from({ length: 20 }, () => Array.from({ length: 30 }, () => Math.floor(rng() * tokenizer.vocabSize)));
  const reply = runReference<EncodeReply>({ op: 'encode', tokenizer: tokenizerJson, texts, decode: idLists });
  texts.forEach((text, i) => {
    const ref = reply.results[i]!;
    // Pieces first: ids alone can agree by luck where no merge crosses a wrong split.
    assert.deepEqual(tokenizer.preTokens(text), ref.pieces, `pre-tokens of ${label(text)}`);
    const ids = tokenizer.encode(text);
    assert.deepEqual(ids, ref.ids, `ids of ${label(text)}`);
    assert.equal(tokenizer.decode(ids), ref.decoded, `decode of ${label(text)}`);
    assert.equal(tokenizer.decode(ids, { skipSpecialTokens: true }), ref.decoded_skip, `decode without special tokens of ${label(text)}`);
  });
  idLists.forEach((ids, i) => assert.equal(tokenizer.decode(ids), reply.decoded[i], `decode of random ids ${ids.join(',')}`));
}

for (const split of ['qwen2', 'words'] as const) {
  test(`Python tokenizers encodes and decodes exactly like us with the tokenizer.json we save (${split} split)`, { skip }, async () => {
    const ours = trainTokenizer(corpus, { vocabSize: 2048, split });
    const dir = join(work, `ours-${split}`);
    await saveTokenizer(dir, ours);
    assertSameAsPython(ours, join(dir, 'tokenizer.json'));
    // The chat text really exercises the added tokens: each marker is one id.
    const chatIds = ours.encode(INTEROP_TEXTS[INTEROP_TEXTS.length - 1]!);
    for (const { content } of DEFAULT_SPECIAL_TOKENS.slice(1)) assert.ok(chatIds.includes(ours.addedTokenId(content)), content);
  });
}

test('we encode exactly like Python tokenizers with a tokenizer.json it trained with the words split', { skip }, async () => {
  const file = join(work, 'python-words.json');
  const special = DEFAULT_SPECIAL_TOKENS.map((s) => [s.content, s.special]);
  runReference({ op: 'train', tokenizer: file, layout: 'qwen2', pattern: WORDS_SPLIT_PATTERN, corpus, vocab_size: 1500, special });
  const theirs = await loadTokenizer(file);
  assert.ok(theirs.vocabSize > 1000, `trained vocabulary has ${theirs.vocabSize} ids`);
  assertSameAsPython(theirs, file);
});

for (const layout of ['qwen2', 'gpt2'] as const) {
  test(`we encode exactly like Python tokenizers with a tokenizer.json it trained (${layout} pre-tokenizer)`, { skip }, async () => {
    const file = join(work, `python-${layout}.json`);
    const special = DEFAULT_SPECIAL_TOKENS.map((s) => [s.content, s.special]);
    runReference({ op: 'train', tokenizer: file, layout, pattern: QWEN2_SPLIT_PATTERN, corpus, vocab_size: 1500, special });
    const theirs = await loadTokenizer(file);
    assert.ok(theirs.vocabSize > 1000, `trained vocabulary has ${theirs.vocabSize} ids`);
    assertSameAsPython(theirs, file);
  });
}

test('transformers AutoTokenizer loads our directory with its role tokens and chat template', { skip }, async (t) => {
  const ours = trainTokenizer(chatCorpus(200, 2), { vocabSize: 600 });
  const dir = join(work, 'auto');
  const chatTemplate = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}";
  await saveTokenizer(dir, ours, { chatTemplate, modelMaxLength: 2048 });
  const sample = INTEROP_TEXTS.filter((s) => s.length < 400);
  const messages = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>' },
  ];
  const reply = runReference<{ skipped?: string; eos_token_id: number; pad_token_id: number; bos_token_id: number | null; ids: number[][]; chat: string }>({
    op: 'auto',
    dir,
    texts: sample,
    messages,
  });
  if (reply.skipped !== undefined) {
    // CI installs transformers with tokenizers (scripts/install-python-reference.sh).
    if (process.env['CI']) assert.fail(reply.skipped);
    t.skip(reply.skipped);
    return;
  }
  assert.equal(reply.eos_token_id, ours.addedTokenId('<|im_end|>'));
  assert.equal(reply.pad_token_id, ours.addedTokenId('<|endoftext|>'));
  assert.equal(reply.bos_token_id, null);
  sample.forEach((text, i) => assert.deepEqual(ours.encode(text), reply.ids[i], `ids of ${label(text)}`));
  assert.equal(reply.chat, messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join(''));
});
