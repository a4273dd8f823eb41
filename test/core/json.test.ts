import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { dumpJson, formatPyFloat, parseJson, stringifyJson, tryParseJson } from '../../src/core/json.ts';
import { seededRandom } from '../../src/engine/params.ts';
import { PyFloat, pyTypeOf, type Value } from '../../src/core/value.ts';

test('floats stay floats: 5.0 and 1e3 are floats, 5 is an int', () => {
  const v = parseJson('[5, 5.0, 1e3, -0.5, 1E-7, 0]') as Value[];
  assert.deepEqual(v.map(pyTypeOf), ['int', 'float', 'float', 'float', 'float', 'int']);
  assert.equal(dumpJson(v), '[5, 5.0, 1000.0, -0.5, 1e-07, 0]');
  assert.equal(stringifyJson(v), '[5,5.0,1000.0,-0.5,1e-07,0]');
});

test('Python extensions and strictness: NaN and Infinity accepted, control characters and trailing commas rejected', () => {
  const v = parseJson('[NaN, Infinity, -Infinity]') as PyFloat[];
  assert.ok(Number.isNaN(v[0]!.value) && v[1]!.value === Infinity && v[2]!.value === -Infinity);
  for (const bad of ['[1,]', '{"a": 1,}', '"a\u0001"', "{'a': 1}", '[1] x', '', '01']) assert.equal(tryParseJson(bad).ok, false, bad);
  assert.deepEqual(Object.keys(parseJson('{"__proto__": 1, "b": 2}') as object), ['__proto__', 'b']);
});

test('float repr follows Python: fixed between 1e-4 and 1e16, exponent with two digits outside', () => {
  const cases: Array<[number, string]> = [
    [0.1, '0.1'],
    [100, '100.0'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-0, '-0.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ];
  for (const [x, repr] of cases) assert.equal(formatPyFloat(x), repr);
});

const hasPython = spawnSync('python3', ['--version']).status === 0;

test('dumpJson and parseJson agree with Python json on generated values', { skip: hasPython ? false : 'python3 is not installed' }, () => {
  const rand = seededRandom(99);
  const strings = ['', 'plain', 'quote " and \\ backslash', 'tab\tnew\nline\r', '\u0000\u001f\u007f', 'café €', '😀 astral', '\ud800 lone', '</script>'];
  const value = (depth: number): Value => {
    const k = Math.floor(rand() * (depth > 2 ? 4 : 6));
    if (k === 0) return strings[Math.floor(rand() * strings.length)]!;
    if (k === 1) return Math.floor((rand() - 0.5) * 1e6);
    if (k === 2) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      return rand() < 0.2 ? new PyFloat(Math.round(x)) : x;
    }
    if (k === 3) return [true, false, null][Math.floor(rand() * 3)]!;
    if (k === 4) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    const o: Record<string, Value> = {};
    for (let i = 0; i < Math.floor(rand() * 4); i++) o[strings[Math.floor(rand() * strings.length)]! + i] = value(depth + 1);
    return o;
  };
  const values = Array.from({ length: 300 }, () => value(0));
  // ASCII-escaped on the way in, so a lone surrogate survives the pipe.
  const input = values.map((v) => dumpJson(v)).join('\n');
  const script = 'import json,sys\nfor line in sys.stdin.read().split("\\n"):\n  v=json.loads(line)\n  print(json.dumps(json.dumps(v)), json.dumps(json.dumps(v, ensure_ascii=False, indent=2)))';
  const r = spawnSync('python3', ['-c', script], { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  r.stdout.trim().split('\n').forEach((line, i) => {
    const [ascii, indented] = JSON.parse(`[${line.replace(/" "/, '", "')}]`) as [string, string];
    assert.equal(dumpJson(values[i]!), ascii, `value ${i}`);
    assert.equal(dumpJson(values[i]!, { ensureAscii: false, indent: 2 }), indented, `value ${i} (indent)`);
    assert.deepEqual(parseJson(ascii), values[i]);
  });
});
