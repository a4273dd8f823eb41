#!/usr/bin/env node
// Node 20's `--test` does not discover .ts files by itself (it would exit 0 having run
// nothing), so the test files are listed here explicitly.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

// test/integration/ (long runs against external trainers) runs only when asked for: `npm run test:integration`.
const integration = join('test', 'integration') + '/';
const files = collect(join(root, 'test')).filter((f) => (filters.length === 0 ? !f.startsWith(integration) : filters.some((p) => f.includes(p))));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
// Two files at a time: many tests wait on servers and child processes, so on 2 cores the
// suite takes 7.5 minutes instead of 10 (each file still has its own temp dirs and ports).
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
