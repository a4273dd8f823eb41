import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundingIndex, isGrounded } from '../../src/check/grounding.ts';
import type { Message } from '../../src/core/types.ts';

const index = (text: string, extra: Message[] = []) => groundingIndex([{ role: 'user', content: text }, ...extra], 2026);

test('numbers are found however they are written', () => {
  const ix = index('Send $1,200.50 to Ana, then five more, and 3 tickets at USD 49.99');
  for (const n of [1200.5, 5, 3, 49.99]) assert.ok(isGrounded(n, ix), String(n));
  assert.ok(isGrounded('49.99', ix), 'a number written as a string is still the number');
  assert.equal(isGrounded(1200, ix), false);
  assert.equal(isGrounded(4, ix), false);
});

test('dates in several forms ground the ISO value; a date without a year takes the given one', () => {
  for (const text of ['on 2026-03-14', 'on March 14', 'on 14 March', 'on Mar 14', 'on March 14, 2026', 'on 3/14/2026', 'on the 14th of March']) {
    assert.ok(isGrounded('2026-03-14', index(text)), text);
  }
  assert.equal(isGrounded('2026-03-15', index('on March 14')), false);
  assert.equal(isGrounded('2025-03-14', index('on March 14')), false);
});

test('times in 12- and 24-hour forms ground HH:MM', () => {
  assert.ok(isGrounded('14:30', index('at 2:30 pm')));
  assert.ok(isGrounded('14:30', index('at 14:30')));
  assert.ok(isGrounded('09:00', index('at 9am')));
  assert.ok(isGrounded('00:15', index('at 12:15am')));
  assert.equal(isGrounded('02:30', index('at 2:30 pm')), false);
});

test('strings are grounded as whole words, case-insensitively; identifiers may be written with spaces', () => {
  const ix = index('Book a round trip from Paris to New York in economy');
  assert.ok(isGrounded('paris', ix));
  assert.ok(isGrounded('New York', ix));
  assert.ok(isGrounded('round_trip', ix));
  assert.equal(isGrounded('Par', ix), false, 'a prefix of a word is not the word');
  assert.equal(isGrounded('Rome', ix), false);
  assert.equal(isGrounded('', ix), false);
});

test('values from earlier tool results are grounded; defaults need no mention', () => {
  const ix = index('Find flights to Oslo and book the cheapest', [
    { role: 'assistant', toolCalls: [{ name: 'search_flights', arguments: { destination: 'Oslo' } }] },
    { role: 'tool', content: '{"flights": [{"flight_id": "FL-2231", "price": 129.5}]}' },
  ]);
  assert.ok(isGrounded('FL-2231', ix));
  assert.ok(isGrounded(129.5, ix));
  assert.ok(isGrounded('celsius', ix, { default: 'celsius' }));
  assert.equal(isGrounded('fahrenheit', ix, { default: 'celsius' }), false);
});

test('a flag switched on is grounded by a telling word of its name, not by a generic one', () => {
  assert.ok(isGrounded(true, index('Check Rome and list the pollutants'), { name: 'include_pollutants' }));
  assert.equal(isGrounded(true, index('Check the pollution level in Rome'), { name: 'include_pollutants' }), false);
  assert.equal(isGrounded(true, index('Include everything for Rome'), { name: 'include_pollutants' }), false);
  assert.ok(isGrounded(false, index('anything'), { name: 'x' }), 'a flag left off needs no mention');
});

test('arrays and objects are grounded leaf by leaf', () => {
  const ix = index('Invite Ana and Ben, budget 100 to 250');
  assert.ok(isGrounded(['Ana', 'Ben'], ix));
  assert.equal(isGrounded(['Ana', 'Cleo'], ix), false);
  assert.ok(isGrounded({ min: 100, max: 250 }, ix));
  assert.equal(isGrounded({ min: 100, max: 300 }, ix), false);
});

test('a folder is not grounded by a file path that goes on inside it; the folder written alone is', () => {
  assert.equal(isGrounded('/work/archive', index('Please copy /work/archive/old-report.pdf.')), false);
  assert.ok(isGrounded('/work/archive', index('Copy /home/docs/a.txt into /work/archive.')));
  assert.ok(isGrounded('/work/archive/old-report.pdf', index('Please copy /work/archive/old-report.pdf.')));
});

test('a part of a date or time is weak evidence for a number: enough on its own, not strict', () => {
  const ix = index('Schedule it on 2/13/2026 at 19:30 for 3 people.');
  assert.ok(isGrounded(2, ix));
  assert.equal(isGrounded(2, ix, { strict: true }), false);
  assert.equal(isGrounded(30, ix, { strict: true }), false);
  assert.ok(isGrounded(3, ix, { strict: true }));
  assert.ok(isGrounded('2026-02-13', ix));
  // the same for a day beside a month's name and an hour before am or pm
  const words = index('Move EV-391 to 22 August at 3pm, then book Nov 2 for 4 nights.');
  for (const n of [22, 3, 2]) {
    assert.ok(isGrounded(n, words), `${n} alone`);
    assert.equal(isGrounded(n, words, { strict: true }), false, `${n} strict`);
  }
  assert.ok(isGrounded(4, words, { strict: true }));
  assert.ok(isGrounded('2026-08-22', words) && isGrounded('2026-11-02', words) && isGrounded('15:00', words));
});
