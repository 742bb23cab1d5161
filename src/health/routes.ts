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
export function healthRoutes({ db, redis, mq, metrics }: AppDeps): Router {
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
          return [name, `down: ${error instanceof Error ? error.message : String(error)}`] as const;
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
