import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { validateToolCall } from '../../../src/check/schema.ts';
import { lineOfPointer, valueAtPointer } from '../../../src/core/tools/json-pointer.ts';
import { loadToolSet, parseToolFile, type ToolSetResult } from '../../../src/core/tools/load-tool-set.ts';
import type { Tool } from '../../../src/core/types.ts';
import { DOMAINS, toolSpec } from '../../../src/world/catalog.ts';
import { generateSplit } from '../../../src/world/generate.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-toolsets-'));
after(() => rmSync(work, { recursive: true, force: true }));

function write(path: string, value: unknown): string {
  const full = join(work, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return full;
}

function tools(result: ToolSetResult): Tool[] {
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.errors));
  return result.tools;
}

test('JSON pointers: escaped tokens, values, and the line a pointer lands on', () => {
  const text = '{\n  "paths": {\n    "/a~b": [\n      1,\n      {"x": 2}\n    ]\n  },\n  "k\\"ey": true\n}';
  const doc = JSON.parse(text);
  assert.equal(valueAtPointer(doc, '/paths/~1a~0b/1/x'), 2);
  assert.equal(lineOfPointer(text, '/paths/~1a~0b/1/x'), 5);
  assert.equal(lineOfPointer(text, '/paths/~1a~0b/0'), 4);
  assert.equal(lineOfPointer(text, '/k"ey'), 8);
  assert.equal(lineOfPointer(text, ''), 1);
  assert.equal(lineOfPointer(text, '/paths/~1a~0b/1/missing'), 5, 'a missing key lands on the object it is missing from');
  assert.equal(lineOfPointer(text, '/paths/~1a~0b/7'), 3, 'an index past the end lands on the list');
  assert.equal(valueAtPointer(doc, 'paths'), undefined, 'not a pointer');
});

test("the world's own tool list (tools.json, with its domain key) loads as the world's tools, and the world's labels fit them", async () => {
  const catalog = DOMAINS.flatMap((d) => d.tools.map((t) => ({ domain: d.name, ...toolSpec(t) })));
  const loaded = tools(await loadToolSet(write('world/tools.json', catalog)));
  assert.deepEqual(loaded, DOMAINS.flatMap((d) => d.tools.map(toolSpec)));
  const samples = generateSplit('base', 60, 3);
  let calls = 0;
  for (const s of samples) {
    if (s.label.kind !== 'calls') continue;
    for (const c of s.label.calls) {
      calls++;
      assert.deepEqual(validateToolCall(c, loaded), [], `${s.id}: ${c.name}`);
    }
  }
  assert.ok(calls > 30, `${calls} calls checked`);
});

test('OpenAI lists, bare function lists, MCP input schemas and BFCL type names come out as one form', async () => {
  const weather = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] };
  const openai = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: weather } }];
  const bare = [{ name: 'get_weather', description: 'Weather', parameters: weather }];
  const mcp = { tools: [{ name: 'get_weather', description: 'Weather', inputSchema: weather }] };
  const bfcl = [{ name: 'get_weather', description: 'Weather', parameters: { type: 'dict', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } }];
  const expected = [{ name: 'get_weather', description: 'Weather', parameters: weather }];
  for (const [name, value] of Object.entries({ openai, bare, mcp, bfcl })) {
    assert.deepEqual(tools(await loadToolSet(write(`lists/${name}.json`, value))), expected, name);
  }
  const noParams = tools(await loadToolSet(write('lists/now.json', { name: 'now' })));
  assert.deepEqual(noParams, [{ name: 'now', parameters: { type: 'object', properties: {}, required: [] } }]);
  const flat = await loadToolSet(write('lists/xlam.json', [{ name: 'search', parameters: { q: { type: 'str', description: 'Query' }, limit: { type: 'int, optional', default: 10 }, tags: { type: 'List[str]' } } }]));
  assert.deepEqual(tools(flat)[0]!.parameters, {
    type: 'object',
    properties: { q: { type: 'string', description: 'Query' }, limit: { type: 'integer', default: 10 }, tags: { type: 'array', items: { type: 'string' } } },
    required: ['q', 'tags'],
  });
  assert.ok(flat.ok && flat.warnings[0]!.includes('flat map'), 'reading a flat map is said');
});

test('a bad tool in a list is named by file, pointer and line; other problems of the same file too', () => {
  const text = JSON.stringify(
    [
      { type: 'function', function: { name: 'ok_tool', parameters: { type: 'object', properties: {} } } },
      { type: 'function', function: { description: 'no name', parameters: { type: 'object' } } },
      { name: 'bad_params', parameters: { type: 'object', properties: { when: { type: 'datetime' }, n: { type: 'integer', enum: [] } }, required: ['when', 'missing'] } },
      { name: 'not_object', parameters: { type: 'array' } },
      'just a string',
    ],
    null,
    2,
  );
  const file = parseToolFile(text, 'tools.json');
  assert.deepEqual(
    file.errors.map((e) => `${e.line} ${e.pointer}: ${e.message}`),
    [
      `${lineOf(text, '"description": "no name"') - 1} /1/function/name: a tool needs a non-empty "name"`,
      `${lineOf(text, '"datetime"')} /2/parameters/properties/when/type: unknown type "datetime"; JSON Schema's types are string, number, integer, boolean, array, object and null`,
      `${lineOf(text, '"enum": []')} /2/parameters/properties/n/enum: enum must be a non-empty list of the allowed values`,
      `${lineOf(text, '"missing"')} /2/parameters/required/1: "missing" is required but is not among the properties`,
      `${lineOf(text, '"array"')} /3/parameters/type: parameters must be of type "object", not "array"`,
      `${lineOf(text, '"just a string"')} /4: a tool must be an object with a "name" and "parameters"`,
    ],
  );
  assert.deepEqual(file.tools.map((t) => t.tool.name), ['ok_tool']);
});

function lineOf(text: string, snippet: string): number {
  const at = text.indexOf(snippet);
  assert.ok(at >= 0, snippet);
  return text.slice(0, at).split('\n').length;
}

test('a ToolBench folder: one tool per API, named as ToolBench names them, across categories', async () => {
  const root = join(work, 'toolenv', 'tools');
  write('toolenv/tools/Logistics/transportistas_de_argentina.json', {
    tool_name: 'Transportistas de Argentina',
    tool_description: 'Quotes and tracking for Argentine carriers.',
    title: 'Transportistas de Argentina',
    api_list: [
      {
        name: '/tracking/correo_argentino/result_task/:task_id',
        url: 'https://example.invalid/tracking',
        description: 'Result for one Task ID.',
        method: 'GET',
        required_parameters: [{ name: 'task_id', type: 'STRING', description: 'Task ID', default: '' }],
        optional_parameters: [],
      },
      {
        name: 'Quote',
        description: ' ',
        method: 'GET',
        required_parameters: [{ name: 'weight', type: 'NUMBER', description: 'Weight in KG', default: '2' }],
        optional_parameters: [
          { name: 'from', type: 'STRING', description: 'Origin', default: '' },
          { name: 'express', type: 'BOOLEAN', description: '', default: false },
          { name: 'date', type: 'DATE (YYYY-MM-DD)', description: 'When', default: '2023-01-01' },
        ],
      },
    ],
  });
  write('toolenv/tools/Gaming/2048_solver.json', { tool_name: '2048 Solver', tool_description: 'Solves 2048', api_list: [{ name: 'Best move', description: 'Next move', required_parameters: [], optional_parameters: [] }] });
  write('toolenv/tools/Gaming/2048_solver/api.py', 'print("not read")\n');
  const loaded = tools(await loadToolSet(root));
  assert.deepEqual(
    loaded.map((t) => t.name),
    ['best_move_for_get_2048_solver', 'tracking_correo_argentino_result_task_task_id_for_transportistas_de_argentina'.slice(-64), 'quote_for_transportistas_de_argentina'],
  );
  assert.deepEqual(loaded[1]!.parameters, { type: 'object', properties: { task_id: { type: 'string', description: 'Task ID' } }, required: ['task_id'] });
  assert.equal(loaded[2]!.description, 'Quotes and tracking for Argentine carriers.', 'a blank API description falls back to the tool description');
  assert.deepEqual(loaded[2]!.parameters, {
    type: 'object',
    properties: {
      weight: { type: 'number', description: 'Weight in KG', examples: ['2'] },
      is_from: { type: 'string', description: 'Origin' },
      express: { type: 'boolean', examples: [false] },
      date: { type: 'string', description: 'When', examples: ['2023-01-01'] },
    },
    required: ['weight'],
  });
  assert.deepEqual(validateToolCall({ name: 'quote_for_transportistas_de_argentina', arguments: { weight: 2.5, is_from: 'Salta' } }, loaded), []);
});

test('a broken ToolBench file is reported with its path, pointer and line, and a name used twice across files is an error', async () => {
  const text = JSON.stringify({ tool_name: 'Broken', api_list: [{ name: 'ok', required_parameters: [] }, { description: 'nameless', required_parameters: [{ type: 'STRING' }] }, { name: 'dup', required_parameters: [{ name: 'a b' }, { name: 'a_b' }] }] }, null, 2);
  write('bench2/Cat/broken.json', text);
  const result = await loadToolSet(join(work, 'bench2'));
  assert.ok(!result.ok);
  const file = join(work, 'bench2', 'Cat', 'broken.json');
  assert.deepEqual(
    result.errors.map((e) => [e.file, e.line, e.pointer]),
    [
      [file, lineOf(text, '"description": "nameless"') - 1, '/api_list/1/name'],
      [file, lineOf(text, '"name": "a_b"'), '/api_list/2/required_parameters/1/name'],
    ],
  );
  const a = write('clash/a.json', [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }]);
  write('clash/b.json', [{ name: 'other', parameters: {} }, { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'integer' } } } }]);
  write('clash/c.json', [{ name: 'other', parameters: {} }]);
  const clash = await loadToolSet(join(work, 'clash'));
  assert.ok(!clash.ok);
  assert.deepEqual(clash.errors.map((e) => [e.pointer, e.line, e.message]), [['/1', 6, `tool name "lookup" is already used by a different tool in ${a} at /0`]]);
});

test('a tool set without tools is an error', async () => {
  assert.deepEqual(await loadToolSet(write('empty/list.json', [])), { ok: false, errors: [{ file: join(work, 'empty/list.json'), pointer: '', message: 'no tools found' }] });
  const noOps = await loadToolSet(write('empty/api.json', { openapi: '3.1.0', paths: {} }));
  assert.ok(!noOps.ok && noOps.errors[0]!.message === 'no tools found');
});
