/**
 * JSON over node:http for looptool's small servers: errors that become JSON answers, a
 * bounded UTF-8 body reader, and the API-key check.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

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
      // The client hung up or broke the framing mid-body: its fault, not the server's.
      reject(new HttpError(400, `request body ended before it was complete (${e.message}, after ${size} bytes)`, 'body_incomplete'));
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
      if (text.trim() === '') {
        reject(new HttpError(400, 'request body is empty; expected JSON', 'empty_body'));
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

/** What node:http's parser reports along with a request it could not read. */
export interface ClientError extends Error {
  code?: string;
  /** The parser's own words, e.g. "Invalid character in chunk size". */
  reason?: string;
}

/**
 * The answer to a request node:http could not parse (broken chunk framing, a Content-Length
 * that is not a number or contradicts Transfer-Encoding, headers too large), in the JSON
 * error shape instead of Node's bare `400 Bad Request`. The connection's framing is lost,
 * so the answer closes it. Returns undefined when nothing can be sent: the client is gone,
 * or the answer to an earlier request on the socket is still being written.
 */
export function clientErrorAnswer(e: ClientError, socket: Duplex, pending: ServerResponse | undefined): { error: HttpError; raw: string } | undefined {
  const midAnswer = pending !== undefined && pending.headersSent && !pending.writableFinished;
  if (e.code === 'ECONNRESET' || !socket.writable || midAnswer) return undefined;
  // the statuses node:http's own handler picks for these codes
  const status = ({ HPE_HEADER_OVERFLOW: 431, HPE_CHUNK_EXTENSIONS_OVERFLOW: 413, ERR_HTTP_REQUEST_TIMEOUT: 408 } as Record<string, number>)[e.code ?? ''] ?? 400;
  const what = e.code === 'HPE_INVALID_EOF_STATE' ? 'the client closed its side before the request was complete' : e.reason ?? e.message;
  const error = new HttpError(status, `the request is not valid HTTP: ${what} (${e.code ?? 'parse error'})`, 'malformed_http');
  const text = JSON.stringify(errorBody(error));
  const raw = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`;
  return { error, raw };
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
