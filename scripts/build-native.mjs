#!/usr/bin/env node
// Builds the optional native kernels (native/kernels.c over the system OpenBLAS) into
// build/looptool_kernels.node. Runs after `npm ci`; it never fails the install: without
// a C compiler, Node's headers or OpenBLAS it says so in one line, and the engine uses
// its TypeScript kernels.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build', 'looptool_kernels.node');
const headers = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
if (!headers) {
  console.log('looptool: native kernels not built (Node headers not found); using the TypeScript kernels');
  process.exit(0);
}
mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const args = ['-O3', '-march=native', '-fopenmp-simd', '-ffast-math', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=looptool_kernels', `-I${headers}`, '-I/usr/include/x86_64-linux-gnu', join(root, 'native', 'kernels.c'), '-o', tmp, '-lopenblas', '-lm', '-pthread'];
const cc = process.env['CC'] ?? 'cc';
const r = spawnSync(cc, args, { encoding: 'utf8' });
if (r.status !== 0) {
  const why = (r.stderr || r.error?.message || '').trim().split('\n').find((l) => /error/i.test(l)) ?? 'compiler failed';
  console.log(`looptool: native kernels not built (${why.trim()}); using the TypeScript kernels. On Debian: apt-get install libopenblas-dev`);
  process.exit(0);
}
renameSync(tmp, out);
console.log(`looptool: built native kernels (${out})`);
