import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { validateToolCall } from '../../../src/check/schema.ts';
import { loadToolSet, parseToolFile, type ToolSetResult } from '../../../src/core/tools/load-tool-set.ts';
import type { Tool } from '../../../src/core/types.ts';

const work = mkdtempSync(join(tmpdir(), 'looptool-openapi-'));
after(() => rmSync(work, { recursive: true, force: true }));

const petstore = {
  openapi: '3.0.3',
  info: { title: 'Pets', version: '1' },
  paths: {
    '/pets': {
      get: {
        operationId: 'listPets',
        summary: 'List pets',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } }, { $ref: '#/components/parameters/Species' }, { name: 'session', in: 'cookie', schema: { type: 'string' } }, { name: 'Accept', in: 'header', schema: { type: 'string' } }],
      },
      post: { summary: 'Add a pet', description: 'Stores a new pet.', requestBody: { $ref: '#/components/requestBodies/NewPet' } },
    },
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', description: "The pet's id", schema: { type: 'string' } }],
      get: { operationId: 'pets.get', description: 'One pet' },
      patch: {
        operationId: 'updatePet',
        parameters: [{ name: 'X-Request-Id', in: 'header', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: { allOf: [{ $ref: '#/components/schemas/PetBase' }, { type: 'object', properties: { tag: { type: 'string', nullable: true } } }] },
            },
          },
        },
      },
      delete: { operationId: 'deletePet', requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } } },
    },
  },
  components: {
    parameters: { Species: { name: 'species', in: 'query', required: true, description: 'Which kind', schema: { $ref: '#/components/schemas/Species' } } },
    requestBodies: { NewPet: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
    schemas: {
      Species: { type: 'string', enum: ['cat', 'dog'] },
      PetBase: { type: 'object', properties: { name: { type: 'string' }, species: { $ref: '#/components/schemas/Species' } }, required: ['name'] },
      Pet: {
        allOf: [{ $ref: '#/components/schemas/PetBase' }, { type: 'object', properties: { id: { type: 'integer', readOnly: true }, born: { type: 'string', format: 'date' } }, required: ['id', 'species'] }],
      },
    },
  },
};

function write(name: string, value: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

function tools(result: ToolSetResult): Tool[] {
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.errors));
  return result.tools;
}

test('each operation becomes a tool: names, descriptions, parameters from path, query, header and body, $refs inlined', async () => {
  const result = await loadToolSet(write('petstore.json', petstore));
  const byName = new Map(tools(result).map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()], ['listPets', 'post_pets', 'pets_get', 'deletePet', 'updatePet'], 'paths in order, methods in OpenAPI\'s order');
  assert.deepEqual(byName.get('listPets'), {
    name: 'listPets',
    description: 'List pets',
    parameters: {
      type: 'object',
      properties: { limit: { type: 'integer', maximum: 100 }, species: { type: 'string', enum: ['cat', 'dog'], description: 'Which kind' } },
      required: ['species'],
    },
  });
  // The body's properties are parameters; readOnly ones are not sent; the body is required so its required properties are.
  assert.deepEqual(byName.get('post_pets'), {
    name: 'post_pets',
    description: 'Add a pet\n\nStores a new pet.',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string' }, species: { type: 'string', enum: ['cat', 'dog'] }, born: { type: 'string', format: 'date' } },
      required: ['name', 'species'],
    },
  });
  assert.deepEqual(byName.get('pets_get')!.parameters, { type: 'object', properties: { petId: { type: 'string', description: "The pet's id" } }, required: ['petId'] });
  // allOf merged; nullable became a null type; an optional body's required properties are not required.
  assert.deepEqual(byName.get('updatePet')!.parameters, {
    type: 'object',
    properties: { petId: { type: 'string', description: "The pet's id" }, 'X-Request-Id': { type: 'string' }, name: { type: 'string' }, species: { type: 'string', enum: ['cat', 'dog'] }, tag: { type: ['string', 'null'] } },
    required: ['petId', 'X-Request-Id'],
  });
  assert.deepEqual(byName.get('deletePet')!.parameters, { type: 'object', properties: { petId: { type: 'string', description: "The pet's id" }, body: { type: 'array', items: { type: 'string' } } }, required: ['petId', 'body'] });
  assert.ok(result.ok && result.warnings.some((w) => w.includes(': /paths/~1pets/get/parameters/2: ') && w.includes('cookie parameter "session"')), 'a cookie parameter is left out with a warning');
  assert.ok(result.ok && result.warnings.some((w) => w.includes('operationId "pets.get" becomes the tool name "pets_get"')));
});

test('the schema validator accepts calls that fit the converted tools and names what breaks them', async () => {
  const converted = tools(await loadToolSet(write('petstore-2.json', petstore)));
  assert.deepEqual(validateToolCall({ name: 'listPets', arguments: { species: 'cat', limit: 5 } }, converted), []);
  assert.deepEqual(validateToolCall({ name: 'post_pets', arguments: { name: 'Rex', species: 'dog', born: '2020-01-01' } }, converted), []);
  assert.deepEqual(validateToolCall({ name: 'updatePet', arguments: { petId: '7', 'X-Request-Id': 'r1', tag: null } }, converted), []);
  assert.deepEqual(validateToolCall({ name: 'deletePet', arguments: { petId: '7', body: ['a'] } }, converted), []);
  const kinds = (name: string, args: Record<string, unknown>): string[] => validateToolCall({ name, arguments: args as never }, converted).map((v) => `${v.path}:${v.kind}`);
  assert.deepEqual(kinds('listPets', { limit: 5 }), ['arguments.species:missing_required']);
  assert.deepEqual(kinds('listPets', { species: 'bird' }), ['arguments.species:not_in_enum']);
  assert.deepEqual(kinds('listPets', { species: 'cat', limit: '5' }), ['arguments.limit:wrong_type']);
  assert.deepEqual(kinds('post_pets', { name: 'Rex', species: 'dog', id: 3 }), ['arguments.id:unknown_parameter'], 'a readOnly property is not a parameter');
  assert.deepEqual(kinds('deletePet', { petId: '7', body: [1] }), ['arguments.body[0]:wrong_type']);
});

/** The 1-based line of the first occurrence of `snippet` in `text`. */
function lineOf(text: string, snippet: string, from = 0): number {
  const at = text.indexOf(snippet, from);
  assert.ok(at >= 0, `${snippet} is in the text`);
  return text.slice(0, at).split('\n').length;
}

test('a malformed document gets errors naming the file, the JSON pointer and the line', () => {
  const broken = structuredClone(petstore) as unknown as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  broken.paths['/pets']!['get'] = { operationId: 'listPets', parameters: [{ in: 'query', schema: { type: 'integer' } }, { name: 'species', in: 'query', schema: { type: 'str' } }, { name: 'kind', in: 'body' }] };
  broken.paths['/owners/{id}'] = { put: { parameters: [{ name: 'id', in: 'path', schema: { type: 'string' } }], requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'integer' }, pet: { $ref: '#/components/schemas/Nothing' } } } } } } } };
  broken.components.schemas['Weird'] = { type: 'object', properties: { size: { type: 'str, optional' } }, required: ['size', 'colour'] };
  const text = JSON.stringify(broken, null, 2);
  const file = parseToolFile(text, 'api.json');
  const got = file.errors.map((e) => [e.pointer, e.line, e.message]);
  const weird = text.indexOf('"Weird"');
  assert.deepEqual(got, [
    ['/components/schemas/Weird/properties/size/type', lineOf(text, '"str, optional"'), 'unknown type "str, optional"; JSON Schema\'s types are string, number, integer, boolean, array, object and null'],
    ['/components/schemas/Weird/required/1', lineOf(text, '"colour"', weird), '"colour" is required but is not among the properties'],
    // A missing key is reported at the object it is missing from, whose brace opens the line before.
    ['/paths/~1pets/get/parameters/0/name', lineOf(text, '"in": "query"') - 1, 'a parameter needs a "name"'],
    ['/paths/~1pets/get/parameters/2/in', lineOf(text, '"in": "body"'), 'parameter "kind" needs "in": path, query, header or cookie'],
    ['/paths/~1owners~1{id}/put/requestBody/content/application~1json/schema/properties/pet/$ref', lineOf(text, '"$ref": "#/components/schemas/Nothing"'), '$ref "#/components/schemas/Nothing" points to nothing in this document'],
    ['/paths/~1owners~1{id}/put/requestBody/content/application~1json/schema/properties/id', lineOf(text, '"id": {', text.indexOf('/owners/{id}')), 'parameter "id" (request body) has the same name as the path parameter; a tool\'s parameters need distinct names'],
  ]);
  // "str" is Python's name for string: read as one, not an error.
  assert.ok(!got.some(([p]) => String(p).includes('parameters/1')));
  assert.ok(file.errors.every((e) => e.file === 'api.json'));
});

test('a $ref cycle with no schema in between is an error; a schema that contains itself is cut once, with a warning', () => {
  const doc = {
    openapi: '3.1.0',
    paths: {
      '/trees': { post: { operationId: 'plantTree', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } } },
      '/loops': { post: { operationId: 'loop', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } },
    },
    components: {
      schemas: {
        Node: { type: 'object', description: 'A tree node', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } }, required: ['label'] },
        A: { $ref: '#/components/schemas/B' },
        B: { $ref: '#/components/schemas/A' },
      },
    },
  };
  const text = JSON.stringify(doc, null, 2);
  const file = parseToolFile(text, 'cycles.json');
  assert.deepEqual(
    file.errors.map((e) => [e.pointer, e.line, e.message]),
    [['/components/schemas/B/$ref', lineOf(text, '"$ref": "#/components/schemas/A"', text.indexOf('"B"')), 'cyclic $ref: /components/schemas/A → /components/schemas/B → /components/schemas/A refers back to itself with no schema in between']],
  );
  assert.deepEqual(file.tools.map((t) => t.tool.name), ['plantTree'], 'the operation with the cycle makes no tool');
  assert.deepEqual(file.tools[0]!.tool.parameters, {
    type: 'object',
    properties: { label: { type: 'string' }, children: { type: 'array', items: { type: 'object', description: 'A tree node' } } },
    required: ['label'],
  });
  assert.equal(file.warnings.length, 1);
  assert.equal(file.warnings[0]!.pointer, '/components/schemas/Node/properties/children/items/$ref');
});

test('Swagger 2.0, YAML and text that is not JSON get errors that say what to do', async () => {
  const swagger = parseToolFile(JSON.stringify({ swagger: '2.0', paths: {} }), 'old.json');
  assert.equal(swagger.errors[0]!.pointer, '/swagger');
  assert.match(swagger.errors[0]!.message, /Swagger 2\.0 is not read; OpenAPI 3\.0 or 3\.1 is/);
  const yaml = await loadToolSet(write('api.yaml', 'openapi: 3.0.0\npaths: {}\n'));
  assert.ok(!yaml.ok);
  assert.match(yaml.errors[0]!.message, /YAML is not read; convert it to JSON first/);
  const yamlInJson = parseToolFile('openapi: 3.0.0\npaths:\n  /a: {}\n', 'api.json');
  assert.match(yamlInJson.errors[0]!.message, /YAML is not read/);
  const bad = parseToolFile('[\n  {"name": "a",\n   "parameters": {}\n  ,]\n', 'bad.json');
  assert.deepEqual([bad.errors[0]!.line, /^not valid JSON/.test(bad.errors[0]!.message)], [4, true]);
  const missing = await loadToolSet(join(work, 'nope.json'));
  assert.deepEqual(missing, { ok: false, errors: [{ file: join(work, 'nope.json'), pointer: '', message: 'no such file or folder' }] });
});

test('a web of schemas that refer to each other is cut at a size limit instead of growing without end', () => {
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) schemas[`S${i}`] = { type: 'object', properties: { a: { type: 'string' }, next: { $ref: `#/components/schemas/S${(i + 1) % 40}` }, list: { type: 'array', items: { $ref: `#/components/schemas/S${(i + 7) % 40}` } } } };
  const doc = { openapi: '3.0.0', paths: { '/s': { post: { operationId: 'postS', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/S0' } } } } } } }, components: { schemas } };
  const started = Date.now();
  const file = parseToolFile(JSON.stringify(doc), 'web.json');
  assert.ok(Date.now() - started < 5000, 'finishes');
  assert.deepEqual(file.errors, []);
  assert.deepEqual(file.tools.map((t) => t.tool.name), ['postS']);
  const objects = (v: unknown): number => (Array.isArray(v) ? v.reduce((n: number, x) => n + objects(x), 0) : v !== null && typeof v === 'object' ? 1 + Object.values(v).reduce((n: number, x) => n + objects(x), 0) : 0);
  assert.ok(objects(file.tools[0]!.tool.parameters) < 1500, `${objects(file.tools[0]!.tool.parameters)} schema objects`);
  assert.ok(file.warnings.some((w) => w.message.startsWith('schema cut here')));
});
