import type { Config } from '../config/schema.js';
import type { ConfirmChannel, Topology } from '../infra/mq.js';

/** Exchange, queue and routing-key names, all under <rabbitmq.prefix>. */
export interface SeckillNames {
  exchange: string;
  deadLetterExchange: string;
  orders: string;
  dead: string;
  /** Holds timeout messages for payment_timeout_seconds, then dead-letters them to `timeouts`. */
  delay: string;
  /** The same for normal orders, for order.payment_timeout_seconds (one queue when equal). */
  orderDelay: string;
  timeouts: string;
  orderKey: string;
  delayKey: string;
  orderDelayKey: string;
  timeoutKey: string;
}

export function seckillNames(config: Config): SeckillNames {
  const p = `${config.rabbitmq.prefix}.seckill`;
  const ttl = delayMs(config.seckill.payment_timeout_seconds);
  const orderTtl = delayMs(config.order.payment_timeout_seconds);
  return {
    exchange: p,
    deadLetterExchange: `${p}.dlx`,
    orders: `${p}.orders`,
    dead: `${p}.dead`,
    // The TTL is part of the name: RabbitMQ refuses to redeclare a queue with other
    // arguments, so a changed timeout simply gets a queue of its own.
    delay: `${p}.delay.${ttl}`,
    orderDelay: `${p}.delay.${orderTtl}`,
    timeouts: `${p}.timeouts`,
    orderKey: 'order',
    delayKey: `delay.${ttl}`,
    orderDelayKey: `delay.${orderTtl}`,
    timeoutKey: 'timeout',
  };
}

const delayMs = (seconds: number) => Math.round(seconds * 1000);

/**
 * Everything durable. The orders queue dead-letters to the DLX (the consumer also publishes
 * there itself, with the reason, after the last attempt); the delay queues (seckill orders',
 * normal orders') hold each timeout message for the payment time, then dead-letter it to the
 * one timeouts queue.
 */
export function seckillTopology(config: Config): Topology {
  const n = seckillNames(config);
  return async (channel: ConfirmChannel) => {
    await channel.assertExchange(n.exchange, 'direct', { durable: true });
    await channel.assertExchange(n.deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(n.dead, { durable: true });
    await channel.bindQueue(n.dead, n.deadLetterExchange, '');
    await channel.assertQueue(n.orders, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': n.deadLetterExchange },
    });
    await channel.bindQueue(n.orders, n.exchange, n.orderKey);
    await channel.assertQueue(n.timeouts, { durable: true });
    await channel.bindQueue(n.timeouts, n.exchange, n.timeoutKey);
    const delays: Array<[string, string, number]> = [
      [n.delay, n.delayKey, config.seckill.payment_timeout_seconds],
      [n.orderDelay, n.orderDelayKey, config.order.payment_timeout_seconds],
    ];
    for (const [queue, key, seconds] of delays) {
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-message-ttl': delayMs(seconds),
          'x-dead-letter-exchange': n.exchange,
          'x-dead-letter-routing-key': n.timeoutKey,
        },
      });
      await channel.bindQueue(queue, n.exchange, key);
    }
  };
}
