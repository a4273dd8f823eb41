import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat, PyTuple, pyTypeOf, type Value } from '../../src/core/value.ts';
import {
  MAX_AST_DEPTH,
  evaluatePython,
  parsePythonExpression,
  parsePythonExpressionPrefix,
  parsePythonLiteral,
  parsePythonToolCalls,
  reprObj,
  unparsePython,
  type PyNode,
} from '../../src/toolcall/python.ts';

function node(text: string): PyNode {
  const r = parsePythonExpression(text);
  assert.ok(r.ok, `${JSON.stringify(text)} should parse: ${r.ok ? '' : r.error.message}`);
  return r.node;
}

function literal(text: string): Value {
  const r = parsePythonLiteral(text);
  assert.ok(r.ok, `${JSON.stringify(text)} should evaluate: ${r.ok ? '' : r.message}`);
  return r.value;
}

function syntaxError(text: string): { message: string; position: number } {
  const r = parsePythonExpression(text);
  assert.equal(r.ok, false, `${JSON.stringify(text)} should not parse`);
  return r.ok ? { message: '', position: -1 } : r.error;
}

function num(v: Value): number {
  return typeof v === 'number' ? v : v instanceof PyFloat ? v.value : NaN;
}

function str(text: string): string {
  const v = literal(text);
  assert.equal(typeof v, 'string', `${text} is a str`);
  return v as string;
}

test('string literals: quotes, triple quotes, prefixes in any case', () => {
  assert.equal(str(`'abc'`), 'abc');
  assert.equal(str(`"abc"`), 'abc');
  assert.equal(str(`'''a\nb'''`), 'a\nb');
  assert.equal(str(`"""a"b"""`), 'a"b');
  assert.equal(str(`r'\\d+'`), '\\d+');
  assert.equal(str(`R"\\n"`), '\\n');
  assert.equal(str(`u'x'`), 'x');
  assert.equal(str(`U'x'`), 'x');
  assert.equal(str(`'it\\'s'`), "it's");
  const bytes = node(`Rb'\\x'`);
  assert.deepEqual(bytes.kind === 'Constant' ? bytes.value : null, { t: 'bytes', v: '\\x' });
});

test('string escapes as Python 3.11 reads them', () => {
  assert.equal(str(`'\\n\\t\\r\\\\\\'\\"'`), '\n\t\r\\\'"');
  assert.equal(str(`'\\a\\b\\f\\v'`), '\x07\b\f\v');
  assert.equal(str(`'\\x41\\u00e9\\U0001F600'`), 'Aé😀');
  assert.equal(str(`'\\101\\7\\0'`), 'A\x07\0');
  assert.equal(str(`'\\777'`), '\u01ff');
  assert.equal(str(`'\\N{BULLET}\\N{em dash}'`), '•—');
  assert.equal(str(`'\\d\\q'`), '\\d\\q', 'unknown escapes stay as written');
  assert.equal(str(`'a\\\nb'`), 'ab', 'backslash-newline continues the line');
  assert.equal(str(`'''a\r\nb'''`), 'a\nb', 'raw newlines read as \\n');
  assert.match(syntaxError(`'\\x4'`).message, /truncated/);
  assert.match(syntaxError(`'\\U00110000'`).message, /illegal/);
  assert.match(syntaxError(`'\\N{NO SUCH NAME}'`).message, /unknown Unicode character name/);
  assert.match(syntaxError(`'abc`).message, /unterminated string/);
  assert.match(syntaxError(`'a\nb'`).message, /unterminated string/);
  assert.match(syntaxError(`r'\\'`).message, /unterminated string/);
});

test('adjacent literals concatenate; bytes do not mix with str', () => {
  assert.equal(str(`'a' "b" '''c'''`), 'abc');
  assert.equal(str(`'a' r'\\n'`), 'a\\n');
  assert.match(syntaxError(`'a' b'b'`).message, /cannot mix bytes and nonbytes/);
  const bytes = node(`b'\\xff' B"\\101"`);
  assert.equal(bytes.kind, 'Constant');
  assert.deepEqual(bytes.kind === 'Constant' ? bytes.value : null, { t: 'bytes', v: '\xffA' });
  assert.match(syntaxError(`b'é'`).message, /ASCII/);
  assert.equal(parsePythonLiteral(`b'x'`).ok, false, 'bytes have no Value form');
});

test('f-strings parse into fields (and are not literal values)', () => {
  const f = node(`f'a{x!r:>{w}}b{y=}'`);
  assert.equal(f.kind, 'JoinedStr');
  const text = unparsePython(f);
  assert.equal(text.ok ? text.text : text.error, "f'a{x!r:>{w}}by={y!r}'");
  assert.match(syntaxError(`f'{}'`).message, /empty expression/);
  assert.match(syntaxError(`f'{x\\n}'`).message, /backslash/);
  assert.match(syntaxError(`f'}'`).message, /single '}'/);
  assert.match(syntaxError(`f'{x:{y:{z}}}'`).message, /nested too deeply/);
  assert.equal(parsePythonLiteral(`f'x'`).ok, false);
});

test('ints: decimal, hex, octal, binary, underscores; leading zeros refused', () => {
  assert.equal(literal('42'), 42);
  assert.equal(literal('0x1F'), 31);
  assert.equal(literal('0o17'), 15);
  assert.equal(literal('0b101'), 5);
  assert.equal(literal('1_000_000'), 1000000);
  assert.equal(literal('0x_ff'), 255);
  assert.equal(literal('000'), 0);
  assert.match(syntaxError('01').message, /leading zeros/);
  assert.match(syntaxError('1__0').message, /invalid decimal literal/);
  assert.match(syntaxError('1_').message, /invalid decimal literal/);
  assert.match(syntaxError('0b102').message, /invalid digit '2' in binary literal/);
  assert.match(syntaxError('0o8').message, /invalid digit '8' in octal literal/);
  assert.match(syntaxError('12abc').message, /invalid decimal literal/);
  const big = node('123456789012345678901234567890');
  assert.deepEqual(big.kind === 'Constant' ? big.value : null, { t: 'int', v: 123456789012345678901234567890n });
});

test('floats keep float-ness; complex numbers are not values', () => {
  for (const [text, value] of [['1.', 1], ['.5', 0.5], ['1e3', 1000], ['2.5E-3', 0.0025], ['1_000.5', 1000.5], ['1.0', 1]] as const) {
    const v = literal(text);
    assert.equal(pyTypeOf(v), 'float', `${text} is a float`);
    assert.equal(num(v), value);
  }
  assert.ok(literal('2.0') instanceof PyFloat);
  assert.equal(pyTypeOf(literal('1e309')), 'float');
  assert.equal(num(literal('1e309')), Infinity);
  const complex = node('1.5j');
  assert.deepEqual(complex.kind === 'Constant' ? complex.value : null, { t: 'complex', re: 0, im: 1.5 });
  assert.equal(parsePythonLiteral('1j').ok, false);
  assert.match(syntaxError('1e').message, /invalid decimal literal/);
  assert.match(syntaxError('1.real').message, /invalid decimal literal/);
  assert.equal(node('1 .real').kind, 'Attribute');
  assert.equal(node('1if 1 else 2').kind, 'IfExp', '3.11 accepts a keyword right after a number');
});

test('signs, constants, containers and tuples', () => {
  assert.equal(literal('-5'), -5);
  assert.equal(literal('+5'), 5);
  assert.equal(literal('- -5'), 5);
  assert.equal(Object.is(num(literal('-0.0')), -0), true);
  assert.equal(literal('True'), true);
  assert.equal(literal('None'), null);
  assert.deepEqual(literal("[1, 'a', None]"), [1, 'a', null]);
  assert.deepEqual(literal("{'a': 1, 'b': [2]}"), { a: 1, b: [2] });
  const one = literal('(1,)');
  assert.ok(one instanceof PyTuple);
  assert.deepEqual([...(one as Value[])], [1]);
  assert.ok(literal('()') instanceof PyTuple);
  assert.equal(literal('(1)'), 1, 'parentheses alone do not make a tuple');
  assert.equal(parsePythonLiteral('{1, 2}').ok, false, 'sets have no Value form');
  assert.equal(parsePythonLiteral('{1: 2}').ok, false, 'non-str dict keys have no Value form');
  assert.equal(parsePythonLiteral('...').ok, false);
  assert.deepEqual(literal("{'a': 1, 'a': 2}"), { a: 2 }, 'a repeated key keeps the last value');
});

test('arithmetic follows Python: int/float, floor division, modulo, power', () => {
  assert.equal(literal('7 // 2'), 3);
  assert.equal(literal('-7 // 2'), -4);
  assert.equal(literal('-7 % 3'), 2);
  assert.equal(pyTypeOf(literal('1 / 2')), 'float');
  assert.equal(pyTypeOf(literal('4 / 2')), 'float');
  assert.equal(num(literal('4 / 2')), 2);
  assert.equal(literal('2 ** 10'), 1024);
  assert.equal(num(literal('10 ** -20')), 1e-20, 'pow is correctly rounded (V8 Math.pow is not here)');
  assert.equal(num(literal('2 ** 1.5')), 2.8284271247461903);
  assert.equal(num(literal('-7.5 // 2')), -4);
  assert.equal(num(literal('-7.5 % 2')), 0.5);
  assert.equal(literal("'ab' * 2 + 'c'"), 'ababc');
  assert.deepEqual(literal('[1] * 3'), [1, 1, 1]);
  assert.equal(literal("'%s-%05.1f' % ('a', 2.25)"), 'a-002.2');
  assert.equal(literal('True + True'), 2);
  assert.equal(literal('1 < 2 < 3'), true);
  assert.equal(parsePythonLiteral('1 / 0').ok, false);
  assert.equal(parsePythonLiteral('x + 1').ok, false, 'names are not values');
  assert.equal(parsePythonLiteral('true', { jsonLiterals: true }).ok && parsePythonLiteral('true', { jsonLiterals: true }).ok, true);
  assert.equal(parsePythonLiteral("float('inf')").ok, true);
  assert.equal(parsePythonLiteral('len([1])').ok, false, 'other calls are not literals');
  const huge = evaluatePython(node('2 ** 10000000'));
  assert.equal(huge.ok, false, 'results too large to build fail instead of hanging');
  const empty = evaluatePython(node('() * 2**64'));
  assert.equal(empty.ok, false, 'a repeat count beyond a machine word fails, as in CPython');
});

test('the tree: calls, keywords, dotted names, subscripts, lambdas, comprehensions', () => {
  const call = node("mod.g(1, *a, b='x', **k)");
  assert.equal(call.kind, 'Call');
  if (call.kind !== 'Call') return;
  assert.equal(call.func.kind, 'Attribute');
  assert.deepEqual(
    call.keywords.map((k) => k.arg),
    ['b', null],
  );
  assert.deepEqual(
    call.args.map((a) => a.kind),
    ['Constant', 'Starred'],
  );
  assert.equal(node('a.b.c').kind, 'Attribute');
  assert.equal(node('x[1:2, ::3]').kind, 'Subscript');
  assert.equal(node('lambda x, /, y=1, *a, z, **k: x').kind, 'Lambda');
  assert.equal(node('[x for x in y if x]').kind, 'ListComp');
  assert.equal(node('f(x for x in y)').kind, 'Call');
  assert.equal(node('(x := 1)').kind, 'NamedExpr');
  assert.equal(node('f(), g()').kind, 'Tuple');
});

test('what CPython refuses is refused, with a position', () => {
  assert.match(syntaxError('f(a=1, 2)').message, /positional argument follows keyword argument/);
  assert.match(syntaxError('f(**a, *b)').message, /iterable argument unpacking/);
  assert.match(syntaxError('f(x for x in y, 1)').message, /Generator expression must be parenthesized/);
  assert.match(syntaxError('f(True=1)').message, /cannot assign to True/);
  assert.match(syntaxError('f(a.b=1)').message, /cannot contain assignment/);
  assert.match(syntaxError('lambda *: 0').message, /named arguments must follow bare \*/);
  assert.match(syntaxError('a if b').message, /expected 'else'/);
  assert.match(syntaxError('(1, 2').message, /never closed/);
  assert.match(syntaxError('(1]').message, /does not match/);
  assert.equal(syntaxError('f(a=1) g()').position, 7);
  assert.match(syntaxError('  f()').message, /unexpected indent/);
  assert.match(syntaxError('f()\n g()').message, /unexpected indent/);
  assert.equal(parsePythonExpression('f()\n\n# comment\n').ok, true);
  assert.equal(parsePythonExpression('\\\nf()').ok, true);
  assert.match(syntaxError('f()\\\n').message, /unexpected EOF/);
  assert.match(syntaxError('a\0').message, /null bytes/);
  assert.match(syntaxError('\ud800').message, /surrogates/);
  assert.match(syntaxError('a.if').message, /invalid syntax/);
  assert.match(syntaxError('°').message, /invalid character/);
  assert.equal(node('café').kind, 'Name');
  assert.equal(node('ﬁle').kind === 'Name' && (node('ﬁle') as { id: string }).id, 'file', 'identifiers are NFKC-normalised');
});

test('nesting limits match CPython: 200 brackets, ~3,000 tree levels; deep input never throws', () => {
  assert.equal(parsePythonExpression('('.repeat(200) + ')'.repeat(200)).ok, true);
  assert.match(syntaxError('('.repeat(201) + ')'.repeat(201)).message, /too many nested parentheses/);
  assert.equal(parsePythonExpression('-'.repeat(MAX_AST_DEPTH - 1) + '1').ok, true);
  assert.equal(parsePythonExpression('-'.repeat(MAX_AST_DEPTH) + '1').ok, false);
  assert.equal(parsePythonExpression('1' + '+1'.repeat(MAX_AST_DEPTH)).ok, false);
  for (const deep of ['-'.repeat(200000) + '1', 'not '.repeat(100000) + 'x', 'lambda: '.repeat(50000) + '1', '1 if 1 else '.repeat(50000) + '1', '2' + '**2'.repeat(100000), 'lambda a='.repeat(20000) + '1: 0', '['.repeat(100000)]) {
    const r = parsePythonExpression(deep);
    assert.equal(r.ok, false);
  }
  const wide = parsePythonExpression('[' + '1, '.repeat(100000) + ']');
  assert.equal(wide.ok, true, 'wide is fine');
});

test('unparse writes what ast.unparse writes', () => {
  const cases: [string, string][] = [
    ['f(x for x in y)', 'f((x for x in y))'],
    ['a[(1,)]', 'a[1,]'],
    ['(1).real', '1 .real'],
    ['(-1) ** 2', '(-1) ** 2'],
    ['-(2 ** 2)', '-2 ** 2'],
    ['f(a=1, *b)', 'f(*b, a=1)'],
    ['not (a + b)', 'not a + b'],
    ['(a and b) and c', '(a and b) and c'],
    ['0xff + 1_0 + 1e3', '255 + 10 + 1000.0'],
    ['1e309', '1e309'],
    ["'it\\'s'", '"it\'s"'],
    ['"\\x00\\u200b\\xa0é"', "'\\x00\\u200b\\xa0é'"],
    ["u'x'", "u'x'"],
    ['x[1:2, ::3]', 'x[1:2, ::3]'],
    ['lambda x, /, y=1, *a, z=2, **k: 0', 'lambda x, /, y=1, *a, z=2, **k: 0'],
    ['{**a, 1: 2}', '{**a, 1: 2}'],
    ["f'{a[\"b\"]}'", 'f"{a[\'b\']}"'],
    ['(x := 1) + 2', '(x := 1) + 2'],
    ['(yield)', '(yield)'],
  ];
  for (const [source, expected] of cases) {
    const r = unparsePython(node(source));
    assert.ok(r.ok);
    assert.equal(r.text, expected, source);
  }
});

test('prefix parsing stops where the expression ends and reads nothing after it', () => {
  const text = "[f(a=1)] and then it's done";
  const primary = parsePythonExpressionPrefix(text, 0, { unit: 'primary' });
  assert.ok(primary.ok);
  assert.equal(primary.end, 8, 'a primary ends at its closing bracket');
  const expression = parsePythonExpressionPrefix(text, 0);
  assert.ok(expression.ok);
  assert.equal(expression.node.kind, 'BoolOp', 'an expression goes on through `and then`');
  assert.equal(text.slice(expression.end), " it's done", 'and stops before the unterminated quote, unread');
});

test('reprObj matches Python repr for runtime values', () => {
  const v = evaluatePython(node("[1, 2.0, 'x', (1,), {1: None}, {2}, b'\\x00', 1j, -0.0]"));
  assert.ok(v.ok);
  assert.equal(reprObj(v.value), "[1, 2.0, 'x', (1,), {1: None}, {2}, b'\\x00', 1j, -0.0]");
});

test('parsePythonToolCalls: a call list, a bare call, fences, think blocks, prose around', () => {
  const list = parsePythonToolCalls("[get_weather(city='Paris', days=3), math.hypot(x=3.0, y=(1,))]");
  assert.ok(list.ok);
  assert.deepEqual(
    list.calls.map((c) => c.name),
    ['get_weather', 'math.hypot'],
  );
  assert.equal(list.calls[0]!.arguments['days'], 3);
  assert.ok(list.calls[1]!.arguments['x'] instanceof PyFloat);
  assert.ok(list.calls[1]!.arguments['y'] instanceof PyTuple);

  const bare = parsePythonToolCalls("get_weather(city='Paris')");
  assert.ok(bare.ok);
  assert.equal(bare.calls.length, 1);

  const fenced = parsePythonToolCalls("Here:\n```python\n[f(a=1)]\n```\nDone.");
  assert.ok(fenced.ok);
  assert.equal(fenced.content, 'Here:\nDone.');

  const thought = parsePythonToolCalls('<think>maybe [g(</think>\n[f(a=true, b=null)]');
  assert.ok(thought.ok);
  assert.deepEqual(thought.calls[0]!.arguments, { a: true, b: null }, 'JSON literals are read by default');

  const prose = parsePythonToolCalls('Sure! [f(a=1)] Let me know.');
  assert.ok(prose.ok);
  assert.equal(prose.content, 'Sure!\nLet me know.');
});

test('parsePythonToolCalls failures are typed: no_calls, syntax, shape', () => {
  const kind = (text: string): string | undefined => {
    const r = parsePythonToolCalls(text);
    return r.ok ? undefined : r.failure.kind;
  };
  assert.equal(kind("I don't know (really)."), 'no_calls');
  assert.equal(kind('[]'), 'no_calls');
  assert.equal(kind('[f(a='), 'syntax');
  assert.equal(kind('[f(1, a=2)]'), 'shape', 'positional arguments are a shape failure');
  assert.equal(kind("[f(a=1), 'x']"), 'shape');
  assert.equal(kind('[f(a=1, a=2)]'), 'shape');
  assert.equal(kind('[f(a=x)]'), 'shape', 'a name is not a value');
  assert.equal(kind('[f()(a=1)]'), 'shape');
  const syntax = parsePythonToolCalls('[f(a=1, b=]');
  assert.ok(!syntax.ok && syntax.failure.position !== undefined);
  const jsonOff = parsePythonToolCalls('[f(a=true)]', { jsonLiterals: false });
  assert.equal(jsonOff.ok, false);
});
