/**
 * A built-in text corpus for training a tokenizer when the user gives none: tool-calling
 * conversations rendered in the engine's chat format, so the vocabulary fits the JSON,
 * tags and phrasing the model will see.
 */
import type { Message, Tool, ToolCall } from '../core/types.ts';
import { seededRandom } from '../engine/params.ts';
import { renderChat } from './chat-template.ts';

const CITIES = ['Paris', 'Berlin', 'Tokyo', 'New York', 'São Paulo', 'Nairobi', 'Sydney', 'Toronto', 'Mumbai', 'Reykjavík', 'Cairo', 'Seoul'];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'INR', 'BRL', 'CAD'];
const NAMES = ['Alice', 'Bob', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Greta', 'Hiro'];

const TOOLS: Tool[] = [
  {
    name: 'get_weather',
    description: 'Get the current weather and forecast for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' }, days: { type: 'integer', description: 'Forecast days', default: 1 }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  },
  {
    name: 'convert_currency',
    description: 'Convert an amount of money between currencies.',
    parameters: { type: 'object', properties: { amount: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } }, required: ['amount', 'from', 'to'] },
  },
  {
    name: 'create_event',
    description: 'Add an event to the calendar.',
    parameters: { type: 'object', properties: { title: { type: 'string' }, date: { type: 'string', description: 'YYYY-MM-DD' }, attendees: { type: 'array', items: { type: 'string' } } }, required: ['title', 'date'] },
  },
  {
    name: 'send_message',
    description: 'Send a chat message to a contact.',
    parameters: { type: 'object', properties: { to: { type: 'string' }, text: { type: 'string' }, urgent: { type: 'boolean', default: false } }, required: ['to', 'text'] },
  },
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function conversation(rand: () => number): Message[] {
  const kind = Math.floor(rand() * 4);
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  let ask: string;
  let call: ToolCall;
  let result: string;
  let reply: string;
  if (kind === 0) {
    const city = pick(rand, CITIES);
    const days = 1 + Math.floor(rand() * 5);
    ask = `What's the weather in ${city} for the next ${days} days?`;
    call = { name: 'get_weather', arguments: { city, days } };
    result = `{"city": "${city}", "temperature": ${Math.round(rand() * 35)}, "condition": "cloudy"}`;
    reply = `It is cloudy in ${city}.`;
  } else if (kind === 1) {
    const amount = Math.round(rand() * 50000) / 100;
    const from = pick(rand, CURRENCIES);
    const to = pick(rand, CURRENCIES);
    ask = `How much is ${amount} ${from} in ${to}?`;
    call = { name: 'convert_currency', arguments: { amount, from, to } };
    result = `{"converted": ${Math.round(amount * 137) / 100}}`;
    reply = `That is about ${Math.round(amount * 137) / 100} ${to}.`;
  } else if (kind === 2) {
    const who = [pick(rand, NAMES), pick(rand, NAMES)];
    ask = `Schedule a review with ${who.join(' and ')} on 2025-03-${day}.`;
    call = { name: 'create_event', arguments: { title: 'Review', date: `2025-03-${day}`, attendees: who } };
    result = '{"status": "created"}';
    reply = 'The review is on the calendar.';
  } else {
    const to = pick(rand, NAMES);
    ask = `Tell ${to} I'm running 10 minutes late, it's urgent.`;
    call = { name: 'send_message', arguments: { to, text: "I'm running 10 minutes late", urgent: true } };
    result = '{"delivered": true}';
    reply = `I let ${to} know.`;
  }
  return [
    { role: 'user', content: ask },
    { role: 'assistant', toolCalls: [call] },
    { role: 'tool', content: result },
    { role: 'assistant', content: reply },
  ];
}

/** `count` rendered conversations, the same for the same seed. */
export function defaultCorpus(count = 2000, seed = 0): string[] {
  const rand = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const tools = TOOLS.filter(() => rand() < 0.7);
    out.push(renderChat(conversation(rand), tools.length > 0 ? tools : TOOLS, false));
  }
  return out;
}
