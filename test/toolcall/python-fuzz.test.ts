import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatePython, parsePythonExpression, parsePythonToolCalls, unparsePython } from '../../src/toolcall/python.ts';
import { pyRepr, renderPythonToolCalls } from '../../src/toolcall/pyrepr.ts';
import { decodeBfclPrompt } from '../../src/bench/bfcl/decode-prompt.ts';
import { seededRandom } from '../../src/engine/params.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VECTORS = path.resolve(repoRoot, '..', 'shared', 'benchmarks', 'bfcl_v3', 'derived', 'single_turn_vectors.jsonl');

/** A deterministic generator, so a failure can be replayed. */
const rng: (seed: number) => () => number = seededRandom;

const SEEDS = ["[f(a=1)]", "[get_weather(city='Paris', unit=\"c\"), math.hypot(x=3.0, y=[1, 2.5e3])]", "mod.g(b='x\\n', c={'k': (1,)}, d=-2 ** 0.5)"];
const PIECES = [...'[](){}\'",.=:-+*/%<>!~@ \n\t\\#0123456789abcjeE_`$?', 'lambda ', ' if ', ' else ', ' for ', ' in ', 'not ', 'f"{', "r'", "b'", '**', '//', ':=', '...', '\r\n', '\0', 'é', '\u00a0', '\ud800', 'True', 'None', '1e309', '0x', '1_0', '.5', '"""', "'''", '\\N{', '\\x', '\\u', '{x!r:>{w}}', 'yield ', 'await ', '2**99999', '*()'];

function mutate(text: string, random: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(random() * (s.length + 1));
    const r = random();
    if (r < 0.45) s = s.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + s.slice(at);
    else if (r < 0.75) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 3));
    else {
      const to = Math.floor(random() * (s.length + 1));
      const [a, b] = at < to ? [at, to] : [to, at];
      s = s.slice(0, a) + s.slice(b) + s.slice(a, b);
    }
  }
  return s;
}

function randomText(random: () => number): string {
  const length = Math.floor(random() * 60);
  let s = '';
  for (let k = 0; k < length; k++) s += random() < 0.7 ? String.fromCharCode(32 + Math.floor(random() * 95)) : String.fromCharCode(Math.floor(random() * 0x3000));
  return s;
}

/** Runs every entry point on one input; any exception fails the test with the input shown. */
function exercise(text: string): void {
  try {
    const parsed = parsePythonExpression(text);
    if (parsed.ok) {
      const unparsed = unparsePython(parsed.node);
      if (unparsed.ok) {
        // ast.unparse output is valid Python that parses back to the same source text.
        const again = parsePythonExpression(unparsed.text);
        assert.ok(again.ok, `unparse output must parse: ${JSON.stringify(unparsed.text)}`);
        const twice = unparsePython(again.node);
        assert.ok(twice.ok && twice.text === unparsed.text, `unparse is stable: ${JSON.stringify(unparsed.text)}`);
      }
      evaluatePython(parsed.node, { builtins: true });
    }
    const calls = parsePythonToolCalls(text);
    if (calls.ok) {
      const rendered = renderPythonToolCalls(calls.calls);
      const back = parsePythonToolCalls(rendered);
      assert.ok(back.ok, `rendered calls must parse back: ${rendered}`);
      assert.equal(renderPythonToolCalls(back.calls), rendered);
      for (const call of calls.calls) pyRepr(call.arguments);
    }
    for (const language of ['python', 'java', 'javascript'] as const) decodeBfclPrompt(text, language);
  } catch (e) {
    assert.fail(`input ${JSON.stringify(text)} threw: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

test('fuzz smoke: random and mutated inputs never throw; unparse and render round-trip', () => {
  const random = rng(20251109);
  const real = existsSync(VECTORS)
    ? readFileSync(VECTORS, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"format": "python"'))
        .slice(0, 4000)
        .map((l) => (JSON.parse(l) as { output: string }).output)
    : SEEDS;
  const started = performance.now();
  let cases = 0;
  for (let i = 0; i < 6000; i++) {
    const base = real[Math.floor(random() * real.length)]!;
    exercise(i % 3 === 0 ? randomText(random) : mutate(base, random));
    cases++;
  }
  for (const text of real.slice(0, 500)) {
    exercise(text);
    cases++;
  }
  const ms = performance.now() - started;
  assert.ok(cases >= 6500);
  assert.ok(ms < 20000, `${cases} cases took ${ms.toFixed(0)} ms`);
});
