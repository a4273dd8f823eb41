/**
 * One test per rule of the official BFCL checker, each written from the rule with a
 * small doc and answer made here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyFloat, PyTuple, type Value, type ValueObject } from '../../../src/core/value.ts';
import { checkBfclEntry, type BfclDecoded } from '../../../src/check/bfcl/entry.ts';
import type { BfclCall, BfclExpectedCall, BfclFunctionDoc, BfclParamDoc } from '../../../src/check/bfcl/docs.ts';
import type { BfclCheckResult } from '../../../src/check/bfcl/result.ts';
import { standardizeString } from '../../../src/check/bfcl/standardize.ts';

function doc(name: string, properties: Record<string, BfclParamDoc>, required: string[] = []): BfclFunctionDoc {
  return { name, parameters: { properties, required } };
}

function calls(...list: [string, ValueObject][]): BfclDecoded {
  return { kind: 'calls', calls: list.map(([name, args]): BfclCall => ({ name, arguments: args })) };
}

function check(category: string, docs: BfclFunctionDoc[], answers: BfclExpectedCall[], decoded: BfclDecoded, underscoreToDot = false): BfclCheckResult {
  return checkBfclEntry({ category, docs, answers, decoded, underscoreToDot });
}

function verdict(r: BfclCheckResult): string {
  return r.valid ? 'valid' : (r.errorType ?? 'invalid');
}

const cityDoc = doc('get_weather', { city: { type: 'string' }, unit: { type: 'string' } }, ['city']);
const cityAnswer = (city: Value[], unit: Value[] = ['', 'celsius']): BfclExpectedCall[] => [{ name: 'get_weather', params: { city, unit } }];

test('strings are compared without case, spaces and , . / - _ * ^, and with single quotes as double quotes', () => {
  assert.equal(standardizeString("New-York_City, U.S.A. 'x'"), 'newyorkcityusa"x"');
  const answer = cityAnswer(['New York, NY']);
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['get_weather', { city: 'new york ny' }]))), 'valid');
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['get_weather', { city: 'NEW-YORK/NY.' }]))), 'valid');
  // Other punctuation still counts.
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['get_weather', { city: 'New York, NY!' }]))), 'value_error:string');
});

test('an int is accepted where a float is declared, a float is not accepted where an int is', () => {
  const d = doc('area', { base: { type: 'float' }, count: { type: 'integer' } }, ['base', 'count']);
  const answer: BfclExpectedCall[] = [{ name: 'area', params: { base: [new PyFloat(10)], count: [3] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['area', { base: 10, count: 3 }]))), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['area', { base: new PyFloat(10), count: new PyFloat(3) }]))), 'type_error:simple');
  // A bool is not an int either.
  assert.equal(verdict(check('simple', [d], answer, calls(['area', { base: 10, count: true }]))), 'type_error:simple');
});

test('"" in the acceptable values lets an optional parameter be left out, and only then', () => {
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['Paris']), calls(['get_weather', { city: 'Paris' }]))), 'valid');
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['Paris'], ['celsius']), calls(['get_weather', { city: 'Paris' }]))), 'simple_function_checker:missing_optional');
  // "" does not waive a parameter the doc requires.
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['', 'Paris']), calls(['get_weather', { unit: 'celsius' }]))), 'simple_function_checker:missing_required');
});

test('a parameter must be in the doc and in the answer', () => {
  const answer: BfclExpectedCall[] = [{ name: 'get_weather', params: { city: ['Paris'], unit: [''], country: [''] } }];
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['get_weather', { city: 'Paris', country: 'FR' }]))), 'simple_function_checker:unexpected_param');
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['Paris']), calls(['get_weather', { city: 'Paris', days: 3 }]))), 'simple_function_checker:unexpected_param');
});

test('the single-call check takes the function name from the doc, not from the answer', () => {
  const answer: BfclExpectedCall[] = [{ name: 'weather', params: { city: ['Paris'], unit: [''] } }];
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['get_weather', { city: 'Paris' }]))), 'valid');
  assert.equal(verdict(check('simple', [cityDoc], answer, calls(['weather', { city: 'Paris' }]))), 'simple_function_checker:wrong_func_name');
});

test('parallel matching is greedy: each expected call takes the first model call that fits, so order can decide', () => {
  const d = doc('f', { x: { type: 'integer' } }, ['x']);
  const answers: BfclExpectedCall[] = [
    { name: 'f', params: { x: [1, 2] } },
    { name: 'f', params: { x: [1] } },
  ];
  // Expected call 0 takes x=1 although only it could also take x=2; expected call 1 then finds no x=1.
  assert.equal(verdict(check('parallel', [d], answers, calls(['f', { x: 1 }], ['f', { x: 2 }]))), 'parallel_function_checker_no_order:cannot_find_match');
  assert.equal(verdict(check('parallel', [d], answers, calls(['f', { x: 2 }], ['f', { x: 1 }]))), 'valid');
  assert.equal(verdict(check('parallel', [d], answers, calls(['f', { x: 1 }]))), 'parallel_function_checker_no_order:wrong_count');
});

test('call counts: one call for simple, as many as expected for multiple and parallel', () => {
  const answer = cityAnswer(['Paris']);
  const twice = calls(['get_weather', { city: 'Paris' }], ['get_weather', { city: 'Paris' }]);
  assert.equal(verdict(check('simple', [cityDoc], answer, twice)), 'simple_function_checker:wrong_count');
  assert.equal(verdict(check('live_multiple', [cityDoc], answer, twice)), 'multiple_function_checker:wrong_count');
  assert.equal(verdict(check('live_parallel_multiple', [cityDoc], answer, twice)), 'parallel_function_checker_no_order:wrong_count');
  assert.equal(verdict(check('simple', [cityDoc], answer, calls())), 'simple_function_checker:wrong_count');
});

test('underscore_to_dot: a model that cannot use dots must call a.b as a_b', () => {
  const d = doc('math.hypot', { x: { type: 'integer' } }, ['x']);
  const answer: BfclExpectedCall[] = [{ name: 'math.hypot', params: { x: [3] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['math_hypot', { x: 3 }]), true)), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['math.hypot', { x: 3 }]), true)), 'simple_function_checker:wrong_func_name');
  assert.equal(verdict(check('simple', [d], answer, calls(['math_hypot', { x: 3 }]), false)), 'simple_function_checker:wrong_func_name');
});

test('irrelevance wants no call decoded; relevance wants at least one', () => {
  const none: BfclDecoded[] = [calls(), { kind: 'failed', error: 'prose' }, { kind: 'wrong_format', detail: '[{}]' }];
  for (const decoded of none) {
    assert.equal(verdict(check('irrelevance', [cityDoc], [], decoded)), 'valid');
    assert.equal(verdict(check('live_irrelevance', [cityDoc], [], decoded)), 'valid');
    assert.equal(verdict(check('live_relevance', [cityDoc], [], decoded)), 'relevance_error:decoder_failed');
  }
  // Any decoded call counts, even a wrong one.
  const wrong = calls(['unknown_function', {}]);
  assert.equal(verdict(check('irrelevance', [cityDoc], [], wrong)), 'irrelevance_error:decoder_success');
  assert.equal(verdict(check('live_relevance', [cityDoc], [], wrong)), 'valid');
});

test('decoder failures and wrongly shaped output have their own error types', () => {
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['Paris']), { kind: 'failed', error: 'x' })), 'ast_decoder:decoder_failed');
  assert.equal(verdict(check('simple', [cityDoc], cityAnswer(['Paris']), { kind: 'wrong_format', detail: 'x' })), 'ast_decoder:decoder_wrong_output_format');
});

test('a value of the acceptable values\' type passes the type check as a "variable" and is then compared exactly', () => {
  const d = doc('set_limit', { limit: { type: 'integer' } }, ['limit']);
  const answer: BfclExpectedCall[] = [{ name: 'set_limit', params: { limit: ['maxLimit'] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['set_limit', { limit: 'maxLimit' }]))), 'valid');
  // Exact: no string normalisation for a variable.
  assert.equal(verdict(check('simple', [d], answer, calls(['set_limit', { limit: 'MaxLimit' }]))), 'value_error:others');
  assert.equal(verdict(check('simple', [d], answer, calls(['set_limit', { limit: 5 }]))), 'value_error:others');
});

test('a tuple counts as a list only where the doc says tuple', () => {
  const d = doc('move', { to: { type: 'tuple', items: { type: 'float' } }, path: { type: 'array', items: { type: 'float' } } }, ['to']);
  const answer: BfclExpectedCall[] = [{ name: 'move', params: { to: [[new PyFloat(1), 2.5]], path: ['', [0.5]] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['move', { to: PyTuple.fromItems<Value>([new PyFloat(1), 2.5]) }]))), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['move', { to: [new PyFloat(1), 2.5] }]))), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['move', { to: [new PyFloat(1), 2.5], path: PyTuple.fromItems<Value>([0.5]) }]))), 'type_error:simple');
});

test('list items are type-checked one level deep, without the int-to-float allowance', () => {
  const d = doc('mean', { xs: { type: 'array', items: { type: 'float' } } }, ['xs']);
  const answer: BfclExpectedCall[] = [{ name: 'mean', params: { xs: [[new PyFloat(1), new PyFloat(2)]] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['mean', { xs: [new PyFloat(1), new PyFloat(2)] }]))), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['mean', { xs: [1, 2] }]))), 'type_error:nested');
  assert.equal(verdict(check('simple', [d], answer, calls(['mean', { xs: [new PyFloat(1), 'two'] }]))), 'type_error:nested');
});

test('lists are compared in order with strings normalised, and "" stands for the empty list', () => {
  const d = doc('tag', { tags: { type: 'array', items: { type: 'string' } } }, []);
  const answer: BfclExpectedCall[] = [{ name: 'tag', params: { tags: ['', ['Red Wine', 'blue']] } }];
  assert.equal(verdict(check('simple', [d], answer, calls(['tag', { tags: ['red-wine', 'BLUE'] }]))), 'valid');
  assert.equal(verdict(check('simple', [d], answer, calls(['tag', { tags: ['blue', 'red wine'] }]))), 'value_error:list/tuple');
  assert.equal(verdict(check('simple', [d], answer, calls(['tag', { tags: [] }]))), 'valid');
});

test('dicts: every given key must be expected with an acceptable value, every key without "" must be given', () => {
  const d = doc('book', { options: { type: 'dict' } }, ['options']);
  const answer: BfclExpectedCall[] = [{ name: 'book', params: { options: [{ room: ['Double'], breakfast: [true, ''] }] } }];
  const with_ = (options: ValueObject): string => verdict(check('simple', [d], answer, calls(['book', { options }])));
  assert.equal(with_({ room: 'double' }), 'valid');
  assert.equal(with_({ room: 'Double', breakfast: true }), 'valid');
  assert.equal(with_({ room: 'Single' }), 'value_error:dict_value');
  assert.equal(with_({ room: 'Double', pool: true }), 'value_error:dict_key');
  assert.equal(with_({ breakfast: true }), 'value_error:dict_key');
});

test('lists of dicts are compared dict by dict, in order and in number', () => {
  const d = doc('order', { items: { type: 'array', items: { type: 'dict' } } }, ['items']);
  const answer: BfclExpectedCall[] = [{ name: 'order', params: { items: [[{ sku: ['A1'] }, { sku: ['B2'] }]] } }];
  const with_ = (items: Value[]): string => verdict(check('simple', [d], answer, calls(['order', { items }])));
  assert.equal(with_([{ sku: 'a1' }, { sku: 'b2' }]), 'valid');
  assert.equal(with_([{ sku: 'B2' }, { sku: 'A1' }]), 'value_error:dict_value');
  assert.equal(with_([{ sku: 'A1' }]), 'value_error:list_dict_count');
});

test('Java values are source text converted by the declared type', () => {
  const d = doc('Cls.run', { n: { type: 'integer' }, big: { type: 'long' }, on: { type: 'boolean' }, names: { type: 'Array', items: { type: 'String' } } }, ['n']);
  const answer: BfclExpectedCall[] = [{ name: 'Cls.run', params: { n: [5], big: ['', 7], on: ['', true], names: ['', ['a', 'b']] } }];
  const with_ = (args: ValueObject): string => verdict(check('java', [d], answer, calls(['Cls.run', args])));
  assert.equal(with_({ n: '5', big: '7L', on: 'true' }), 'valid');
  // A long needs its L; without it the text stays a string.
  assert.equal(with_({ n: '5', big: '7' }), 'type_error:simple');
  // Values must be strings of Java source.
  assert.equal(with_({ n: 5 }), 'type_error:java');
  // Array items of type String keep their quotes, unquoted ones match.
  assert.equal(with_({ n: '5', names: 'new String[]{"a", "b"}' }), 'value_error:list/tuple');
  assert.equal(with_({ n: '5', names: 'new String[]{a, b}' }), 'valid');
});

test('JavaScript values are source text converted by the declared type', () => {
  const d = doc('draw', { size: { type: 'float' }, label: { type: 'String' }, points: { type: 'array', items: { type: 'integer' } }, style: { type: 'dict' } }, ['size']);
  const answer: BfclExpectedCall[] = [{ name: 'draw', params: { size: [new PyFloat(5)], label: ['', 'Hello'], points: ['', [1, 2]], style: ['', { color: ['red'] }] } }];
  const with_ = (args: ValueObject): string => verdict(check('javascript', [d], answer, calls(['draw', args])));
  assert.equal(with_({ size: '5', label: "'Hello'", points: '[1, 2]', style: "{color: 'red'}" }), 'valid');
  assert.equal(with_({ size: '5.5' }), 'value_error:others');
  assert.equal(with_({ size: 5 }), 'type_error:js');
  assert.equal(with_({ size: '5', points: '[2, 1]' }), 'value_error:list/tuple');
});

test('where the official checker raises, the item is wrong with checker_exception', () => {
  // An acceptable value that is a string where a dict is compared key by key: Python fails on it.
  const d = doc('book', { options: { type: 'dict' } }, ['options']);
  const answer: BfclExpectedCall[] = [{ name: 'book', params: { options: [{ room: ['x'] }, 'optionsVar'] } }];
  const r = check('simple', [d], answer, calls(['book', { options: { pool: true } }]));
  assert.equal(verdict(r), 'checker_exception');
  assert.match(r.errors[0]!, /raises/);
});
