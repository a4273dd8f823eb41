import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pythonCallList } from '../../../src/cli/import.ts';
import { importRecords, importText } from '../../../src/core/convert/import.ts';
import { sampleToLoopTool } from '../../../src/core/convert/looptool.ts';
import { stringifyJson } from '../../../src/core/json.ts';
import { Rng } from '../../../src/core/random.ts';
import { SampleSchema, seedProvenance, type Sample } from '../../../src/core/types.ts';
import { cloneValue, isPlainObject, PyFloat, type Value } from '../../../src/core/value.ts';
import { generateSplit } from '../../../src/world/generate.ts';

const weatherTool = { name: 'get_weather', description: 'Weather now, in °C', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } };

const madeSamples: Sample[] = [
  {
    id: 'a',
    tools: [weatherTool],
    messages: [
      { role: 'user', content: 'Weather in Zürich and Tōkyō?' },
      { role: 'assistant', toolCalls: [{ name: 'get_weather', arguments: { city: 'Zürich' } }, { name: 'get_weather', arguments: { city: 'Tōkyō', days: 2 } }] },
      { role: 'tool', content: '{"temp": 3.0}' },
      { role: 'tool', content: '{"temp": 11}' },
      { role: 'assistant', content: 'Cold and mild.' },
      { role: 'user', content: 'And in Oslo, 1.5 days?' },
    ],
    label: { kind: 'calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: new PyFloat(1), ratio: 1e-7 } }] },
    provenance: seedProvenance(),
    meta: { date: '2025-06-01' },
  },
  { id: 'b', tools: [weatherTool], messages: [{ role: 'user', content: 'Weather?' }], label: { kind: 'text', text: 'Which city?\nI need one.' }, provenance: seedProvenance() },
];

const jsonl = (records: readonly unknown[]): string => records.map((r) => stringifyJson(r as Value)).join('\n') + '\n';

test('LoopTool records imported and exported again are byte-identical: records made here and the world\'s', () => {
  const records = [...madeSamples, ...generateSplit('seed', 200, 11)].map((s) => sampleToLoopTool(s));
  const text = jsonl(records);
  const result = importText('looptool', text, 'loop.jsonl');
  assert.equal(result.records, records.length);
  assert.deepEqual(result.skipped.counts, {});
  assert.deepEqual(result.notes.counts, {});
  assert.equal(jsonl(result.samples.map((s) => sampleToLoopTool(s))), text);
  assert.deepEqual(result.samples[0]!.label, madeSamples[0]!.label);
  assert.equal(result.samples[0]!.provenance.origin, 'loop.jsonl:1');
  // One JSON array (as json.dump of a list writes it) reads the same, with each record's own line.
  const array = `[\n${records.slice(0, 3).map((r) => `  ${stringifyJson(r as unknown as Value)}`).join(',\n')}\n]\n`;
  const fromArray = importText('looptool', array, 'loop.json');
  assert.deepEqual(fromArray.samples.map((s) => s.provenance.origin), ['loop.json:2', 'loop.json:3', 'loop.json:4']);
});

test('LoopTool records: bad ones are skipped by reason with their lines, and records that would not come back are noted', () => {
  const good = sampleToLoopTool(madeSamples[0]!);
  const spaced = { ...sampleToLoopTool(madeSamples[1]!), input: '  Weather?  ' };
  const text = [stringifyJson(good as unknown as Value), '{"instruction": "x", "input": 3, "output": "y"}', '{not json', '[1, 2]', stringifyJson({ ...good, instruction: 'no tools here' }), stringifyJson(spaced as unknown as Value), stringifyJson({ ...good, id: 7 } as unknown as Value)].join('\n');
  const result = importText('looptool', text, 'mixed.jsonl');
  assert.equal(result.records, 7);
  assert.equal(result.samples.length, 3);
  assert.deepEqual(result.skipped.counts, { missing_field: 1, not_an_object: 1, bad_field: 1, invalid_json: 1 });
  assert.deepEqual(
    result.skipped.examples.map((e) => [e.line, e.reason, e.field]),
    [
      [2, 'missing_field', 'input'],
      [4, 'not_an_object', undefined],
      [5, 'bad_field', 'instruction'],
      [3, 'invalid_json', undefined],
    ],
  );
  assert.deepEqual(result.notes.counts, { changes_on_export: 1, extra_keys_dropped: 1 });
  assert.deepEqual(result.notes.examples.map((e) => [e.line, e.reason, e.field]), [[6, 'changes_on_export', 'input'], [7, 'extra_keys_dropped', undefined]]);
  assert.match(result.notes.examples[0]!.message, /from character 0 on \("  Weather\?  " becomes "Weather\?"\)/);
});

const toolAceSystem =
  'You are an expert in composing functions. Here is a list of functions in JSON format that you can invoke:\n' +
  JSON.stringify([
    { name: 'Market Trends API', description: 'Trends of a market', parameters: { type: 'dict', properties: { region: { type: 'string' }, top: { type: 'int' } }, required: ['region'] } },
    { name: 'convert_currency', description: 'Convert money', parameters: { type: 'dict', properties: { amount: { type: 'float' }, to: { type: 'string' } }, required: ['amount', 'to'] } },
  ]) +
  '.\nShould you decide to return the function call(s), put them in the format of [func1(params_name=params_value)]';

test('ToolACE: tools from the system text, Python call lists as labels, one sample per assistant turn', () => {
  const record = {
    system: toolAceSystem,
    conversations: [
      { from: 'user', value: 'Market trends in the US, top 3, and 10 EUR in USD?' },
      { from: 'assistant', value: '[Market Trends API(region="US", top=3), convert_currency(amount=10.0, to="USD")]' },
      { from: 'tool', value: '[{"name": "Market Trends API", "results": {"trends": ["AI"]}}, {"name": "convert_currency", "results": {"value": 10.8}}]' },
      { from: 'assistant', value: 'AI is trending; 10 EUR is 10.80 USD.' },
    ],
  };
  const result = importRecords('toolace', [{ line: 1, value: record as unknown as Value }], 'toolace.json', { parseCalls: pythonCallList });
  assert.deepEqual(result.skipped.counts, {});
  assert.deepEqual(result.samples.map((s) => s.id), ['toolace-1-t1', 'toolace-1-t3']);
  const [first, second] = result.samples;
  assert.deepEqual(first!.tools.map((t) => t.parameters['type']), ['object', 'object'], "ToolACE's dict is JSON Schema's object");
  assert.deepEqual(first!.tools[1]!.parameters['properties'], { amount: { type: 'number' }, to: { type: 'string' } });
  assert.deepEqual(first!.label, { kind: 'calls', calls: [{ name: 'Market Trends API', arguments: { region: 'US', top: 3 } }, { name: 'convert_currency', arguments: { amount: new PyFloat(10), to: 'USD' } }] });
  assert.deepEqual(second!.label, { kind: 'text', text: 'AI is trending; 10 EUR is 10.80 USD.' });
  assert.deepEqual(second!.messages.slice(1).map((m) => m.role), ['assistant', 'tool', 'tool']);
  const callsOnly = importRecords('toolace', [{ line: 1, value: record as unknown as Value }], 'toolace.json', { parseCalls: pythonCallList, callsOnly: true });
  assert.equal(callsOnly.samples.length, 1);
  assert.deepEqual(callsOnly.skipped.counts, { text_reply_left_out: 1 });
});

test('ToolACE: an unparseable call list or a system text without tools skips the record, saying where', () => {
  const bad = { system: toolAceSystem, conversations: [{ from: 'user', value: 'x' }, { from: 'assistant', value: '[convert_currency(amount=, to="USD")]' }] };
  const noTools = { system: 'Be helpful.', conversations: [{ from: 'user', value: 'hi' }, { from: 'assistant', value: 'hello' }] };
  const result = importRecords('toolace', [{ line: 3, value: bad as unknown as Value }, { line: 9, value: noTools as unknown as Value }], 'toolace.json', { parseCalls: pythonCallList });
  assert.equal(result.samples.length, 0);
  assert.deepEqual(result.skipped.examples.map((e) => [e.line, e.reason, e.field]), [[3, 'unparseable_call', 'conversations[1].value'], [9, 'no_tools', 'system']]);
  const given = importRecords('toolace', [{ line: 9, value: noTools as unknown as Value }], 'toolace.json', { parseCalls: pythonCallList, tools: [weatherTool] });
  assert.deepEqual(given.samples.map((s) => s.tools.map((t) => t.name)), [['get_weather']], '--tools stand in for a missing tool list');
});

test('xLAM: JSON-string tools with flat parameter maps and answers; an empty answer list is a no-fit reply', () => {
  const tools = JSON.stringify([{ name: 'live_giveaways_by_type', description: 'Giveaways by type.', parameters: { type: { description: 'Kind of giveaway', type: 'str', default: 'game' }, limit: { description: 'How many', type: 'int, optional' }, platforms: { description: 'Platforms', type: 'List[str]' } } }]);
  const records = [
    { id: 0, query: 'Any beta giveaways on pc?', tools, answers: JSON.stringify([{ name: 'live_giveaways_by_type', arguments: { type: 'beta', platforms: ['pc'] } }]) },
    { id: 1, query: 'Who won in 2019?', tools, answers: '[]' },
    { id: 2, query: 'x', tools, answers: '[{"name": "f", "arguments": ' },
    { id: 3, tools, answers: '[]' },
  ];
  const result = importText('xlam', JSON.stringify(records, null, 2), 'xlam_60k.json');
  assert.equal(result.records, 4);
  assert.deepEqual(result.samples.map((s) => s.id), ['xlam_60k-0-t1', 'xlam_60k-1-t1']);
  const [first, second] = result.samples;
  assert.deepEqual(first!.tools[0]!.parameters, {
    type: 'object',
    properties: { type: { type: 'string', description: 'Kind of giveaway', default: 'game' }, limit: { type: 'integer', description: 'How many' }, platforms: { type: 'array', items: { type: 'string' }, description: 'Platforms' } },
    required: ['platforms'],
  });
  assert.deepEqual(first!.messages, [{ role: 'user', content: 'Any beta giveaways on pc?' }]);
  assert.deepEqual(first!.label, { kind: 'calls', calls: [{ name: 'live_giveaways_by_type', arguments: { type: 'beta', platforms: ['pc'] } }] });
  assert.deepEqual(second!.label, { kind: 'text', text: 'None of the available functions can be used for this request.' });
  assert.deepEqual(result.skipped.examples.map((e) => [e.reason, e.field]), [['bad_answers', 'answers'], ['missing_field', 'query']]);
});

test('ShareGPT: human/gpt and function_call/observation turns, counts of what was left out, tools given for conversations without', () => {
  const conversations = [
    { from: 'human', value: 'Weather in Oslo?' },
    { from: 'function_call', value: '{"name": "get_weather", "arguments": {"city": "Oslo"}}' },
    { from: 'observation', value: 'Sunny, 18 degrees' },
    { from: 'gpt', value: 'Sunny and 18 °C.' },
    { from: 'human', value: 'And Bergen?' },
    { from: 'function_call', value: '{"name": "get_weather", "arguments": {"city": "Bergen"}}' },
    { from: 'observation', value: '{"error": "service down"}' },
    { from: 'gpt', value: 'The service is down.' },
  ];
  const result = importRecords('sharegpt', [{ line: 1, value: { id: 'c1', tools: JSON.stringify([weatherTool]), conversations } as unknown as Value }], 'chats.jsonl');
  assert.deepEqual(result.samples.map((s) => s.id), ['c1-t1', 'c1-t3', 'c1-t7']);
  assert.deepEqual(result.samples[1]!.messages[2], { role: 'tool', content: 'Sunny, 18 degrees' });
  assert.deepEqual(result.skipped.counts, { tool_error_followed: 1 });
  assert.equal(result.skipped.examples[0]!.line, 1);
  const none = importRecords('sharegpt', [{ line: 4, value: { conversations } as unknown as Value }], 'chats.jsonl');
  assert.deepEqual(none.skipped.examples.map((e) => [e.line, e.reason, e.field]), [[4, 'no_tools', 'tools']]);
  const given = importRecords('sharegpt', [{ line: 4, value: { conversations } as unknown as Value }], 'chats.jsonl', { tools: [weatherTool], callsOnly: true });
  assert.deepEqual(given.samples.map((s) => s.label.kind), ['calls']);
  assert.deepEqual(given.skipped.counts, { tool_error_followed: 1, text_reply_left_out: 2 });
});

test('odd type names in public data keep the record and are noted; a structural problem in its tools skips it', () => {
  const tools = [{ name: 'book', description: 'Book a slot', parameters: { type: 'dict', properties: { when: { type: 'datetime' }, seats: { type: 'int' } }, required: ['when'] } }];
  const conversations = [{ from: 'user', value: 'Book 2 seats at noon' }, { from: 'assistant', value: '[{"name": "book", "arguments": {"when": "12:00", "seats": 2}}]' }];
  const kept = importRecords('sharegpt', [{ line: 2, value: { tools, conversations } as unknown as Value }], 'odd.jsonl');
  assert.equal(kept.samples.length, 1);
  assert.deepEqual(kept.samples[0]!.tools[0]!.parameters, { type: 'object', properties: { when: { type: 'datetime' }, seats: { type: 'integer' } }, required: ['when'] }, 'tools come out in JSON Schema, odd names as they were');
  assert.deepEqual(kept.notes.examples.map((e) => [e.line, e.reason, e.field]), [[2, 'odd_tool_schema', 'tools[0].parameters.properties.when.type']]);
  const broken = [{ name: 'book', parameters: { type: 'object', properties: { when: { type: 'string' } }, required: ['when', 'where'] } }];
  const skipped = importRecords('sharegpt', [{ line: 5, value: { tools: broken, conversations } as unknown as Value }], 'odd.jsonl');
  assert.deepEqual(skipped.skipped.examples.map((e) => [e.line, e.reason, e.field, e.message]), [[5, 'bad_tools', 'tools[0].parameters.required[1]', '"where" is required but is not among the properties']]);
});

const JUNK: Value[] = [null, 3, -1.5, true, '', '[', '[]', '[f(', '[{"name": 1}]', '{"name": "x"}', 'error', {}, [], [null], { from: 'assistant' }, { name: '', parameters: 'x' }, '[get_weather(city=)]', '\u0000'];

/** A copy of `v` with one value somewhere inside replaced by junk. */
function mutate(v: Value, rng: Rng): Value {
  const copy = cloneValue(v);
  const holders: { parent: Value[] | Record<string, Value>; key: string | number }[] = [];
  const walk = (node: Value): void => {
    if (Array.isArray(node)) node.forEach((x, i) => (holders.push({ parent: node, key: i }), walk(x)));
    else if (isPlainObject(node)) for (const [k, x] of Object.entries(node)) (holders.push({ parent: node, key: k }), walk(x));
  };
  walk(copy);
  if (holders.length === 0) return rng.pick(JUNK);
  const { parent, key } = rng.pick(holders);
  if (rng.chance(0.2) && !Array.isArray(parent)) delete (parent as Record<string, Value>)[key as string];
  else (parent as Record<string | number, Value>)[key] = rng.pick(JUNK);
  return copy;
}

test('importers never throw on mangled records, and every sample they make is a valid sample', () => {
  const looptoolRecord = sampleToLoopTool(madeSamples[0]!) as unknown as Value;
  const toolace = { system: toolAceSystem, conversations: [{ from: 'user', value: 'Trends in the US?' }, { from: 'assistant', value: '[Market Trends API(region="US")]' }, { from: 'tool', value: '[{"name": "Market Trends API", "results": {"t": 1}}]' }, { from: 'assistant', value: 'AI.' }] } as unknown as Value;
  const xlam = { id: 1, query: 'q', tools: JSON.stringify([weatherTool]), answers: JSON.stringify([{ name: 'get_weather', arguments: { city: 'Oslo' } }]) } as unknown as Value;
  const sharegpt = { tools: [weatherTool], conversations: [{ from: 'human', value: 'Oslo?' }, { from: 'function_call', value: '{"name": "get_weather", "arguments": {"city": "Oslo"}}' }, { from: 'observation', value: 'sunny' }, { from: 'gpt', value: 'Sunny.' }] } as unknown as Value;
  const rng = new Rng(2024);
  for (const [format, base] of [['looptool', looptoolRecord], ['toolace', toolace], ['xlam', xlam], ['sharegpt', sharegpt]] as const) {
    const records = Array.from({ length: 300 }, (_, i) => ({ line: i + 1, value: i === 0 ? base : mutate(mutate(base, rng), rng) }));
    const result = importRecords(format, records, `fuzz.${format}`, { parseCalls: pythonCallList });
    assert.ok(result.samples.length > 0 && Object.keys(result.skipped.counts).length > 1, `${format}: some kept, several reasons (${JSON.stringify(result.skipped.counts)})`);
    for (const sample of result.samples) assert.ok(SampleSchema.safeParse(sample).success, `${format}: ${sample.id} is a valid sample`);
  }
});
