/**
 * Every parser of model text against hostile input: random strings over a
 * tool-call-shaped alphabet, random code points, and mutations of real model outputs
 * (the official BFCL vectors). None may throw, each must return its typed result, and
 * none may take long on any single input (which is how catastrophic regex backtracking
 * or quadratic loops show up).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeBfclPrompt } from '../../src/bench/bfcl/decode-prompt.ts';
import { scoreToolCallReward } from '../../src/check/reward.ts';
import { tryParseJson } from '../../src/core/json.ts';
import { seededRandom } from '../../src/engine/params.ts';
import { parseToolCalls } from '../../src/toolcall/detect.ts';
import { extractHermesBlocks, parseHermesToolCalls } from '../../src/toolcall/hermes.ts';
import { parseJsonToolCalls } from '../../src/toolcall/json-calls.ts';
import { parsePythonToolCalls } from '../../src/toolcall/python.ts';
import type { ToolCallParse } from '../../src/toolcall/result.ts';
import { splitThink } from '../../src/toolcall/think.ts';

const vectors = resolve(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'benchmarks', 'bfcl_v3', 'derived', 'single_turn_vectors.jsonl');
const seeds = readFileSync(vectors, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { output: unknown }).output)
  .filter((o): o is string => typeof o === 'string');
seeds.push('<tool_call>\n{"name": "f", "arguments": {"a": [1, {"b": "x"}]}}\n</tool_call>', '<think>plan</think>[f(a=1), g(b="x\\n", c=[1, 2.5e3, -4j])]', '```json\n[{"name": "f", "arguments": {}}]\n```');

const ALPHABET = '[](){}<>,:=."\'\\/_-+*#@ \n\tabcfnrtuxyzTFN0123456789eE<tool_call></tool_call><think></think>{"name": "arguments": }TrueFalseNonenull\u00e9\u20ac\ud83d\ude00'.split('');
const rand = seededRandom(2024);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function randomText(): string {
  const len = Math.floor(rand() * 120);
  let s = '';
  for (let i = 0; i < len; i++) s += rand() < 0.9 ? pick(ALPHABET) : String.fromCharCode(Math.floor(rand() * 0x10000));
  return s;
}

function mutate(text: string): string {
  let s = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    switch (Math.floor(rand() * 7)) {
      case 0:
        s = s.slice(0, at) + pick(ALPHABET) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 5));
        break;
      case 2:
        s = s.slice(0, at);
        break;
      case 3: {
        const len = Math.floor(rand() * 20);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      case 4:
        s = pick(['[', '(', '{', '"', "'", '<tool_call>\n']).repeat(1 + Math.floor(rand() * 50)) + s;
        break;
      case 5: {
        const j = Math.floor(rand() * (s.length + 1));
        const [a, b] = [Math.min(at, j), Math.max(at, j)];
        s = s.slice(0, a) + s.slice(b) + s.slice(a, b);
        break;
      }
      default:
        s = s + pick([')', ']', '}', '"""', '\\', '</tool_call>']).repeat(1 + Math.floor(rand() * 30));
    }
  }
  return s;
}

function assertParse(r: ToolCallParse): void {
  if (r.ok) assert.ok(Array.isArray(r.calls) && r.calls.every((c) => typeof c.name === 'string' && typeof c.arguments === 'object'));
  else assert.ok(['no_calls', 'syntax', 'shape'].includes(r.failure.kind) && typeof r.failure.message === 'string');
}

const parsers: Array<[string, (text: string) => void]> = [
  ['hermes official', (t) => assertParse(parseHermesToolCalls(t, { mode: 'official' }))],
  ['hermes lenient', (t) => assertParse(parseHermesToolCalls(t, { mode: 'lenient' }))],
  ['hermes blocks', (t) => assert.ok(Array.isArray(extractHermesBlocks(t, 'lenient')))],
  ['json calls', (t) => assertParse(parseJsonToolCalls(t))],
  ['python calls', (t) => assertParse(parsePythonToolCalls(t))],
  ['auto', (t) => assertParse(parseToolCalls(t))],
  ['bfcl python', (t) => assert.equal(typeof decodeBfclPrompt(t, 'python').ok, 'boolean')],
  ['bfcl java', (t) => assert.equal(typeof decodeBfclPrompt(t, 'java').ok, 'boolean')],
  ['bfcl javascript', (t) => assert.equal(typeof decodeBfclPrompt(t, 'javascript').ok, 'boolean')],
  ['json', (t) => assert.equal(typeof tryParseJson(t).ok, 'boolean')],
  ['think', (t) => assert.equal(typeof splitThink(t).answer, 'string')],
  ['reward', (t) => assert.ok(scoreToolCallReward(t, seeds[0]!).score >= 0)],
];

test('≥100,000 hostile inputs: no parser throws, hangs or answers outside its type', () => {
  const cases = 9000;
  let runs = 0;
  let slowest = 0;
  let slowestInput = '';
  for (let i = 0; i < cases; i++) {
    const text = i % 3 === 0 ? randomText() : mutate(pick(seeds));
    for (const [name, parse] of parsers) {
      const t0 = performance.now();
      try {
        parse(text);
      } catch (e) {
        assert.fail(`${name} threw on ${JSON.stringify(text)}: ${e instanceof Error ? e.stack : String(e)}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest) [slowest, slowestInput] = [ms, `${name}: ${JSON.stringify(text).slice(0, 200)}`];
      runs++;
    }
  }
  console.log(`fuzz: ${runs.toLocaleString('en-US')} parser runs on ${cases} inputs; slowest single run ${slowest.toFixed(1)} ms`);
  assert.ok(runs >= 100_000);
  // generous: catastrophic backtracking takes seconds to minutes, a loaded machine only slows a run a few times
  assert.ok(slowest < 1000, `slowest run took ${slowest.toFixed(1)} ms (${slowestInput})`);
});

test('pathological nesting and length stay bounded', () => {
  const deep = ['['.repeat(100_000), '('.repeat(50_000), '{"a":'.repeat(20_000), '<tool_call>\n'.repeat(20_000), '"'.repeat(100_000), `[f(a=${'['.repeat(5000)}1${']'.repeat(5000)})]`];
  for (const text of deep) {
    for (const [name, parse] of parsers) {
      const t0 = performance.now();
      assert.doesNotThrow(() => parse(text), name);
      // a quadratic scan of these inputs would take minutes; the bound leaves room for a busy machine
      assert.ok(performance.now() - t0 < 10_000, `${name} took too long on a ${text.length}-char input`);
    }
  }
});
