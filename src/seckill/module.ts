import type { RequestListener } from 'node:http';
import type { Router } from 'express';
import type { JwtCodec } from '../auth/jwt.js';
import type { Config } from '../config/schema.js';
import type { Knex } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { Metrics } from '../infra/metrics.js';
import type { MqConnection } from '../infra/mq.js';
import { FAIL_FAST_UNTIMED, whenReady, type Redis } from '../infra/redis.js';
import { SeckillLimiter } from '../ratelimit/seckill-limiter.js';
import { ActivityService } from './activity.js';
import { AntiBotService } from './anti-bot.js';
import { AntiBotTokens } from './anti-bot-token.js';
import { ActivityAdmin } from './admin.js';
import { ConfirmationLog } from './confirmations.js';
import { seckillFront } from './hot-path.js';
import { activityKeys, registryKey } from './keys.js';
import { seckillMetrics } from './metrics.js';
import { ConfirmPublisher } from './publisher.js';
import { SeckillRepository } from './repository.js';
import { OrderStream } from './order-stream.js';
import { KnownActivities } from './known-activities.js';
import { Reserver } from './reserve.js';
import { seckillRoutes } from './routes.js';
import { listenForRestock, SoldOutFlags } from './sold-out.js';
import { cachingCodec } from './token-cache.js';
import { seckillNames } from './topology.js';

/** The process's connections and settings the flash sale is built from. */
export interface SeckillDeps {
  config: Config;
  db: Knex;
  redis: Redis;
  mq: MqConnection;
  logger: Logger;
  metrics: Metrics;
  jwt: JwtCodec;
}

export interface SeckillModule {
  activities: ActivityService;
  reserver: Reserver;
  limiter: SeckillLimiter;
  /** Mounted by createApp at /api/seckill. */
  router: Router;
  /** The server's request listener: the lean POST /api/seckill in front of `app` (when seckill.hot_path). */
  front(app: RequestListener): RequestListener;
  /** Records the confirms still buffered and leaves the events channel. */
  close(): Promise<void>;
}

/**
 * One app instance's seckill: its publisher and confirm window, its sold-out flags
 * (subscribed to the activities' stock-back events), the shared per-user limiter, the
 * routes and the lean handler. The connections are the app's own.
 */
export async function createSeckill(deps: SeckillDeps): Promise<SeckillModule> {
  const { config, redis, logger } = deps;
  const keyPrefix = config.redis.key_prefix;
  const metrics = seckillMetrics(deps.metrics.registry, () => readStock(deps));
  const repository = new SeckillRepository(deps.db);
  const activities = new ActivityService({ db: deps.db, redis, keyPrefix, repository });
  const soldOut = new SoldOutFlags(config.seckill.sold_out_ttl_ms);
  const stopListening = await listenForRestock(redis, keyPrefix, soldOut, logger);
  const confirmations = new ConfirmationLog(
    redis,
    keyPrefix,
    config.seckill.confirmed_max_age_ms,
    logger,
  );
  const publisher = new ConfirmPublisher(deps.mq, {
    window: config.seckill.confirm_window,
    confirmTimeoutMs: config.rabbitmq.confirm_timeout_ms,
    metrics,
  });
  // The hot path's own connection, auto-pipelined: the commands of all requests handled in
  // one event-loop turn leave in one write, and their replies come back in one read. It
  // fails fast: with Redis away a buy is 503 BUSY at once, never held until it is back (the
  // reply timeout is the Reserver's, which a stalled event loop does not trip).
  const hot = redis.duplicate({ enableAutoPipelining: true, ...FAIL_FAST_UNTIMED });
  hot.on('error', (error: Error) => logger.warn({ err: error.message }, 'seckill redis error'));
  await whenReady(hot, 10_000).catch((error: unknown) => {
    hot.disconnect();
    throw error;
  });
  const limiter = new SeckillLimiter(config.ratelimit, deps.metrics.rateLimited);
  const orders = new OrderStream(publisher, seckillNames(config), confirmations, logger);
  // The broker is back: what was refused meanwhile goes out now, not at the sweeper's pass.
  const resend = () => orders.resend();
  deps.mq.on('ready', resend);
  const tokens = new AntiBotTokens(config.jwt.secret, config.seckill.token_ttl_seconds);
  const reserver = new Reserver({
    config,
    redis: hot,
    orders,
    known: new KnownActivities(repository),
    soldOut,
    limiter,
    metrics,
    logger,
  });
  return {
    activities,
    reserver,
    limiter,
    router: seckillRoutes({
      activities,
      reserver,
      tokens,
      antiBot: new AntiBotService(redis, keyPrefix, tokens),
      admin: new ActivityAdmin({ redis, keyPrefix, repository }),
    }),
    front: (app) =>
      config.seckill.hot_path
        ? seckillFront(app, {
            reserver,
            tokens,
            jwt: cachingCodec(deps.jwt),
            logger,
            metrics: deps.metrics,
            bodyLimit: config.server.body_limit,
          })
        : app,
    async close() {
      deps.mq.off('ready', resend);
      await confirmations.flush();
      await stopListening();
      hot.disconnect();
    },
  };
}

async function readStock(deps: SeckillDeps): Promise<Array<[number, number]>> {
  const prefix = deps.config.redis.key_prefix;
  const products = (await deps.redis.smembers(registryKey(prefix))).map(Number);
  if (products.length === 0) return [];
  const stocks = await deps.redis.mget(products.map((id) => activityKeys(prefix, id).stock));
  return products.map((id, i) => [id, Number(stocks[i] ?? 0)]);
}
