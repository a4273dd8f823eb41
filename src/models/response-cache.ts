/**
 * A content-addressed cache of model responses on disk: the key is a hash of everything
 * that determines the answer (endpoint model, mode, messages, tools, sampling options),
 * so a rerun of a stage never pays for the same request twice. One small file per entry,
 * written through a rename: a crash leaves either the whole entry or none.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResponseCache {
  get(key: string): unknown | undefined;
  set(key: string, value: unknown): void;
}

/** A stable key: SHA-256 of the JSON of the request description (keys sorted). */
export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex');
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
}

export class DiskResponseCache implements ResponseCache {
  hits = 0;
  misses = 0;
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): unknown | undefined {
    try {
      const value = JSON.parse(readFileSync(this.path(key), 'utf8')) as unknown;
      this.hits++;
      return value;
    } catch {
      // missing or damaged entries are simply asked again
      this.misses++;
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    const path = this.path(key);
    mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, path);
  }
}

export class MemoryResponseCache implements ResponseCache {
  private readonly map = new Map<string, unknown>();
  get(key: string): unknown | undefined {
    return this.map.get(key);
  }
  set(key: string, value: unknown): void {
    this.map.set(key, value);
  }
}
