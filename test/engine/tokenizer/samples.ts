/** Texts and corpora shared by the tokenizer tests. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../../src/engine/params.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared data directory beside the repository. */
export const sharedDir = resolve(repoRoot, '..', 'shared');

/** A seeded generator of floats in [0, 1), so random tests repeat exactly. */
export const seededRng: (seed: number) => () => number = seededRandom;

/**
 * Code point ranges for random text, weighted towards ASCII. They hold only characters
 * whose letter/number class has not changed across recent Unicode versions, so
 * Oniguruma's tables and V8's agree on every one of them (checked over the ranges).
 */
const RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [0x20, 0x7e, 40],
  [0x09, 0x0d, 6],
  [0x80, 0x7ff, 10],
  [0x900, 0x97f, 3],
  [0x2000, 0x206f, 4],
  [0x3000, 0x30ff, 4],
  [0x4e00, 0x9fff, 6],
  [0xac00, 0xd7a3, 3],
  [0x1f300, 0x1f64f, 6],
  [0x1f900, 0x1f9ff, 2],
  [0x10000, 0x1007f, 1],
];
const totalWeight = RANGES.reduce((s, r) => s + r[2], 0);

/** A random well-formed string of `length` code points drawn from `RANGES`. */
export function randomUnicode(rng: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    let pick = rng() * totalWeight;
    let range = RANGES[0]!;
    for (const r of RANGES) {
      range = r;
      pick -= r[2];
      if (pick < 0) break;
    }
    out += String.fromCodePoint(range[0] + Math.floor(rng() * (range[1] - range[0] + 1)));
  }
  return out;
}

const TOOL_CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "São Paulo", "unit": "celsius", "days": 3}}\n</tool_call>';

/** A chat turn sequence in the ChatML + Hermes tool-call format the engine uses. */
export const CHAT_TEXT =
  '<|im_start|>system\nYou are a helpful assistant.\n\n# Tools\n\n<tools>\n{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}\n</tools><|im_end|>\n' +
  "<|im_start|>user\nWhat's the weather in São Paulo for the next 3 days?<|im_end|>\n" +
  `<|im_start|>assistant\n<think>\nThe user wants a forecast; I'll call get_weather.\n</think>\n\n${TOOL_CALL}<|im_end|>\n` +
  '<|im_start|>user\n<tool_response>\n{"forecast": [21.5, 23.0, -1.25e3]}\n</tool_response><|im_end|>\n<|im_start|>assistant\n';

/** Test strings both implementations must encode identically. */
export const INTEROP_TEXTS: readonly string[] = [
  '',
  'Hello, world!',
  'The quick brown fox jumps over the lazy dog.',
  "I'll say it's DON'T, we've, they'RE, it'ſt, o'K, x'Ll and 'S",
  'naïve café, Ελληνικά, русский, עברית, العربية, हिन्दी, 日本語のテキスト, 한국어',
  'e\u0301 combining: a\u0308\u0304, Z\u0351\u0360alg\u0350o',
  'emoji 😀👍🏽 family 👨‍👩‍👧‍👦 flag 🇧🇷 keycap 1️⃣ 🧑🏿‍🚀',
  'spaces:  two   three    four     five      end',
  '   leading and trailing   ',
  'tabs\tand\t\tmixed \t \twhitespace',
  'lines\nLF\r\nCRLF\rCR\n\n\nthree blank\n  \n\tindented',
  'odd spaces:\u00a0nbsp\u2003em\u3000ideographic\u0085nel\ufeffbom\u200bzwsp\u180emvs',
  // Where Oniguruma's \s and JavaScript's differ (U+0085 is a space to one, U+FEFF to the other).
  'a\u0085\u0085 b, c\ufeff\ufeff d, e \u0085 f, g\u00a0\u00a0h, i\u3000 j, !\u0085!\ufeff! \ufeff\ufeff\n\u0085\u0085\n',
  'numbers 0 7 42 1234567890 3.14159 -2.5e-10 1,000,000 ²³ ½ Ⅻ ٣٤٥',
  'x<|im_end|>y<|im_start|><|im_start|>z<|endoftext|>',
  'partial <|im_sta and <tool_call <|im_end| and </think',
  '<tool_call><tool_call></tool_call></tool_call><think></think>',
  'code: def f(x):\n    return {"a": [1, 2, 3]}  # comment\n\n',
  'json {"key":"value","nested":{"n":-0.0,"b":true,"z":null}}',
  'controls \u0000\u0001\u001b[0m\u007f\u0080\u009f',
  'a'.repeat(300) + ' ' + ' '.repeat(500) + '!'.repeat(100),
  CHAT_TEXT,
];

/** Synthetic chat transcripts in the engine's format, for training corpora. */
export function chatCorpus(count: number, seed: number): string[] {
  const rng = seededRng(seed);
  const cities = ['Paris', 'Tokyo', 'São Paulo', 'Zürich', 'New York', '北京', 'Kraków'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const city = cities[Math.floor(rng() * cities.length)]!;
    const days = 1 + Math.floor(rng() * 14);
    out.push(
      `<|im_start|>user\nWhat's the weather in ${city} for ${days} days?<|im_end|>\n<|im_start|>assistant\n<think>\nI should call get_weather.\n</think>\n\n` +
        `<tool_call>\n{"name": "get_weather", "arguments": {"city": "${city}", "days": ${days}}}\n</tool_call><|im_end|>\n`,
    );
  }
  return out;
}

/** Lines of BFCL v3 question files from the shared data: real tool-calling text. */
export function bfclLines(...names: string[]): string[] {
  return names.flatMap((name) =>
    readFileSync(join(sharedDir, 'benchmarks', 'bfcl_v3', name), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0),
  );
}
