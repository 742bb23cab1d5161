import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { JwtCodec } from '../auth/jwt.js';
import { credentialsOf } from '../http/auth.js';
import { envelope, errorEnvelope } from '../http/envelope.js';
import {
  DomainError,
  invalid,
  rateLimited,
  tooLarge,
  unauthorized,
} from '../errors/domain-error.js';
import { Reason } from '../errors/reason.js';
import { clientAddressReader, type TrustProxy } from '../http/client-address.js';
import { answerOf } from '../http/error-answer.js';
import { requestIdOf } from '../http/request-id.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import { GLOBAL_KEY, type RateLimits } from '../ratelimit/rate-limits.js';
import { handleReserve, type ReserveRouteDeps } from './handle-reserve.js';

export interface HotPathDeps extends ReserveRouteDeps {
  jwt: JwtCodec;
  logger: Logger;
  metrics: Metrics;
  /** server.body_limit ("64kb"). */
  bodyLimit: string;
}

const ROUTE = '/api/seckill';
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * POST /api/seckill without express. Express costs ~120 µs a request on this machine, more
 * than the whole reservation, so the one hot route is answered by this handler in front of
 * the app; everything else falls through to express. It keeps every behaviour of the route:
 * the API (per client) and global limits of the app, in that order (same buckets), bearer auth, the body and its
 * validation messages, the per-user seckill limit, the envelope, X-Request-Id, the
 * http_request_duration_seconds histogram and one access-log line per request.
 */
export function seckillFront(
  app: RequestListener & {
    locals?: Record<string, unknown>;
    get?: (setting: string) => unknown;
  },
  deps: HotPathDeps,
): RequestListener {
  const maxBody = parseBytes(deps.bodyLimit);
  // Express's own trust function; without express in front, only the socket's peer counts.
  const trust = app.get?.('trust proxy fn') as TrustProxy | undefined;
  const addressOf = clientAddressReader(trust ?? (() => false));
  // The access line holds only id, method, url, status and time: nothing to redact, and
  // pino's redaction pass was a tenth of the route's CPU.
  const accessLog = deps.logger.child({}, { redact: [] });
  const timers = new Map<number, ReturnType<Metrics['httpDuration']['labels']>>();
  const timerFor = (status: number) => {
    let child = timers.get(status);
    if (!child) {
      child = deps.metrics.httpDuration.labels('POST', ROUTE, String(status));
      timers.set(status, child);
    }
    return child;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const id = requestIdOf(req);
    let status = 202;
    let body: string;
    let headers: Record<string, string> = {};
    try {
      const limits = app.locals?.['rateLimits'] as RateLimits | undefined;
      const { principal, problem } = credentialsOf(deps.jwt, req.headers.authorization);
      const address = addressOf(req);
      // The client's own bucket first: a refused client spends nothing of the instance's.
      await consume(limits, 'api', principal ? `user:${principal.id}` : `ip:${address}`);
      await consume(limits, 'global', GLOBAL_KEY);
      if (!principal) throw unauthorized(problem);
      const input = await readJson(req, maxBody);
      const reservation = await handleReserve(deps, {
        userId: principal.id,
        body: input,
        headers: req.headers,
        address,
      });
      body = JSON.stringify(envelope(202, reservation, 'queued'));
    } catch (error) {
      if (error instanceof DomainError) {
        const answer = answerOf(error);
        status = answer.status;
        headers = answer.headers;
        // The rest of a body refused for its size is not read: the connection cannot be reused.
        if (error.details.tooLarge) headers = { ...headers, Connection: 'close' };
        body = JSON.stringify(answer.body);
      } else {
        status = 500;
        deps.logger.error({ err: error, reqId: id }, 'unhandled error');
        body = JSON.stringify(errorEnvelope(500, Reason.Internal, 'internal error'));
      }
    }
    // Raw header pairs: no header object to build per answer.
    const raw = [
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(body)),
      'X-Request-Id',
      id,
    ];
    for (const name in headers) raw.push(name, headers[name]!);
    res.writeHead(status, raw);
    res.end(body);
    const seconds = (performance.now() - started) / 1000;
    timerFor(status).observe(seconds);
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    accessLog[level](
      {
        req: { id, method: 'POST', url: req.url },
        res: { statusCode: status },
        responseTime: Math.round(seconds * 1000),
      },
      'request completed',
    );
  };

  return (req, res) => {
    if (req.method === 'POST' && isSeckillPath(req.url)) void serve(req, res);
    else app(req, res);
  };
}

function isSeckillPath(url: string | undefined): boolean {
  if (!url?.startsWith(ROUTE)) return false;
  const rest = url.slice(ROUTE.length);
  return rest === '' || rest === '/' || rest.startsWith('?') || rest.startsWith('/?');
}

async function consume(
  limits: RateLimits | undefined,
  name: 'global' | 'api',
  key: string,
): Promise<void> {
  if (!limits) return;
  const verdict = await limits.tryConsume(name, key);
  if (!verdict.ok)
    throw rateLimited(verdict.retryAfterMs / 1000, `too many requests (${name} limit)`);
}

/**
 * The body as express.json would give it: undefined unless JSON, {} when empty, 400/413 when
 * bad. It stops at the limit: a Content-Length over it is refused before reading, and a body
 * that grows past it is refused at once, not read to its end (the answer closes the
 * connection, whose unread rest is then discarded with it).
 */
function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const typed = JSON_TYPE.test(req.headers['content-type'] ?? '');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes)
    return Promise.reject(tooLarge('body: too large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(tooLarge('body: too large'));
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (!typed) return resolve(undefined);
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
        .toString('utf8')
        .trim();
      if (text === '') return resolve({});
      // express.json is strict: only an object or an array is a body.
      if (text[0] !== '{' && text[0] !== '[') return reject(invalid('body: not valid JSON'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(invalid('body: not valid JSON'));
      }
    });
  });
}

/** "64kb" → 65536, as the body-parser of express reads server.body_limit. */
export function parseBytes(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (!match) throw new Error(`server.body_limit: cannot read "${limit}"`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[
    (match[2] ?? 'b').toLowerCase() as 'b'
  ];
  return Math.floor(Number(match[1]) * unit);
}
