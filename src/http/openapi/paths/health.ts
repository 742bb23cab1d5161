import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Reason } from '../../../errors/reason.js';
import { registerOperation } from '../operation.js';

const checks = z
  .record(z.string())
  .describe(
    'Each dependency (mysql, redis, rabbitmq): "up", or "down" with an error code or timeout (never an address; the log has the detail)',
  );

/** src/health/routes.ts: mounted at the root, before the rate limiters. */
export function healthPaths(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'get',
    path: '/health',
    tag: 'ops',
    summary: 'Liveness: the process answers',
    access: 'public',
    ok: { status: 200, description: 'Up', data: z.object({ status: z.literal('ok') }).strict() },
  });

  registerOperation(registry, {
    method: 'get',
    path: '/ready',
    tag: 'ops',
    summary: 'Readiness: MySQL, Redis and RabbitMQ answer',
    access: 'public',
    ok: {
      status: 200,
      description: 'Every dependency answers',
      data: z.object({ status: z.literal('ready'), checks }).strict(),
    },
    failures: [
      {
        status: 503,
        reasons: [Reason.Busy],
        when: 'A dependency is down; `msg` names it',
        msg: 'not ready: redis down',
        data: {
          schema: z.object({ status: z.literal('not ready'), checks }).strict(),
          example: {
            status: 'not ready',
            checks: { mysql: 'up', redis: 'down: no answer in 1000 ms', rabbitmq: 'up' },
          },
        },
      },
    ],
  });

  registerOperation(registry, {
    method: 'get',
    path: '/metrics',
    tag: 'ops',
    summary: 'Prometheus metrics',
    access: 'public',
    ok: {
      status: 200,
      description: 'Prometheus text exposition format',
      content: { 'text/plain': { schema: { type: 'string' } } },
    },
  });
}
