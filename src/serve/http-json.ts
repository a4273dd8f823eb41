/**
 * JSON over node:http for looptool's small servers: errors that become JSON answers, a
 * bounded UTF-8 body reader, and the API-key check.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the server refuses; `status` and `message` go to the client as JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly param: string | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The shape every error answer has: `{"error": {message, type, param, code}}`, as in `looptool serve`. */
export function errorBody(e: HttpError): { error: { message: string; type: string; param: string | null; code: string } } {
  return { error: { message: e.message, type: e.status >= 500 ? 'server_error' : 'invalid_request_error', param: e.param, code: e.code } };
}

export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the whole body as JSON. More than `limit` bytes is a 413 (answered at once; the
 * rest of the upload is read and dropped so the client still sees the answer); bytes that
 * are not UTF-8 or text that is not JSON is a 400.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): HttpError =>
      new HttpError(413, `request body exceeds ${limit} bytes (raise --max-body-mb, or send smaller batches)`, 'body_too_large', null, { connection: 'close' });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => {
      if (settled) return;
      settled = true;
      reject(e);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      let text: string;
      try {
        text = STRICT_UTF8.decode(Buffer.concat(chunks, size));
      } catch {
        reject(new HttpError(400, 'request body is not valid UTF-8', 'invalid_utf8'));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `request body is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 'invalid_json'));
      }
    });
  });
}

function sameSecret(given: string, key: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the key.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(key).digest();
  return timingSafeEqual(a, b);
}

/**
 * Whether the request carries the key: `Authorization: Bearer KEY`, or HTTP Basic auth
 * whose password is KEY. Basic is accepted because clients that cannot set headers
 * (OpenRLHF's `--remote_rm_url`) still send credentials written into the URL
 * (`http://any:KEY@host:port/...`) that way.
 */
export function carriesApiKey(req: IncomingMessage, key: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const space = header.indexOf(' ');
  if (space === -1) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return sameSecret(value, key);
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon !== -1 && sameSecret(decoded.slice(colon + 1), key);
  }
  return false;
}
