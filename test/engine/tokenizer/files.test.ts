/**
 * tokenizer.json and tokenizer_config.json: saving and loading give identical encodings,
 * and foreign, damaged or unsupported files fail with the file and field named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InputError } from '../../../src/core/records.ts';
import { loadTokenizer, parseTokenizerJson, saveTokenizer, tokenizerToJson, trainTokenizer } from '../../../src/engine/tokenizer/index.ts';
import { chatCorpus, INTEROP_TEXTS, randomUnicode, seededRng } from './samples.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-tokfiles-'));
after(() => rmSync(work, { recursive: true, force: true }));

const rng = seededRng(5);
const tok = trainTokenizer([...chatCorpus(200, 8), ...Array.from({ length: 50 }, () => randomUnicode(rng, 100))], { vocabSize: 700 });
const dir = join(work, 'tok');
await saveTokenizer(dir, tok, { chatTemplate: '{{ messages }}', modelMaxLength: 1024 });
const savedText = readFileSync(join(dir, 'tokenizer.json'), 'utf8');
type Json = Record<string, unknown>;
const saved = JSON.parse(savedText) as Json & { model: Json; added_tokens: Json[] };

test('a saved tokenizer loads back with identical encodings and an identical file', async () => {
  const loaded = await loadTokenizer(dir);
  const texts = [...INTEROP_TEXTS, ...Array.from({ length: 100 }, () => randomUnicode(rng, 120))];
  for (const text of texts) assert.deepEqual(loaded.encode(text), tok.encode(text), JSON.stringify(text.slice(0, 40)));
  assert.equal(loaded.vocabSize, tok.vocabSize);
  assert.deepEqual(tokenizerToJson(loaded), saved);
  // Loading the file path directly works the same.
  assert.deepEqual((await loadTokenizer(join(dir, 'tokenizer.json'))).encode(INTEROP_TEXTS[2]!), tok.encode(INTEROP_TEXTS[2]!));
});

test('the saved files have the 🤗 layout: BPE model, Qwen2 pre-tokenizer, ByteLevel decoder, role tokens', () => {
  assert.equal(saved.model['type'], 'BPE');
  assert.equal(saved.model['byte_fallback'], false);
  assert.deepEqual(saved['pre_tokenizer'], {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    ],
  });
  assert.equal((saved['decoder'] as Json)['type'], 'ByteLevel');
  assert.equal(saved.added_tokens.length, 9);
  assert.deepEqual(saved.added_tokens[2], { id: tok.addedTokenId('<|im_end|>'), content: '<|im_end|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Json;
  assert.equal(config['eos_token'], '<|im_end|>');
  assert.equal(config['pad_token'], '<|endoftext|>');
  assert.equal(config['bos_token'], null);
  assert.equal(config['chat_template'], '{{ messages }}');
  assert.equal(config['model_max_length'], 1024);
  assert.deepEqual((config['added_tokens_decoder'] as Record<string, Json>)[String(tok.addedTokenId('<think>'))]?.['special'], false);
});

test('merges written as ["left", "right"] pairs (tokenizers ≥ 0.20) load too', () => {
  const pairs = structuredClone(saved);
  pairs.model['merges'] = (saved.model['merges'] as string[]).map((m) => m.split(' '));
  const loaded = parseTokenizerJson(JSON.stringify(pairs), 'pairs.json');
  assert.deepEqual(loaded.encode(INTEROP_TEXTS[4]!), tok.encode(INTEROP_TEXTS[4]!));
});

/** Loads a modified copy of the saved file and returns the error message. */
function errorOf(change: (json: Json & { model: Json; added_tokens: Json[] }) => void): string {
  const copy = structuredClone(saved);
  change(copy);
  try {
    parseTokenizerJson(JSON.stringify(copy, null, 2), 'bad/tokenizer.json');
  } catch (e) {
    assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
    return e.message;
  }
  return assert.fail('the file was accepted');
}

test('damaged and foreign files fail naming the file and the field', async () => {
  const truncated = join(work, 'truncated.json');
  writeFileSync(truncated, savedText.slice(0, Math.floor(savedText.length / 2)));
  await assert.rejects(loadTokenizer(truncated), (e: Error) => e instanceof InputError && e.message.startsWith(`${truncated}:`) && /not valid JSON/.test(e.message));
  await assert.rejects(loadTokenizer(join(work, 'missing')), /missing: no such file/);
  assert.throws(() => parseTokenizerJson('{"architectures": ["LlamaForCausalLM"]}', 'config.json'), /^InputError: config\.json: model: missing: this is not a 🤗 tokenizer\.json/);
  assert.throws(() => parseTokenizerJson('[1, 2]', 'list.json'), /list\.json: expected an object, got an array/);

  assert.match(errorOf((j) => (j.model['type'] = 'WordPiece')), /^bad\/tokenizer\.json: model\.type: "WordPiece" is not supported/);
  assert.match(errorOf((j) => (j.model['merges'] as string[]).splice(3, 1, 'Ġ nothere')), /model\.merges\[3\]: "nothere" is not in model\.vocab/);
  assert.match(errorOf((j) => (j.model['merges'] as string[]).splice(0, 1, 'a b c')), /model\.merges\[0\]: expected "left right"/);
  assert.match(errorOf((j) => ((j.model['vocab'] as Json)['Ġ'] = 'x')), /model\.vocab\.Ġ: expected an id/);
  assert.match(errorOf((j) => ((j.model['vocab'] as Json)['zz-dup'] = 5)), /model\.vocab\.zz-dup: id 5 is also given to/);
  assert.match(errorOf((j) => delete j.model['vocab']), /model\.vocab: missing/);
  assert.match(errorOf((j) => (j.model['byte_fallback'] = true)), /model\.byte_fallback: true is not supported/);
  assert.match(errorOf((j) => (j.model['dropout'] = 0.1)), /model\.dropout: 0\.1 is not supported/);
  assert.match(errorOf((j) => (j.added_tokens[1]!['lstrip'] = true)), /added_tokens\[1\]\.lstrip: true is not supported/);
  assert.match(errorOf((j) => (j.added_tokens[1]!['id'] = 3)), /added_tokens\[1\]\.id: 3 is model\.vocab's id for/);
  assert.match(errorOf((j) => (j['pre_tokenizer'] = { type: 'Metaspace', replacement: '▁' })), /pre_tokenizer\.type: "Metaspace" is not supported/);
  assert.match(errorOf((j) => (j['pre_tokenizer'] = { type: 'Split', pattern: { Regex: '\\s' }, behavior: 'Isolated', invert: false })), /pre_tokenizer: must end with one ByteLevel step/);
  assert.match(
    errorOf((j) => (((j['pre_tokenizer'] as Json)['pretokenizers'] as Json[])[0]!['pattern'] = { Regex: '(?i)x' })),
    /pre_tokenizer\.pretokenizers\[0\]\.pattern\.Regex: group flags at 0 are not supported/,
  );
  assert.match(errorOf((j) => (j['normalizer'] = { type: 'Lowercase' })), /normalizer\.type: "Lowercase" is not supported/);
  assert.match(errorOf((j) => (j['decoder'] = null)), /decoder: missing/);
  assert.match(errorOf((j) => (j['post_processor'] = { type: 'TemplateProcessing' })), /post_processor: "TemplateProcessing" is not supported/);
  assert.match(errorOf((j) => (j['truncation'] = { max_length: 5 })), /truncation: .* is not supported/);
});

test('role tokens must exist in the tokenizer', async () => {
  await assert.rejects(saveTokenizer(join(work, 'bad-role'), tok, { eosToken: '</s>' }), /no added token "<\/s>"/);
});
