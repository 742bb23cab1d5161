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
  timeouts: string;
  orderKey: string;
  delayKey: string;
  timeoutKey: string;
}

export function seckillNames(config: Config): SeckillNames {
  const p = `${config.rabbitmq.prefix}.seckill`;
  const ttl = delayMs(config);
  return {
    exchange: p,
    deadLetterExchange: `${p}.dlx`,
    orders: `${p}.orders`,
    dead: `${p}.dead`,
    // The TTL is part of the name: RabbitMQ refuses to redeclare a queue with other
    // arguments, so a changed timeout simply gets a queue of its own.
    delay: `${p}.delay.${ttl}`,
    timeouts: `${p}.timeouts`,
    orderKey: 'order',
    delayKey: `delay.${ttl}`,
    timeoutKey: 'timeout',
  };
}

const delayMs = (config: Config) => Math.round(config.seckill.payment_timeout_seconds * 1000);

/**
 * Everything durable. The orders queue dead-letters to the DLX (the consumer also publishes
 * there itself, with the reason, after the last attempt); the delay queue holds each
 * timeout message for the payment time, then dead-letters it to the timeouts queue.
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
    await channel.assertQueue(n.delay, {
      durable: true,
      arguments: {
        'x-message-ttl': delayMs(config),
        'x-dead-letter-exchange': n.exchange,
        'x-dead-letter-routing-key': n.timeoutKey,
      },
    });
    await channel.bindQueue(n.delay, n.exchange, n.delayKey);
  };
}
