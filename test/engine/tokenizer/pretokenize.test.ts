/**
 * The pre-tokenizer split and the Oniguruma→JavaScript regex translation. Expected
 * pieces were read from Python `tokenizers` 0.23 (`pre_tokenize_str` with the same
 * pattern); the interop test checks the same against a live Python where available.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BYTE_TO_CHAR, bytesToVocabString, vocabStringToBytes } from '../../../src/engine/tokenizer/bytes.ts';
import { onigToJsRegex, RegexTranslationError } from '../../../src/engine/tokenizer/onig-regex.ts';
import { GPT2_SPLIT_PATTERN, preTokenize, QWEN2_SPLIT_PATTERN, qwen2PreTokenizer, byteLevelStep, splitStep, WORDS_SPLIT_PATTERN } from '../../../src/engine/tokenizer/pretokenize.ts';

function pieces(text: string, steps = qwen2PreTokenizer()): string[] {
  const out: string[] = [];
  preTokenize(steps, text, (p) => out.push(p));
  return out;
}

test('the byte table gives 256 distinct printable characters, keeping printable ASCII as itself', () => {
  assert.equal(new Set(BYTE_TO_CHAR).size, 256);
  assert.equal(BYTE_TO_CHAR[0x41], 'A');
  assert.equal(BYTE_TO_CHAR[0x20], 'Ġ');
  assert.equal(BYTE_TO_CHAR[0x0a], 'Ċ');
  assert.equal(BYTE_TO_CHAR[0x00], 'Ā');
  assert.equal(BYTE_TO_CHAR[0xad], 'Ń');
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(vocabStringToBytes(bytesToVocabString(all)), all);
  // A string outside the table (an added token's text) stands for its own UTF-8.
  assert.deepEqual(vocabStringToBytes('€'), new TextEncoder().encode('€'));
});

test('the Qwen2 split cuts words, single digits, punctuation runs and whitespace as Oniguruma does', () => {
  assert.deepEqual(pieces('Hello world, 2024!'), ['Hello', ' world', ',', ' ', '2', '0', '2', '4', '!']);
  assert.deepEqual(pieces("I'll it's DON'T"), ['I', "'ll", ' it', "'s", ' DON', "'T"]);
  assert.deepEqual(pieces('x  y\n\n  z'), ['x', ' ', ' y', '\n\n', ' ', ' z']);
  assert.deepEqual(pieces('{"a": [1]}\n'), ['{"', 'a', '":', ' [', '1', ']}\n']);
  assert.deepEqual(pieces('end   '), ['end', '   ']);
});

test('the words split keeps spaces and quotes off letter runs and stands "/" alone', () => {
  const words = [splitStep(WORDS_SPLIT_PATTERN), byteLevelStep(false, false)];
  assert.deepEqual(pieces('Hello world, 2024!', words), ['Hello', ' ', 'world', ',', ' ', '2', '0', '2', '4', '!']);
  assert.deepEqual(pieces("I'll it's", words), ['I', "'ll", ' ', 'it', "'s"]);
  assert.deepEqual(pieces('{"city": "Tokyo"}\n', words), ['{"', 'city', '":', ' "', 'Tokyo', '"}\n']);
  assert.deepEqual(pieces('copy /home/docs to /tmp', words), ['copy', ' ', '/', 'home', '/', 'docs', ' ', 'to', ' ', '/', 'tmp']);
  assert.deepEqual(pieces('x  y\n\n  z', words), ['x', '  ', 'y', '\n\n', '  ', 'z']);
  // The point of the split: a value's pieces in a request are its pieces in a JSON call.
  const inRequest = pieces('Weather from Lumen Park to /work/a.txt?', words);
  for (const value of ['Lumen Park', '/work/a.txt']) {
    const inCall = pieces(`{"v": ${JSON.stringify(value)}}`, words);
    const valuePieces = inCall.slice(inCall.indexOf(' "') + 1, -1);
    const at = inRequest.findIndex((_, i) => valuePieces.every((p, j) => inRequest[i + j] === p));
    assert.ok(at >= 0, `${value}: ${JSON.stringify(valuePieces)} not in ${JSON.stringify(inRequest)}`);
  }
});

test('Oniguruma character classes survive translation (probed against tokenizers 0.23)', () => {
  // (?i:'s) also matches the long s, by Unicode case folding.
  assert.deepEqual(pieces("a'ſt b"), ['a', "'ſ", 't', ' b']);
  assert.deepEqual(pieces("x'LL y"), ['x', "'LL", ' y']);
  // U+FEFF is not \s for Oniguruma (it is for JavaScript); U+00A0 and U+0085 are.
  assert.deepEqual(pieces('a\ufeff\ufeffb'), ['a', '\ufeff\ufeff', 'b']);
  assert.deepEqual(pieces('a\u00a0\u00a0b'), ['a', '\u00a0', '\u00a0b']);
  assert.deepEqual(pieces('!\u0085!'), ['!', '\u0085', '!']);
  assert.deepEqual(pieces('x\u001c\u001d\u001fy'), ['x', '\u001c\u001d\u001f', 'y']);
});

test('the GPT-2 ByteLevel split and its prefix space', () => {
  const gpt2 = [byteLevelStep(true, true)];
  assert.deepEqual(pieces('Hello world 123', gpt2), [' Hello', ' world', ' 123']);
  assert.deepEqual(pieces(' already', gpt2), [' already']);
  assert.deepEqual(pieces("it's", [byteLevelStep(false, true)]), ['it', "'s"]);
  assert.match(GPT2_SPLIT_PATTERN, /\\p\{L\}/);
});

test('the translator refuses constructs it cannot reproduce instead of guessing', () => {
  assert.throws(() => onigToJsRegex('(?i)abc'), RegexTranslationError);
  assert.throws(() => onigToJsRegex('[^\\S]'), RegexTranslationError);
  assert.throws(() => onigToJsRegex('\\p{Han}'), RegexTranslationError);
  assert.throws(() => onigToJsRegex('[a[b]]'), RegexTranslationError);
  assert.throws(() => onigToJsRegex('\\A'), RegexTranslationError);
  // Known patterns translate.
  assert.ok(onigToJsRegex(QWEN2_SPLIT_PATTERN) instanceof RegExp);
  assert.ok(onigToJsRegex("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+") instanceof RegExp);
  // An escaped ordinary character, which JavaScript's u mode would reject, is that character.
  assert.deepEqual("a'b".match(onigToJsRegex("\\'")), ["'"]);
});
