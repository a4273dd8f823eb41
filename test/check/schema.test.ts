import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateToolCall } from '../../src/check/schema.ts';
import type { Tool } from '../../src/core/types.ts';
import { PyFloat } from '../../src/core/value.ts';

const tools: Tool[] = [
  {
    name: 'book_trip',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        nights: { type: 'integer' },
        budget: { type: 'number' },
        refundable: { type: 'boolean' },
        cabin: { type: 'string', enum: ['economy', 'business'] },
        stops: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, days: { type: 'integer' } }, required: ['name'] }, maxItems: 3 },
        meta: { type: 'dict' },
      },
      required: ['city', 'nights'],
    },
  },
];

const kinds = (args: Record<string, unknown>, name = 'book_trip'): string[] =>
  validateToolCall({ name, arguments: args as never }, tools).map((v) => `${v.path}:${v.kind}`);

test('a valid call has no violations', () => {
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, budget: 99.5, refundable: false, cabin: 'economy', stops: [{ name: 'Bergen', days: 1 }], meta: { a: 1 } }), []);
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, budget: 100 }), [], 'an integer is a number');
});

test('each problem is named with its path', () => {
  assert.deepEqual(kinds({}, 'book_flight'), ['name:unknown_function']);
  assert.deepEqual(kinds({ city: 'Oslo' }), ['arguments.nights:missing_required']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, pets: true }), ['arguments.pets:unknown_parameter']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: '2' }), ['arguments.nights:wrong_type']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: new PyFloat(2) }), ['arguments.nights:wrong_type'], '2.0 is a float, not an integer');
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, refundable: 1 }), ['arguments.refundable:wrong_type'], '1 is not a boolean');
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, cabin: 'first' }), ['arguments.cabin:not_in_enum']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, stops: [{ name: 'A' }, { days: 1 }, { name: 'C', days: 'x' }] }), ['arguments.stops[1].name:missing_required', 'arguments.stops[2].days:wrong_type']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, stops: [{ name: 'A' }, { name: 'B' }, { name: 'C' }, { name: 'D' }] }), ['arguments.stops:too_many_items']);
  assert.deepEqual(kinds({ city: 'Oslo', nights: 2, meta: [] }), ['arguments.meta:wrong_type'], 'BFCL type "dict" means object');
});

test('odd schemas never throw', () => {
  const odd: Tool[] = [{ name: 'f', parameters: { type: 'object', properties: { a: 'not a schema', b: { type: 42 }, c: { type: ['string', 'null'] } }, required: 'a' } }];
  assert.deepEqual(validateToolCall({ name: 'f', arguments: { a: 1, b: 2, c: null } }, odd), []);
  assert.deepEqual(validateToolCall({ name: 'f', arguments: { c: 3 } }, odd).map((v) => v.kind), ['wrong_type']);
});
