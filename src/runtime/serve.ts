import type { Server } from 'node:http';
import { createJwtCodec } from '../auth/jwt.js';
import { LiveConfig, SERVE_LIVE_KEYS, type ReloadOutcome } from '../config/live.js';
import type { Config } from '../config/schema.js';
import { createApp } from '../http/app.js';
import type { Logger } from '../infra/logger.js';
import { createMetrics } from '../infra/metrics.js';
import { createSeckill } from '../seckill/module.js';
import { seckillTopology } from '../seckill/topology.js';
import { openInfra, type Infra } from './infra.js';
import { connectionLimitsOf, listen, portOf, shutdown } from './http-server.js';

export interface RunningServer {
  server: Server;
  port: number;
  infra: Infra;
  /** Graceful stop: no new connections, requests in flight finish, pools close. */
  stop(): Promise<boolean>;
  /** Re-reads the config and applies its live sections; throws (changing nothing) when invalid. */
  reload(): ReloadOutcome;
}

/**
 * Opens the services, builds the app and listens. Signals are the caller's business.
 * `reread` loads the config again from the same layers, for reload().
 */
export async function startServer(
  config: Config,
  logger: Logger,
  reread: () => Config = () => config,
): Promise<RunningServer> {
  const infra = await openInfra(config, logger, {
    topology: seckillTopology(config),
    failFastRedis: true,
  });
  const deps = {
    config,
    db: infra.db,
    redis: infra.redis,
    mq: infra.mq,
    logger,
    metrics: createMetrics(),
    jwt: createJwtCodec(config.jwt),
  };
  const seckill = await createSeckill(deps).catch(async (error: unknown) => {
    await infra.close();
    throw error;
  });
  const app = createApp({ ...deps, seckill });
  const live = new LiveConfig(config, reread, SERVE_LIVE_KEYS);
  live.on('change', (next) => {
    logger.level = next.log.level;
    app.locals.rateLimits?.update(next.ratelimit);
    seckill.limiter.update(next.ratelimit);
  });
  let server: Server;
  try {
    // The lean POST /api/seckill answers in front of express; everything else goes through.
    server = await listen(
      seckill.front(app),
      config.server.host,
      config.server.port,
      connectionLimitsOf(config.server),
    );
  } catch (error) {
    await seckill.close();
    await infra.close();
    throw error;
  }
  let stopping: Promise<boolean> | undefined;
  return {
    server,
    port: portOf(server),
    infra,
    reload: () => live.reload(),
    stop: () =>
      (stopping ??= (async () => {
        const clean = await shutdown(server, config.server.shutdown_timeout_ms);
        await seckill.close();
        await infra.close();
        return clean;
      })()),
  };
}
