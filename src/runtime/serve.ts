import type { Server } from 'node:http';
import { createJwtCodec } from '../auth/jwt.js';
import type { Config } from '../config/schema.js';
import { createApp } from '../http/app.js';
import type { Logger } from '../infra/logger.js';
import { createMetrics } from '../infra/metrics.js';
import { openInfra, type Infra } from './infra.js';
import { listen, portOf, shutdown } from './http-server.js';

export interface RunningServer {
  server: Server;
  port: number;
  infra: Infra;
  /** Graceful stop: no new connections, requests in flight finish, pools close. */
  stop(): Promise<boolean>;
}

/** Opens the services, builds the app and listens. Signals are the caller's business. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const infra = await openInfra(config, logger);
  const app = createApp({
    config,
    db: infra.db,
    redis: infra.redis,
    mq: infra.mq,
    logger,
    metrics: createMetrics(),
    jwt: createJwtCodec(config.jwt),
  });
  let server: Server;
  try {
    server = await listen(app, config.server.host, config.server.port);
  } catch (error) {
    await infra.close();
    throw error;
  }
  let stopping: Promise<boolean> | undefined;
  return {
    server,
    port: portOf(server),
    infra,
    stop: () =>
      (stopping ??= (async () => {
        const clean = await shutdown(server, config.server.shutdown_timeout_ms);
        await infra.close();
        return clean;
      })()),
  };
}
