/** The Java and JavaScript type converters and the Python number parsing they fall back on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat, pyTypeOf, type Value } from '../../../src/core/value.ts';
import { convertJavaValue, parseJavaValue } from '../../../src/check/bfcl/java-convert.ts';
import { convertJsValue, parseJsValue } from '../../../src/check/bfcl/js-convert.ts';
import { pyFloatFromString, pyIntFromString, pyStrip } from '../../../src/check/bfcl/python-text.ts';
import { OfficialCheckerException } from '../../../src/check/bfcl/result.ts';

/** A value with its Python types spelled out, so 5 and 5.0 differ. */
function typed(v: Value): unknown {
  if (Array.isArray(v)) return v.map((x) => typed(x as Value));
  if (v !== null && typeof v === 'object' && !(v instanceof PyFloat)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typed(x)]));
  return `${pyTypeOf(v)}:${String(v instanceof PyFloat ? v.value : v)}`;
}

test('Python int() and float() of a str: blanks, underscores, Unicode digits, inf and nan', () => {
  assert.equal(pyIntFromString(' 42\n'), 42);
  assert.equal(pyIntFromString('1_000'), 1000);
  assert.equal(pyIntFromString('١٢'), 12);
  assert.equal(pyIntFromString('1__0'), undefined);
  assert.equal(pyIntFromString('4.0'), undefined);
  assert.deepEqual(typed(pyFloatFromString('5')!), 'float:5');
  assert.deepEqual(typed(pyFloatFromString('.5')!), 'float:0.5');
  assert.deepEqual(typed(pyFloatFromString('-Infinity')!), 'float:-Infinity');
  assert.ok(Number.isNaN((pyFloatFromString('nan') as PyFloat).value));
  assert.equal(pyFloatFromString('1e'), undefined);
  assert.equal(pyStrip('\u3000 x\u2028'), 'x');
  assert.equal(pyStrip('\ufeffx'), '\ufeffx');
});

test('Java scalars convert only in their own literal form, else stay text', () => {
  assert.deepEqual(typed(convertJavaValue('42', 'integer')), 'int:42');
  assert.deepEqual(typed(convertJavaValue('42\n', 'integer')), 'int:42');
  assert.deepEqual(typed(convertJavaValue('42L', 'integer')), 'str:42L');
  assert.deepEqual(typed(convertJavaValue('42L', 'long')), 'int:42');
  assert.deepEqual(typed(convertJavaValue('42', 'long')), 'str:42');
  assert.deepEqual(typed(convertJavaValue('3.5f', 'float')), 'float:3.5');
  assert.deepEqual(typed(convertJavaValue('3f', 'float')), 'float:3');
  assert.deepEqual(typed(convertJavaValue('3.5', 'float')), 'str:3.5');
  assert.deepEqual(typed(convertJavaValue('1e3', 'double')), 'float:1000');
  assert.deepEqual(typed(convertJavaValue('true', 'boolean')), 'bool:true');
  assert.deepEqual(typed(convertJavaValue('True', 'boolean')), 'str:True');
  assert.deepEqual(typed(convertJavaValue("'a'", 'char')), "str:'a'");
  assert.throws(() => convertJavaValue('x', 'Set'), OfficialCheckerException);
  assert.throws(() => convertJavaValue('x', 'Whatever'), OfficialCheckerException);
});

test('Java collections: arrays, array lists and hash maps by pattern, with the item type', () => {
  assert.deepEqual(typed(convertJavaValue('new int[]{1, 2, 3}', 'Array', 'integer')), ['int:1', 'int:2', 'int:3']);
  assert.deepEqual(typed(convertJavaValue('new int[] { }', 'Array', 'integer')), []);
  assert.deepEqual(typed(convertJavaValue('new long[]{1L, 2, 3L}', 'Array', 'long')), ['int:1', 'str:2', 'int:3']);
  assert.deepEqual(typed(convertJavaValue('new String[]{"a", b}', 'Array', 'String')), ['str:"a"', 'str:b']);
  assert.deepEqual(typed(convertJavaValue('new ArrayList<>(Arrays.asList("a", "b"))', 'ArrayList', 'String')), ['str:a', 'str:b']);
  assert.deepEqual(typed(convertJavaValue('new ArrayList<Float>() {{ add(1.0f); add(2.5f); }}', 'ArrayList', 'float')), ['float:1', 'float:2.5']);
  assert.deepEqual(typed(convertJavaValue('new ArrayList<>()', 'ArrayList', 'integer')), []);
  assert.deepEqual(typed(convertJavaValue('list', 'ArrayList', 'integer')), 'str:list');
  assert.deepEqual(typed(convertJavaValue('new HashMap<String, Object>() {{ put("k1", 1); put("k2", "v"); put("k3", true); }}', 'HashMap')), {
    k1: 'int:1',
    k2: 'str:v',
    k3: 'bool:true',
  });
  assert.deepEqual(typed(convertJavaValue('new HashMap<>()', 'HashMap')), {});
  assert.deepEqual(typed(parseJavaValue('2.5f')), 'float:2.5');
  assert.deepEqual(typed(parseJavaValue('7L')), 'int:7');
  assert.deepEqual(typed(parseJavaValue('x.y')), 'str:x.y');
});

test('JavaScript values: quotes, numbers, arrays split at commas, flat dicts', () => {
  assert.deepEqual(typed(convertJsValue("'abc'", 'String')), 'str:abc');
  assert.deepEqual(typed(convertJsValue('abc', 'String')), 'str:abc');
  assert.deepEqual(typed(convertJsValue('5', 'float')), 'float:5');
  assert.deepEqual(typed(convertJsValue('5e3', 'float')), 'str:5e3');
  assert.deepEqual(typed(convertJsValue('12n', 'Bigint')), 'int:12');
  assert.deepEqual(typed(convertJsValue('[1, 2, 3]', 'array', 'integer')), ['int:1', 'int:2', 'int:3']);
  assert.deepEqual(typed(convertJsValue('new Array(4.5, 5)', 'array', 'float')), ['float:4.5', 'float:5']);
  assert.deepEqual(typed(convertJsValue('["a", \'b\']', 'array', 'String')), ['str:a', 'str:b']);
  assert.deepEqual(typed(convertJsValue(' [ [1, 2], [3, 4]]', 'array', 'array')), [['int:1', 'int:2'], ['int:3', 'int:4']]);
  // Items are cut at every comma, nested brackets or not.
  assert.deepEqual(typed(convertJsValue('[1, [2]]', 'array')), ['int:1', 'str:[2']);
  // An item the item type cannot hold makes the whole text stay a string.
  assert.deepEqual(typed(convertJsValue('[1, 2]', 'array', 'Whatever')), 'str:[1, 2]');
  assert.deepEqual(typed(convertJsValue("{'key1': 123, key2: 'value', key3: false, list: ['a', 'b']}", 'dict')), {
    key1: 'int:123',
    key2: 'str:value',
    key3: 'bool:false',
    list: ['str:a', 'str:b'],
  });
  assert.deepEqual(typed(convertJsValue('{}', 'dict')), {});
  assert.deepEqual(typed(parseJsValue(' 2.5 ')), 'float:2.5');
  assert.deepEqual(typed(parseJsValue('Infinity')), 'float:Infinity');
  assert.throws(() => convertJsValue('12n\n', 'Bigint'), OfficialCheckerException);
});
