/**
 * How requests are dressed: greetings, closings, personas, joining two requests, and the
 * assistant's text replies. Each split owns its own wrappers, so a phrasing instance
 * (core template + wrapper) of the test split never appears in the seed or base data.
 */
import type { Rng } from '../core/random.ts';
import type { Split } from './types.ts';

export interface Wrapper {
  prefix: string;
  suffix: string;
}

const WRAPPERS: Readonly<Record<Split, readonly Wrapper[]>> = {
  seed: [
    { prefix: '', suffix: '' },
    { prefix: 'Hi! ', suffix: '' },
    { prefix: '', suffix: ' Thanks!' },
    { prefix: 'Hello, ', suffix: '' },
    { prefix: 'Quick question: ', suffix: '' },
    { prefix: '', suffix: ' Thank you.' },
    { prefix: 'Hey, ', suffix: ' Cheers.' },
    { prefix: 'Please help me. ', suffix: '' },
  ],
  base: [
    { prefix: 'Hi, ', suffix: '' },
    { prefix: '', suffix: ' Thanks a lot.' },
    { prefix: 'Hey! ', suffix: '' },
    { prefix: 'Excuse me, ', suffix: '' },
    { prefix: '', suffix: ' Much obliged.' },
    { prefix: 'Hello! ', suffix: ' Thanks.' },
    { prefix: 'One thing: ', suffix: '' },
  ],
  test: [
    { prefix: 'Good morning! ', suffix: '' },
    { prefix: '', suffix: ' Appreciate it.' },
    { prefix: 'Hiya, ', suffix: '' },
    { prefix: 'Sorry to bother you, ', suffix: '' },
    { prefix: 'Okay, ', suffix: ' Thanks so much.' },
  ],
};

export function wrappersFor(split: Split): readonly Wrapper[] {
  return WRAPPERS[split];
}

/**
 * Puts a request inside a greeting and closing. After a prefix ending in a comma or colon
 * the request's first letter is lowered, unless the request opens with a value (a name)
 * or with "I".
 */
export function applyWrapper(core: string, wrapper: Wrapper, opensWithValue = false): string {
  let body = core;
  if (/[,:] $/.test(wrapper.prefix) && !opensWithValue && /^[A-Z]/.test(body) && !/^I\b/.test(body)) body = body[0]!.toLowerCase() + body.slice(1);
  return `${wrapper.prefix}${body}${wrapper.suffix}`;
}

const JOINERS: Readonly<Record<Split, readonly string[]>> = {
  seed: ['Also, ', 'And ', 'Then ', 'After that, '],
  base: ['Plus, ', 'Also ', 'And also, '],
  test: ['On top of that, ', 'Additionally, '],
};

/** Joins two requests into one turn ("… right now? Also, what's the AQI in Rome?"). */
export function joinRequests(first: string, second: string, rng: Rng, split: Split, secondOpensWithValue = false): string {
  const joiner = rng.pick(JOINERS[split]);
  const lowered = !secondOpensWithValue && /^[A-Z]/.test(second) && !/^I\b/.test(second) ? second[0]!.toLowerCase() + second.slice(1) : second;
  const head = /[.?!]$/.test(first) ? first : `${first}.`;
  return `${head} ${joiner}${lowered}`;
}

/** A follow-up phrase ("and book the cheapest one.") as a request of its own ("Book the cheapest one."). */
export function asOwnRequest(followUp: string): string {
  const body = followUp.replace(/^(?:and then|and|then|also)\s+/i, '').trim();
  const sentence = body[0]!.toUpperCase() + body.slice(1);
  return /[.?!]$/.test(sentence) ? sentence : `${sentence}.`;
}

export const IRRELEVANT_REPLIES = [
  "I'm sorry, but none of the available tools can help with that.",
  "Sorry, I can't do that with the tools I have.",
  'None of my tools can handle that request, sorry.',
];

/** The assistant asks back for a missing required value, named by its parameter description. */
export function askBackReply(description: string, rng: Rng): string {
  const what = description
    .replace(/,? e\.g\..*$/i, '')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/,? (?:as|in) [A-Z][A-Z0-9:-]+$/, '')
    .replace(/\.$/, '')
    .trim();
  const noun = what[0]!.toLowerCase() + what.slice(1);
  return rng.pick([`Could you tell me the ${noun}?`, `What is the ${noun}? I need it to do that.`, `I need the ${noun} first. Could you give it to me?`]);
}

export const SUMMARY_REPLIES = ['Here is what I found.', 'Done, see the results above.', 'I have the results.', 'All set.'];
