import type { ConfirmChannel } from 'amqplib';
import { Registry } from 'prom-client';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../infra/logger.js';
import { createOrderService } from '../../order/module.js';
import { invalidateProducts } from '../../product/cache.js';
import { openInfra, type Infra } from '../../runtime/infra.js';
import { seckillMetrics } from '../metrics.js';
import { ConfirmPublisher } from '../publisher.js';
import { SeckillRepository } from '../repository.js';
import { seckillNames, seckillTopology } from '../topology.js';
import { Warmer } from '../warmer.js';
import { createSettler } from './dead-letter.js';
import { OrderConsumer } from './order-consumer.js';
import { ActivityRestorer } from './restorer.js';
import { Sweeper } from './sweeper.js';
import { TimeoutConsumer } from './timeout-consumer.js';

export interface RunningConsumer {
  infra: Infra;
  registry: Registry;
  sweeper: Sweeper;
  warmer: Warmer;
  /** SIGTERM: no new deliveries, the batch in hand is committed and acked, then the pools close. */
  stop(): Promise<void>;
}

export interface ConsumerOptions {
  /** Run the outbox sweeper in this process (default true). */
  sweeper?: boolean;
  /** Warm scheduled activities in this process (default true; seckill.warm_interval_ms). */
  warmer?: boolean;
}

/**
 * `gomall consume` as a function: its own connections (prefetch on the channel), the
 * order and timeout consumers and the sweeper. Tests run it in-process; the command wraps
 * it with signal handling.
 */
export async function startConsumer(
  config: Config,
  logger: Logger,
  options: ConsumerOptions = {},
): Promise<RunningConsumer> {
  const infra = await openInfra(config, logger, {
    topology: seckillTopology(config),
    prefetch: config.seckill.prefetch,
  });
  const registry = new Registry();
  const metrics = seckillMetrics(registry);
  const names = seckillNames(config);
  const repository = new SeckillRepository(infra.db);
  const publisher = new ConfirmPublisher(infra.mq, {
    window: config.seckill.confirm_window,
    confirmTimeoutMs: config.rabbitmq.confirm_timeout_ms,
    metrics,
  });
  const orders = createOrderService({
    config,
    db: infra.db,
    redis: infra.redis,
    logger,
    // A timed-out normal order gives stock back to products (seckill units live in
    // seckill_activities): drop their cached detail; Redis away only leaves it to its TTL.
    invalidateProducts: (ids) =>
      invalidateProducts(infra.redis, config.redis.key_prefix, ids).catch((error: unknown) =>
        logger.warn({ err: error, ids }, 'product cache not invalidated'),
      ),
  });
  const settler = createSettler(publisher, names, metrics, logger, () => infra.mq.channel);
  const orderConsumer = new OrderConsumer({
    config,
    db: infra.db,
    redis: infra.redis,
    repository,
    publisher,
    names,
    settler,
    metrics,
    logger,
  });
  const timeoutConsumer = new TimeoutConsumer({ config, names, orders, settler, logger });
  const sweeper = new Sweeper({
    config,
    redis: infra.redis,
    repository,
    publisher,
    names,
    orders,
    logger,
  });
  const warmer = new Warmer({
    redis: infra.redis,
    keyPrefix: config.redis.key_prefix,
    repository,
    logger,
    intervalMs: config.seckill.warm_interval_ms,
  });

  const restorer = new ActivityRestorer({
    config,
    redis: infra.redis,
    repository,
    names,
    channel: () => infra.mq.channel,
    metrics,
    logger,
  });

  const subscribe = async (channel: ConfirmChannel) => {
    await orderConsumer.start(channel);
    await timeoutConsumer.start(channel);
  };
  // After a reconnect the channel is new: consume again (unacked messages are redelivered),
  // and publish at once what the outbox parked while the broker was away.
  infra.mq.on('ready', (channel: ConfirmChannel) => {
    subscribe(channel).catch((error: unknown) =>
      logger.error({ err: error }, 'seckill consumer: resubscribe failed'),
    );
    if (options.sweeper !== false) sweeper.kick();
  });
  try {
    await subscribe(infra.mq.channel!);
  } catch (error) {
    await infra.close();
    throw error;
  }
  if (options.sweeper !== false) sweeper.start();
  restorer.start();
  if (options.warmer !== false) warmer.start();
  logger.info(
    { queue: names.orders, batch: config.seckill.batch_size, prefetch: config.seckill.prefetch },
    'seckill consumer ready',
  );

  let stopping: Promise<void> | undefined;
  return {
    infra,
    registry,
    sweeper,
    warmer,
    stop: () =>
      (stopping ??= (async () => {
        await warmer.stop();
        await sweeper.stop();
        await restorer.stop();
        await orderConsumer.stop();
        await timeoutConsumer.stop();
        await infra.close();
      })()),
  };
}
