import { Router } from 'express';
import type { AppDeps } from '../http/deps.js';
import { errorEnvelope, send } from '../http/envelope.js';
import { Reason } from '../errors/reason.js';

const PROBE_TIMEOUT_MS = 1000;

type Probe = [name: string, check: () => Promise<unknown>];

function within(ms: number, work: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** /health (the process is up), /ready (its dependencies answer), /metrics (Prometheus). */
/**
 * Why a probe failed, in words that name no address: /ready answers anyone who can reach
 * the port, so "connect ECONNREFUSED 10.0.3.7:6379" stays in the log, not the body.
 */
function publicReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return `down: ${code}`;
  if (error instanceof Error && error.message.startsWith('no answer in'))
    return `down: ${error.message}`;
  return 'down';
}

export function healthRoutes({ db, redis, mq, metrics, logger }: AppDeps): Router {
  const probes: Probe[] = [
    ['mysql', () => db.raw('SELECT 1')],
    ['redis', () => redis.ping()],
    [
      'rabbitmq',
      async () => {
        if (!mq.isOpen()) throw new Error('not connected');
      },
    ],
  ];
  const router = Router();

  router.get('/health', (_req, res) => {
    send(res, 200, { status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const results = await Promise.all(
      probes.map(async ([name, check]) => {
        try {
          await within(PROBE_TIMEOUT_MS, check());
          return [name, 'up'] as const;
        } catch (error) {
          logger.warn({ err: error, dependency: name }, 'readiness probe failed');
          return [name, publicReason(error)] as const;
        }
      }),
    );
    const down = results.filter(([, state]) => state !== 'up').map(([name]) => name);
    if (down.length === 0) {
      send(res, 200, { status: 'ready', checks: Object.fromEntries(results) });
      return;
    }
    res.status(503).json({
      ...errorEnvelope(503, Reason.Busy, `not ready: ${down.join(', ')} down`),
      data: { status: 'not ready', checks: Object.fromEntries(results) },
    });
  });

  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
