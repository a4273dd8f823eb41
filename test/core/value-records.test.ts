import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError, parseRecordsText, validateRecord } from '../../src/core/records.ts';
import { SampleSchema } from '../../src/core/types.ts';
import { PyFloat, PyTuple, cloneValue, pyEquals } from '../../src/core/value.ts';

test("pyEquals is Python's ==", () => {
  assert.ok(pyEquals(1, new PyFloat(1)));
  assert.ok(pyEquals(true, 1));
  assert.ok(pyEquals(false, new PyFloat(0)));
  assert.ok(!pyEquals('1', 1));
  assert.ok(!pyEquals(PyTuple.fromItems([1, 2]), [1, 2]), 'a tuple never equals a list');
  assert.ok(pyEquals({ a: [1, { b: null }] }, { a: [new PyFloat(1), { b: null }] }));
  assert.ok(!pyEquals([1, 2], [2, 1]));
  assert.ok(!pyEquals(new PyFloat(NaN), new PyFloat(NaN)));
  const t = PyTuple.fromItems([1, [2]]);
  const c = cloneValue(t);
  assert.ok(c instanceof PyTuple && pyEquals(c, t) && c !== t);
});

test('JSONL and JSON-array files: records carry their line; a bad line is named', () => {
  assert.deepEqual(parseRecordsText('{"a": 1}\n\n{"a": 2}\n', 'f.jsonl').map((r) => r.line), [1, 3]);
  assert.deepEqual(parseRecordsText('[\n  {"a": 1},\n  {\n    "a": 2\n  }\n]\n', 'f.json').map((r) => r.line), [2, 3]);
  assert.deepEqual(parseRecordsText('[1, 2]\n[3]\n', 'f.jsonl').map((r) => r.line), [1, 2], 'a JSONL file of arrays');
  assert.throws(() => parseRecordsText('{"a": 1}\n{"a": \n', 'f.jsonl'), (e: unknown) => e instanceof InputError && e.message.startsWith('f.jsonl:2: not valid JSON'));
  assert.throws(() => parseRecordsText('[\n {"a": 1},\n {"a": }\n]', 'f.json'), (e: unknown) => e instanceof InputError && e.line === 3);
});

test('schema errors name file, line and the path of the field', () => {
  const [record] = parseRecordsText('\n{"id": "x", "tools": [], "messages": [{"role": "user", "content": 5}], "label": {"kind": "text", "text": ""}, "provenance": {"source": "seed", "round": 0}}', 'd.jsonl');
  assert.throws(() => validateRecord(SampleSchema, record!, 'd.jsonl'), (e: unknown) => e instanceof InputError && /^d\.jsonl:2: messages\[0\]\.content: /.test(e.message));
});
