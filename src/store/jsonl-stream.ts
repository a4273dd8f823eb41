/**
 * An append-only JSONL stream that survives `kill -9`: each batch is one write followed by
 * an fsync, and on reopening a torn last line (a write cut short) is cut off, so what
 * remains is exactly the records whose batch was committed. Every record carries an `id`;
 * the ids already present tell a resumed stage what not to do again.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/records.ts';
import { parseJson, stringifyJson } from '../core/json.ts';
import { isPlainObject, type Value } from '../core/value.ts';

/** A record of a stage stream: any JSON object with a string `id`. */
export interface StreamRecord {
  id: string;
}

export interface OpenedStream {
  stream: JsonlStream;
  /** Records already in the file, in file order. */
  records: StreamRecord[];
  /** Bytes of a torn last line that were cut off (0 when the file ended cleanly). */
  droppedBytes: number;
}

export class JsonlStream {
  private fd: number | undefined;
  private readonly ids = new Set<string>();

  private constructor(readonly path: string) {}

  /** Opens (creating) the stream, repairing a torn tail, and returns what it already holds. */
  static open(path: string): OpenedStream {
    mkdirSync(dirname(path), { recursive: true });
    const stream = new JsonlStream(path);
    const { records, droppedBytes, validLength } = readCommitted(path);
    stream.fd = openSync(path, 'a+');
    if (droppedBytes > 0) {
      ftruncateSync(stream.fd, validLength);
      fsyncSync(stream.fd);
    }
    for (const r of records) stream.ids.add(r.id);
    return { stream, records, droppedBytes };
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /**
   * Appends a batch durably: one write, one fsync. A record whose id is already in the
   * stream is skipped (a stage that redoes work after a crash does not duplicate it).
   * Returns how many records were written.
   */
  append<R extends StreamRecord>(records: readonly R[]): number {
    if (this.fd === undefined) throw new Error(`stream ${this.path} is closed`);
    const fresh: R[] = [];
    for (const r of records) {
      if (this.ids.has(r.id)) continue;
      this.ids.add(r.id);
      fresh.push(r);
    }
    if (fresh.length === 0) return 0;
    const text = fresh.map((r) => stringifyJson(r as unknown as Value)).join('\n') + '\n';
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, null);
    fsyncSync(this.fd);
    return fresh.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The committed records of a stream file: complete lines only; a bad complete line is an error naming it. */
export function readCommitted(path: string): { records: StreamRecord[]; droppedBytes: number; validLength: number } {
  if (!existsSync(path)) return { records: [], droppedBytes: 0, validLength: 0 };
  const buf = readFileSync(path);
  const lastNewline = buf.lastIndexOf(0x0a);
  const validLength = lastNewline + 1;
  const text = buf.subarray(0, validLength).toString('utf8');
  const records: StreamRecord[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    let value: Value;
    try {
      value = parseJson(raw);
    } catch (e) {
      throw new InputError(path, line, undefined, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isPlainObject(value) || typeof value['id'] !== 'string') throw new InputError(path, line, 'id', 'every record needs a string id');
    records.push(value as unknown as StreamRecord);
  }
  return { records, droppedBytes: buf.length - validLength, validLength };
}
