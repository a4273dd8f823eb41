/**
 * The reward server: looptool's tool-call reward over HTTP for trainers that run
 * elsewhere (verl, OpenRLHF, TRL), so there is one reward implementation, not a Python
 * copy drifting from it.
 *
 *   POST /reward               [{response, ground_truth, extra_info?}] → [{score, format_ok, calls_ok, reason}]
 *   POST / and /get_reward     OpenRLHF's {query, prompts, labels} → {rewards, scores, extra_logs}
 *   GET  /health               {status: "ok", variant}
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RewardVariant } from '../check/reward.ts';
import { dumpJson } from '../core/json.ts';
import type { Value } from '../core/value.ts';
import type { Duplex } from 'node:stream';
import { carriesApiKey, clientErrorAnswer, errorBody, HttpError, readJsonBody, sendJsonText, type ClientError } from './http-json.ts';
import { scoreOpenRlhfRequest } from './openrlhf-reward.ts';
import { FieldError } from './request-fields.ts';
import { parseRewardBatch, rewardBatchAnswer, scoreItems } from './reward-batch.ts';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface RewardServerOptions {
  /** Reward rules (default `official`, the LoopTool release's). */
  variant?: RewardVariant;
  /** When set, every request but `/health` needs `Authorization: Bearer <apiKey>` (or Basic auth with it as password). */
  apiKey?: string;
  maxBodyBytes?: number;
  /**
   * Receives one line per refused or failed request. Trainers often log only the status
   * of a failed call (OpenRLHF does), so the reason has to show on the server's side.
   */
  log?: (line: string) => void;
}

type Handler = (body: unknown) => Value;

interface Route {
  method: 'GET' | 'POST';
  /** Whether the route works without the API key (only the liveness probe). */
  open?: boolean;
  /** GET routes answer without reading a body; POST routes get the parsed JSON body. */
  handle: Handler;
}

export function createRewardServer(options: RewardServerOptions = {}): Server {
  const variant = options.variant ?? 'official';
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => {});
  const reward = { variant };

  const openRlhf: Route = { method: 'POST', handle: (body) => scoreOpenRlhfRequest(body, reward) };
  const routes: ReadonlyMap<string, Route> = new Map([
    ['/health', { method: 'GET', open: true, handle: () => ({ status: 'ok', variant }) }],
    ['/reward', { method: 'POST', handle: (body) => rewardBatchAnswer(scoreItems(parseRewardBatch(body), reward)) }],
    ['/get_reward', openRlhf],
    ['/', openRlhf],
  ]);

  async function answer(req: IncomingMessage): Promise<Value> {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.get(path);
    if (!route?.open && options.apiKey !== undefined && !carriesApiKey(req, options.apiKey)) {
      throw new HttpError(401, 'missing or wrong API key (send "Authorization: Bearer <key>")', 'invalid_api_key', null, { 'www-authenticate': 'Bearer' });
    }
    if (!route) throw new HttpError(404, `no route ${path}; this server has POST /reward, POST /get_reward (also POST /) and GET /health`, 'not_found');
    if (req.method !== route.method) throw new HttpError(405, `${path} takes ${route.method}, not ${req.method}`, 'method_not_allowed', null, { allow: route.method });
    const body = route.method === 'POST' ? await readJsonBody(req, maxBody) : undefined;
    try {
      return route.handle(body);
    } catch (e) {
      if (e instanceof FieldError) throw new HttpError(400, e.message, 'invalid_field', e.path);
      throw e;
    }
  }

  function reply(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    const error = e instanceof HttpError ? e : new HttpError(500, `internal error: ${e instanceof Error ? e.message : String(e)}`, 'internal_error');
    log(`${error.status} ${req.method} ${(req.url ?? '/').split('?')[0]}: ${error.message}`);
    sendJsonText(res, error.status, JSON.stringify(errorBody(error)), error.headers);
  }

  // The latest answer on each connection: a parse error that arrives while it is still
  // being written must not put a second answer in the middle of it.
  const answering = new WeakMap<Duplex, ServerResponse>();
  const server = createServer((req, res) => {
    answering.set(req.socket, res);
    answer(req).then(
      (value) => {
        try {
          // dumpJson rather than JSON.stringify: it keeps float scores floats (`1.0`).
          sendJsonText(res, 200, dumpJson(value, { ensureAscii: false, separators: [',', ':'] }));
        } catch (e) {
          reply(req, res, e);
        }
      },
      (e: unknown) => reply(req, res, e),
    );
  });
  server.on('clientError', (e: ClientError, socket: Duplex) => {
    const refusal = clientErrorAnswer(e, socket, answering.get(socket));
    if (refusal) {
      log(`${refusal.error.status} (request not parsed): ${refusal.error.message}`);
      socket.write(refusal.raw);
    }
    // as node:http's own handler does: the framing is lost, so the connection ends here
    socket.destroy();
  });
  return server;
}
