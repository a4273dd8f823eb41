import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat, PyTuple, pyEquals, pyTypeOf, type Value } from '../../src/core/value.ts';
import type { ToolCall } from '../../src/core/types.ts';
import { isPythonIdentifier, pyRepr, pyStrRepr, renderPythonToolCalls } from '../../src/toolcall/pyrepr.ts';
import { parsePythonLiteral, parsePythonToolCalls } from '../../src/toolcall/python.ts';

test('str repr: quote choice and escapes as Python writes them', () => {
  assert.equal(pyStrRepr('abc'), "'abc'");
  assert.equal(pyStrRepr("it's"), `"it's"`);
  assert.equal(pyStrRepr(`a'b"c`), `'a\\'b"c'`);
  assert.equal(pyStrRepr('say "hi"'), `'say "hi"'`);
  assert.equal(pyStrRepr('\\'), "'\\\\'");
  assert.equal(pyStrRepr('\n\t\r'), "'\\n\\t\\r'");
  assert.equal(pyStrRepr('\x00\x1b\x7f'), "'\\x00\\x1b\\x7f'");
  assert.equal(pyStrRepr('\xa0\xad'), "'\\xa0\\xad'", 'non-printable Latin-1 as \\xNN');
  assert.equal(pyStrRepr('\u200b\u2028'), "'\\u200b\\u2028'", 'non-printable BMP as \\uNNNN');
  assert.equal(pyStrRepr('\u{e0001}'), "'\\U000e0001'", 'non-printable astral as \\UNNNNNNNN');
  assert.equal(pyStrRepr('\ud800'), "'\\ud800'", 'a lone surrogate is escaped');
  assert.equal(pyStrRepr('café 東京 😀'), "'café 東京 😀'", 'printable non-ASCII stays');
});

test('value repr: None, bools, ints, floats, lists, tuples, dicts', () => {
  assert.equal(pyRepr(null), 'None');
  assert.equal(pyRepr(true), 'True');
  assert.equal(pyRepr(5), '5');
  assert.equal(pyRepr(-0), '0');
  assert.equal(pyRepr(2 ** 60), '1152921504606846976');
  assert.equal(pyRepr(0.5), '0.5');
  assert.equal(pyRepr(new PyFloat(5)), '5.0');
  assert.equal(pyRepr(1e16), '10000000000000000', 'an integral JS number is an int');
  assert.equal(pyRepr(new PyFloat(1e16)), '1e+16');
  assert.equal(pyRepr(1e-7), '1e-07');
  assert.equal(pyRepr(new PyFloat(Infinity)), 'inf');
  assert.equal(pyRepr(new PyFloat(NaN)), 'nan');
  assert.equal(pyRepr([1, 'a', [null]]), "[1, 'a', [None]]");
  assert.equal(pyRepr(PyTuple.fromItems([1])), '(1,)');
  assert.equal(pyRepr(PyTuple.fromItems([])), '()');
  assert.equal(pyRepr(PyTuple.fromItems([1, 2])), '(1, 2)');
  assert.equal(pyRepr({ a: 1, "b'": [true] }), `{'a': 1, "b'": [True]}`);
});

test('identifiers: what can be a keyword argument name', () => {
  assert.ok(isPythonIdentifier('city'));
  assert.ok(isPythonIdentifier('_x1'));
  assert.ok(isPythonIdentifier('café'));
  assert.ok(!isPythonIdentifier('my-key'));
  assert.ok(!isPythonIdentifier('class'));
  assert.ok(!isPythonIdentifier('1a'));
  assert.ok(!isPythonIdentifier('ﬁle'), 'would read back NFKC-normalised as "file"');
});

test('renderPythonToolCalls writes the list format', () => {
  const calls: ToolCall[] = [
    { name: 'get_weather', arguments: { city: 'Paris', days: 3, metric: true } },
    { name: 'math.hypot', arguments: { x: new PyFloat(3), y: 4.5 } },
    { name: 'noop', arguments: {} },
  ];
  assert.equal(renderPythonToolCalls(calls), "[get_weather(city='Paris', days=3, metric=True), math.hypot(x=3.0, y=4.5), noop()]");
  assert.equal(renderPythonToolCalls([]), '[]');
  assert.equal(renderPythonToolCalls([{ name: 'f', arguments: { 'my-key': 1, a: 2 } }]), "[f(a=2, **{'my-key': 1})]");
  assert.equal(renderPythonToolCalls([{ name: 'f', arguments: { x: new PyFloat(-Infinity) } }]), "[f(x=float('-inf'))]");
});

function sameValue(a: Value, b: Value): boolean {
  if (!pyEquals(a, b) && !(Number.isNaN(Number(a?.valueOf())) && Number.isNaN(Number(b?.valueOf())))) return false;
  if (pyTypeOf(a) !== pyTypeOf(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.every((x, i) => sameValue(x as Value, b[i] as Value));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !(a instanceof PyFloat)) {
    const bo = b as Record<string, Value>;
    return Object.entries(a).every(([k, v]) => sameValue(v, bo[k]!));
  }
  return true;
}

const SAMPLES: Value[] = [
  0,
  -17,
  2 ** 53,
  new PyFloat(0),
  new PyFloat(-0),
  new PyFloat(2),
  new PyFloat(1e22),
  0.1,
  -2.5e-8,
  1.7976931348623157e308,
  5e-324,
  new PyFloat(Infinity),
  new PyFloat(-Infinity),
  true,
  null,
  '',
  "it's \"quoted\" \\ back",
  'tab\tnew\nline\r\x00\x7f\u200b\u2028 café 😀',
  [],
  [1, [2, [3.5]]],
  PyTuple.fromItems([]),
  PyTuple.fromItems([new PyFloat(1)]),
  PyTuple.fromItems([1, PyTuple.fromItems(['a'])]),
  {},
  { a: 1, 'b c': [null], "q'": { deep: PyTuple.fromItems([true]) } },
];

test('repr round trip: parse(repr(v)) is v, int/float and tuple/list kept', () => {
  for (const sample of SAMPLES) {
    const text = pyRepr(sample, { parseableNonFinite: true });
    const back = parsePythonLiteral(text);
    assert.ok(back.ok, `${text} parses: ${back.ok ? '' : back.message}`);
    assert.ok(sameValue(back.value, sample), `${text} round-trips`);
  }
});

test('render -> parse gives back the same calls', () => {
  const calls: ToolCall[] = SAMPLES.map((value, i) => ({ name: i % 2 === 0 ? `tool_${i}` : `pkg.mod.tool_${i}`, arguments: { value, 'odd-name': i, __proto__x: 'p' } }));
  const parsed = parsePythonToolCalls(renderPythonToolCalls(calls));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.failure.message);
  assert.equal(parsed.calls.length, calls.length);
  parsed.calls.forEach((call, i) => {
    assert.equal(call.name, calls[i]!.name);
    assert.deepEqual(Object.keys(call.arguments).sort(), Object.keys(calls[i]!.arguments).sort());
    for (const [key, value] of Object.entries(calls[i]!.arguments)) assert.ok(sameValue(call.arguments[key]!, value), `${call.name}.${key}`);
  });
});

test('a __proto__ argument survives render and parse as an own key', () => {
  const args = {};
  Object.defineProperty(args, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
  const text = renderPythonToolCalls([{ name: 'f', arguments: args }]);
  assert.equal(text, '[f(__proto__=1)]');
  const parsed = parsePythonToolCalls(text);
  assert.ok(parsed.ok);
  assert.deepEqual(Object.keys(parsed.calls[0]!.arguments), ['__proto__']);
  assert.equal(Object.getPrototypeOf(parsed.calls[0]!.arguments), Object.prototype);
});
