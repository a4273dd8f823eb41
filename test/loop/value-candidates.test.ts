import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundingIndex } from '../../src/check/grounding.ts';
import { valueCandidates } from '../../src/loop/value-candidates.ts';

const candidates = (schema: Record<string, never> | Record<string, unknown>, text: string, isFree?: (v: unknown) => boolean) =>
  valueCandidates(schema as never, text, groundingIndex([{ role: 'user', content: text }], 2026), isFree as never);

test('free text offers only marked spans: quotes, paths, e-mail addresses, codes with digits', () => {
  const text = 'Reply to MSG-5295 at ana.lopez@example.com saying "See you at the station", then trash /home/docs/todo.txt. Thanks, Ana!';
  assert.deepEqual(candidates({ type: 'string' }, text), ['See you at the station', '/home/docs/todo.txt', 'ana.lopez@example.com', 'MSG-5295']);
  assert.deepEqual(candidates({ type: 'string' }, 'Play Harbor Song by Aria Sol.'), []);
  assert.deepEqual(candidates({ type: 'string' }, 'Track order ORD-58387, flight on 2026-04-12.'), ['ORD-58387']);
});

test('numbers, dates, times and enums by the schema; parts of dates are not numbers; taken values are left out', () => {
  const text = 'Do I have 90 minutes on May 16 at 3pm, in the work calendar?';
  assert.deepEqual(candidates({ type: 'integer' }, text), [90]);
  assert.deepEqual(candidates({ type: 'string', description: 'Date as YYYY-MM-DD' }, text), ['2026-05-16']);
  assert.deepEqual(candidates({ type: 'string', description: 'Start time as HH:MM' }, text), ['15:00']);
  assert.deepEqual(candidates({ type: 'string', enum: ['work', 'personal'] }, text), ['work']);
  assert.deepEqual(candidates({ type: 'integer' }, text, (v) => v !== 90), []);
  assert.deepEqual(candidates({ type: 'number' }, 'Buy the cheapest one for 12.5.'), [12.5], 'a pronoun is not a number');
});

test('an array of numbers takes every free number, in the order the request gives them', () => {
  const schema = { type: 'array', items: { type: 'number' } };
  assert.deepEqual(candidates(schema, 'The median of 33, seven, 18, 40 and 91?'), [[33, 7, 18, 40, 91]]);
  assert.deepEqual(candidates(schema, 'The median of 33, seven, 18, 40 and 91?', (v) => v !== 18), [[33, 7, 40, 91]]);
  assert.deepEqual(candidates(schema, 'The median of 33, please.'), [], 'one number is no list');
});
