import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'looptool.js');
const bfcl = resolve(root, '..', 'shared', 'benchmarks', 'bfcl_v3');
const work = mkdtempSync(join(tmpdir(), 'looptool-import-'));
after(() => rmSync(work, { recursive: true, force: true }));
const looptool = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work });

test('LoopTool records made from BFCL data import and export back byte for byte', () => {
  for (const name of ['BFCL_v3_simple.json', 'BFCL_v3_parallel_multiple.json']) {
    const records = `${name}.looptool.jsonl`;
    assert.equal(looptool('convert', '--from', 'bfcl', '--to', 'looptool', join(bfcl, name), records).status, 0);
    const imported = looptool('import', '--format', 'looptool', records, '--out', 'samples.jsonl');
    assert.equal(imported.status, 0, imported.stderr);
    const count = readFileSync(join(work, records), 'utf8').trim().split('\n').length;
    assert.ok(imported.stderr.startsWith(`read ${count} looptool records from ${records}; wrote ${count} samples to samples.jsonl\n`), imported.stderr);
    // BFCL has a few answers its own function docs reject; they are noted, never skipped or changed.
    assert.doesNotMatch(imported.stderr, /skipped|changes_on_export/);
    assert.equal(looptool('convert', '--from', 'samples', '--to', 'looptool', 'samples.jsonl', 'back.jsonl').status, 0);
    assert.ok(readFileSync(join(work, 'back.jsonl')).equals(readFileSync(join(work, records))), `${name}: the exported file is byte-identical`);
  }
});

test('import prints what it skipped and why, with examples by file and line; --json reports the same', () => {
  const tools = JSON.stringify([{ name: 'f', description: 'F', parameters: { x: { type: 'int', description: 'X' } } }]);
  const lines = [
    JSON.stringify({ id: 1, query: 'f of 2', tools, answers: JSON.stringify([{ name: 'f', arguments: { x: 2 } }]) }),
    '{"id": 2, "query": "broken',
    JSON.stringify({ id: 3, query: 'f of "two"', tools, answers: JSON.stringify([{ name: 'f', arguments: { x: 'two' } }]) }),
    JSON.stringify({ id: 4, tools, answers: '[]' }),
  ];
  writeFileSync(join(work, 'xlam.jsonl'), lines.join('\n') + '\n');
  const r = looptool('import', '--format', 'xlam', 'xlam.jsonl', '--out', 'x.jsonl');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stderr.replace(/(not valid JSON: ).*/, '$1…'),
    'read 4 xlam records from xlam.jsonl; wrote 2 samples to x.jsonl\n' +
      'skipped 2:\n' +
      '  missing_field            1\n' +
      '      xlam.jsonl:4: query: must be a non-empty string\n' +
      '  invalid_json             1\n' +
      '      xlam.jsonl:2: not valid JSON: …\n' +
      'notes (samples kept) 1:\n' +
      '  label_breaks_schema      1\n' +
      '      xlam.jsonl:3: xlam-3-t1: f: arguments.x: expected integer, got string\n',
  );
  const samples = readFileSync(join(work, 'x.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(samples.map((s) => s.id), ['xlam-1-t1', 'xlam-3-t1']);
  const strict = looptool('import', '--format', 'xlam', 'xlam.jsonl', '--out', 'x.jsonl', '--strict', '--json');
  const report = JSON.parse(strict.stdout);
  assert.deepEqual([report.records, report.samples, report.skipped.counts], [4, 1, { missing_field: 1, invalid_json: 1, label_breaks_schema: 1 }]);
  assert.equal(readFileSync(join(work, 'x.jsonl'), 'utf8').trim().split('\n').length, 1, '--strict drops the sample whose label breaks the schema');
});

test('tools check prints the tools of a tool set, writes them with --out for --tools, and names errors by file, line and pointer', () => {
  const api = {
    openapi: '3.0.0',
    paths: { '/weather/{city}': { get: { operationId: 'getWeather', summary: 'Weather in a city', parameters: [{ name: 'city', in: 'path', schema: { type: 'string' } }, { name: 'units', in: 'query', schema: { type: 'string', enum: ['c', 'f'] } }] } } },
  };
  writeFileSync(join(work, 'api.json'), JSON.stringify(api, null, 2));
  const ok = looptool('tools', 'check', 'api.json', '--out', 'api.tools.json');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, 'getWeather(city*, units)\n    Weather in a city\n');
  assert.equal(ok.stderr, '1 tool in api.json; written to api.tools.json\n');
  assert.deepEqual(JSON.parse(readFileSync(join(work, 'api.tools.json'), 'utf8'))[0].parameters.required, ['city']);

  const conversations = [{ from: 'human', value: 'Weather in Oslo?' }, { from: 'function_call', value: '{"name": "getWeather", "arguments": {"city": "Oslo"}}' }];
  writeFileSync(join(work, 'chats.jsonl'), JSON.stringify({ conversations }) + '\n');
  const withTools = looptool('import', '--format', 'sharegpt', 'chats.jsonl', '--tools', 'api.tools.json', '--out', 'chats.samples.jsonl');
  assert.equal(withTools.stderr, 'read 1 sharegpt record from chats.jsonl; wrote 1 sample to chats.samples.jsonl\n');
  assert.equal(JSON.parse(readFileSync(join(work, 'chats.samples.jsonl'), 'utf8')).tools[0].name, 'getWeather');

  api.paths['/weather/{city}'].get.parameters[1]!.schema.type = 'text-ish';
  const badText = JSON.stringify(api, null, 2);
  writeFileSync(join(work, 'bad-api.json'), badText);
  const badLine = badText.slice(0, badText.indexOf('"text-ish"')).split('\n').length;
  const bad = looptool('tools', 'check', 'bad-api.json');
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, `bad-api.json:${badLine}: /paths/~1weather~1{city}/get/parameters/1/schema/type: unknown type "text-ish"; JSON Schema's types are string, number, integer, boolean, array, object and null\n1 error in bad-api.json; no tools loaded\n`);
  const refused = looptool('import', '--format', 'sharegpt', 'chats.jsonl', '--tools', 'bad-api.json', '--out', 'never.jsonl');
  assert.equal(refused.status, 2);
  assert.equal(refused.stderr, `looptool: ${bad.stderr.split('\n')[0]}\n`, 'the same error as tools check, and nothing else');
  assert.ok(!existsSync(join(work, 'never.jsonl')), 'nothing is imported with a broken tool set');
});
