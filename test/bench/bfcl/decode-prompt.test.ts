import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PyFloat, PyTuple, pyTypeOf, type Value, type ValueObject } from '../../../src/core/value.ts';
import type { ToolCall } from '../../../src/core/types.ts';
import { BFCL_NONE_KEY, decodeBfclPrompt, stripChars } from '../../../src/bench/bfcl/decode-prompt.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const VECTORS = path.resolve(repoRoot, '..', 'shared', 'benchmarks', 'bfcl_v3', 'derived', 'single_turn_vectors.jsonl');

function calls(text: string, language: 'python' | 'java' | 'javascript' = 'python'): ToolCall[] {
  const r = decodeBfclPrompt(text, language);
  assert.ok(r.ok, `${JSON.stringify(text)} should decode: ${r.ok ? '' : r.error}`);
  return r.calls;
}

function args(text: string, language: 'python' | 'java' | 'javascript' = 'python'): ValueObject {
  const decoded = calls(text, language);
  assert.equal(decoded.length, 1);
  return decoded[0]!.arguments;
}

function fails(text: string, language: 'python' | 'java' | 'javascript' = 'python'): string {
  const r = decodeBfclPrompt(text, language);
  assert.equal(r.ok, false, `${JSON.stringify(text)} should fail to decode`);
  return r.ok ? '' : r.error;
}

test("stripChars is Python's str.strip(chars)", () => {
  assert.equal(stripChars('``\n [x] \n``', '`\n '), '[x]');
  assert.equal(stripChars("'[f()]'", "[]'"), 'f()');
  assert.equal(stripChars('[[]]', '[]'), '');
});

test('the reply is stripped of backticks/newlines/spaces and wrapped in brackets', () => {
  assert.deepEqual(calls('f(a=1)').map((c) => c.name), ['f'], 'a bare call gets brackets');
  assert.deepEqual(calls('```\n[f(a=1)]\n```').map((c) => c.name), ['f'], 'a plain fence strips away');
  fails('```python\n[f(a=1)]\n```');
  fails("Sure, here you go: [f(a=1)]");
  fails('<think>hmm</think>[f(a=1)]');
  assert.deepEqual(calls("'[f(a=1)]'").map((c) => c.name), ['f'], "wrapping single quotes are stripped with the brackets");
  fails('[ f(a=1)]', 'python');
  assert.match(fails('[ f(a=1)]'), /indent/, 'a space left after the stripped bracket is an indentation error');
  fails('[f(a=1),\ng(b=2)]');
  fails('[f(a=1)]\t');
});

test('a call, or a list/tuple/set whose items are all calls', () => {
  assert.equal(calls('[f(a=1), g(b=2)]').length, 2);
  assert.equal(calls('(f(a=1), g(b=2))').length, 2);
  assert.equal(calls('{f(a=1)}').length, 1);
  assert.deepEqual(calls('()'), [], 'an empty tuple decodes to no calls');
  fails('[]');
  fails('[f(a=1), 1]');
  fails('[{}]');
  fails('f');
  fails('None of the functions can help.');
});

test('function names: the dotted chain of the callee', () => {
  assert.equal(calls('[a.b.c(x=1)]')[0]!.name, 'a.b.c');
  assert.equal(calls('[f()(x=1)]')[0]!.name, '', 'a call as callee leaves no name');
  assert.equal(calls('[x[0].g.h(y=1)]')[0]!.name, 'g.h', 'the chain stops at a non-attribute');
});

test('only keyword arguments are kept; positional ones are dropped unread', () => {
  assert.deepEqual(args('[f(1, a=2)]'), { a: 2 });
  assert.deepEqual(args('[f(undefined_name.x[y](), a=2)]'), { a: 2 });
  assert.deepEqual(args('[f(**kw)]'), { [BFCL_NONE_KEY]: 'kw' }, "`**x` gives the key None, its value converted like any other");
  assert.deepEqual(args('[f(a=1, a=2)]'), { a: 2 }, 'a repeated keyword: the last value');
});

test('constants: types kept (int vs float, tuple vs list), Ellipsis as "..."', () => {
  const a = args("[f(i=5, x=5.0, s='x', b=True, n=None, t=(1, 2.5), l=[1], e=..., big=0x10)]");
  assert.equal(a['i'], 5);
  assert.ok(a['x'] instanceof PyFloat);
  assert.equal(a['s'], 'x');
  assert.equal(a['b'], true);
  assert.equal(a['n'], null);
  assert.ok(a['t'] instanceof PyTuple);
  assert.equal(pyTypeOf(a['l']!), 'list');
  assert.equal(a['e'], '...');
  assert.equal(a['big'], 16);
  assert.equal(args('[f(c=1j)]')['c'], '1j', 'complex: its repr (no Value form)');
  assert.equal(args("[f(b=b'x')]")['b'], "b'x'", 'bytes: their repr');
});

test('unary operators negate a constant operand, whatever the operator', () => {
  assert.equal(args('[f(a=-5)]')['a'], -5);
  assert.equal(args('[f(a=+5)]')['a'], -5, '`+5` decodes to -5 (the rule is `-operand.value`)');
  assert.equal(args('[f(a=~5)]')['a'], -5);
  assert.equal(args('[f(a=not True)]')['a'], -1);
  assert.ok(args('[f(a=-2.0)]')['a'] instanceof PyFloat);
  fails("[f(a=-'x')]");
  fails('[f(a=-x)]');
  fails('[f(a=--5)]');
});

test('names become their identifier; JSON-style literals are names', () => {
  assert.deepEqual(args('[f(a=x, b=true, c=null)]'), { a: 'x', b: 'true', c: 'null' });
});

test('arithmetic is evaluated', () => {
  const a = args("[f(a=1 + 2, b=10 / 4, c='ab' * 2, d=2 ** 0.5, e=[1] + [2], g=7 // 2, h=abs(-3) + 1)]");
  assert.equal(a['a'], 3);
  assert.equal(a['b'], 2.5);
  assert.equal(a['c'], 'abab');
  assert.equal(a['d'], Math.SQRT2);
  assert.deepEqual(a['e'], [1, 2]);
  assert.equal(a['g'], 3);
  assert.equal(a['h'], 4);
  assert.ok(args('[f(a=4 / 2)]')['a'] instanceof PyFloat, 'true division gives a float');
  fails('[f(a=x + 1)]');
  fails('[f(a=1 / 0)]');
});

test('nested calls: with keywords a {name: args} dict, without them their source text', () => {
  assert.deepEqual(args('[f(a=g(b=1, c=h(d=2)))]'), { a: { g: { b: 1, c: { h: { d: 2 } } } } });
  assert.equal(args('[f(a=g( 1,"x" ))]')['a'], "g(1, 'x')", 'the text is ast.unparse of the call');
  assert.equal(args('[f(a=datetime.now())]')['a'], 'datetime.now()');
  assert.equal(args('[f(a=g(x for x in y))]')['a'], 'g((x for x in y))');
});

test('subscripts become their text; lambdas, attributes and other nodes fail', () => {
  assert.equal(args('[f(a=x[0])]')['a'], 'x[0]');
  assert.equal(args('[f(a=x[1:2])]')['a'], 'x[1:2]');
  assert.equal(args('[f(a=x[1, 2])]')['a'], 'x[(1, 2)]', 'the slice is unparsed on its own');
  fails('[f(a=lambda x: x)]');
  fails('[f(a=x.y)]');
  fails('[f(a=1 < 2)]');
  fails("[f(a=f'{x}')]");
  fails('[f(a={1, 2})]');
  fails('[f(a=[x for x in y])]');
  fails('[f(a=x if y else z)]');
  fails('[f(a=[*x])]');
});

test('dicts: keys converted too; unhashable or ** keys fail', () => {
  assert.deepEqual(args("[f(d={'k': [1, {'n': None}]})]"), { d: { k: [1, { n: null }] } });
  assert.deepEqual(args('[f(d={1: 2, 1.0: 3})]'), { d: { '1': 3 } }, 'equal keys merge as in Python; a non-str key becomes its repr');
  assert.deepEqual(args('[f(d={None: 1})]'), { d: { [BFCL_NONE_KEY]: 1 } });
  fails('[f(d={[1]: 2})]');
  fails('[f(d={**x})]');
});

test('decoding never throws, whatever the input', () => {
  for (const text of ['', '[', ']', '((((', '\0', '\ud800', 'f(' + 'a=('.repeat(5000), '-'.repeat(100000) + '1', '[f(a=' + '['.repeat(300) + ']'.repeat(300) + ')]']) {
    for (const language of ['python', 'java', 'javascript'] as const) {
      const r = decodeBfclPrompt(text, language);
      assert.equal(typeof r.ok, 'boolean');
    }
  }
});

test('BFCL vectors: the decode success/failure partition matches the official decoder exactly', { skip: !existsSync(VECTORS) && 'shared/ not present' }, () => {
  const lines = readFileSync(VECTORS, 'utf8').split('\n').filter((l) => l.trim() !== '');
  let checked = 0;
  const mismatches: string[] = [];
  const started = performance.now();
  for (const line of lines) {
    const v = JSON.parse(line) as { vid: number; category: string; format: string; output: string; valid: boolean; error_type: string };
    if (v.format !== 'python') continue;
    checked++;
    const r = decodeBfclPrompt(v.output, 'python');
    let ok: boolean;
    if (v.category.includes('relevance')) {
      // The relevance runner counts an empty decode as "no call"; the verdict says which happened.
      const hasCall = r.ok && r.calls.length > 0;
      ok = v.category.includes('irrelevance') ? hasCall === !v.valid : hasCall === v.valid;
    } else {
      ok = r.ok === (v.error_type !== 'ast_decoder:decoder_failed');
    }
    if (!ok) mismatches.push(`${v.vid}: ${v.output.slice(0, 80)}`);
  }
  const ms = performance.now() - started;
  assert.ok(checked > 20000, `expected the python vectors, found ${checked}`);
  assert.deepEqual(mismatches.slice(0, 10), []);
  assert.ok(ms < 10000, `decoding ${checked} outputs took ${ms.toFixed(0)} ms`);
});

test('Java: the first method invocation, values as source text by the official rules', () => {
  const [call] = calls('[Foo.bar(name="Alice", count=5, ratio=1.5f, flag=true, list=new int[]{1, 2}, map=new HashMap<String, Integer>(), c=\'x\', t=Foo.class, neg=-3, sum=a + b)]', 'java');
  assert.equal(call!.name, 'Foo.bar');
  assert.deepEqual(call!.arguments, {
    name: 'Alice',
    count: '5',
    ratio: '1.5f',
    flag: 'true',
    list: 'new int[]{1,2}',
    map: 'new HashMap<String,Integer>()',
    c: 'x',
    t: 'Foo.class',
    neg: '-3',
    sum: 'a+b',
  });
  assert.equal(args('[f(a=new ArrayList<>(Arrays.asList("x", "y")))]', 'java')['a'], 'new ArrayList<>(Arrays.asList("x", "y"))', 'method calls verbatim, nested strings keep quotes');
  assert.equal(args('[f(a=java.util.List.of(1,  2))]', 'java')['a'], 'java.util.List.of(1,  2)');
  assert.deepEqual(calls('[f(a=1); g(b=2)]', 'java').map((c) => c.name), ['f'], 'only the first call is returned');
  assert.equal(calls('[a.b.c(d=1)]', 'java')[0]!.name, 'a.b.c');
  assert.deepEqual(args('[f(a=1, x)]', 'java'), { a: '1', [BFCL_NONE_KEY]: 'x' }, 'an unnamed identifier goes under None');
  assert.deepEqual(args('[f(a=1, 5, "s")]', 'java'), { a: '1' }, 'unnamed literals are dropped');
  assert.match(fails('[f(x, y)]', 'java'), /Multiple arguments/);
  assert.match(fails('[f(a=1, a=2)]', 'java'), /Multiple arguments/);
  fails('[f(a=new int[3])]', 'java');
  fails('[f(a=1,)]', 'java');
  fails('[f(a="unterminated)]', 'java');
  fails('[]', 'java');
  fails('[x + 1]', 'java');
});

test('JavaScript: the first top-level call statement; values as source text, one pair of quotes trimmed', () => {
  const a = args(`[f(s="x", q='y', n=1.5, arr=[1, "a"], obj={k: 'v'}, fn=x => x * 2, mix="a" + "b", tmpl=\`t\`)]`, 'javascript');
  assert.deepEqual(a, { s: 'x', q: 'y', n: '1.5', arr: '[1, "a"]', obj: "{k: 'v'}", fn: 'x => x * 2', mix: 'a" + "b', tmpl: '`t`' });
  assert.deepEqual(args('[f(x, a=1)]', 'javascript'), { [BFCL_NONE_KEY]: 'x', a: '1' });
  assert.deepEqual(args('[f(true)]', 'javascript'), { [BFCL_NONE_KEY]: 'true' });
  assert.deepEqual(args('[f(false, a+=1)]', 'javascript'), {}, '`false` and compound assignments are not arguments');
  assert.equal(calls('[obj.method(a=1)]', 'javascript')[0]!.name, 'obj.method');
  assert.deepEqual(calls('[f(a=1)\ng(b=2)]', 'javascript').map((c) => c.name), ['f']);
  fails('[f(a=1), g(b=2)]', 'javascript');
  fails('[f(a=1) g(b=2)]', 'javascript');
  fails('[(f(a=1))]', 'javascript');
  fails('[f(a=1, a=2)]', 'javascript');
  fails('[f(a=class)]', 'javascript');
});
