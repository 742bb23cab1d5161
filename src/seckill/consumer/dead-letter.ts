import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Logger } from '../../infra/logger.js';
import { encodeOrders, type OrderMessage } from '../message.js';
import type { SeckillMetrics } from '../metrics.js';
import type { ConfirmPublisher } from '../publisher.js';
import type { SeckillNames } from '../topology.js';

/** A message in hand and the channel it came on (an ack must go back on that channel). */
export interface Delivery {
  channel: ConfirmChannel;
  message: ConsumeMessage;
}

const ATTEMPTS_HEADER = 'x-gomall-attempts';
const REASON_HEADER = 'x-gomall-reason';

export function attemptsOf(delivery: Delivery): number {
  const value = Number(delivery.message.properties.headers?.[ATTEMPTS_HEADER] ?? 0);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

export interface Settler {
  ack(delivery: Delivery): void;
  /** Back to the queue (a transient failure: nothing was counted as an attempt). */
  requeue(delivery: Delivery): void;
  /** A whole message to the dead-letter queue with the reason in a header, then acked. */
  deadLetter(delivery: Delivery, reason: string, attempts: number): Promise<void>;
  /** One order of a message to the dead-letter queue, with the reason; throws when refused. */
  deadLetterOrder(order: OrderMessage, reason: string, attempts: number): Promise<void>;
  /** One order of a message back to the orders exchange, one more attempt counted; throws when refused. */
  retryOrder(order: OrderMessage, attempts: number): Promise<void>;
  /** A whole message back through the exchange with `routingKey`, one more attempt counted, then acked; throws when refused. */
  retry(delivery: Delivery, routingKey: string, attempts: number): Promise<void>;
}

/**
 * Acks and nacks go to the channel the message came on; after a reconnect that channel is
 * gone and the broker redelivers the message anyway, so settling it is skipped.
 */
export function createSettler(
  publisher: ConfirmPublisher,
  names: SeckillNames,
  metrics: SeckillMetrics,
  logger: Logger,
  current: () => ConfirmChannel | null,
): Settler {
  // Settling a message twice is a channel error that would take every other message down.
  const settled = new WeakSet<ConsumeMessage>();
  const live = (delivery: Delivery) => {
    if (settled.has(delivery.message) || current() !== delivery.channel) return false;
    settled.add(delivery.message);
    return true;
  };
  const settler: Settler = {
    ack(delivery) {
      if (live(delivery)) delivery.channel.ack(delivery.message);
    },
    requeue(delivery) {
      if (live(delivery)) delivery.channel.nack(delivery.message, false, true);
    },
    async deadLetter(delivery, reason, attempts) {
      metrics.deadLettered.inc({ reason: reason.split(':')[0]! });
      logger.warn(
        { reason, attempts, queue: delivery.message.fields.routingKey },
        'seckill: message dead-lettered',
      );
      try {
        await publisher.publish(names.deadLetterExchange, '', delivery.message.content, {
          ...delivery.message.properties.headers,
          [REASON_HEADER]: reason,
          [ATTEMPTS_HEADER]: attempts,
        });
        settler.ack(delivery);
      } catch {
        // The queue's own dead-letter exchange takes it (x-death headers, without our reason).
        if (live(delivery)) delivery.channel.nack(delivery.message, false, false);
      }
    },
    async deadLetterOrder(order, reason, attempts) {
      metrics.deadLettered.inc({ reason: reason.split(':')[0]! });
      logger.warn({ reason, attempts, orderNo: order.order_no }, 'seckill: order dead-lettered');
      await publisher.publish(names.deadLetterExchange, '', encodeOrders([JSON.stringify(order)]), {
        [REASON_HEADER]: reason,
        [ATTEMPTS_HEADER]: attempts,
      });
    },
    async retry(delivery, routingKey, attempts) {
      await publisher.publish(names.exchange, routingKey, delivery.message.content, {
        ...delivery.message.properties.headers,
        [ATTEMPTS_HEADER]: attempts,
      });
      settler.ack(delivery);
    },
    async retryOrder(order, attempts) {
      await publisher.publish(
        names.exchange,
        names.orderKey,
        encodeOrders([JSON.stringify(order)]),
        {
          [ATTEMPTS_HEADER]: attempts,
        },
      );
    },
  };
  return settler;
}

/** Errors that say MySQL or Redis is away, not that the message is bad: retry without counting. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: string; name?: string }).code ?? '';
  const name = (error as { name?: string }).name ?? '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'PROTOCOL_CONNECTION_LOST',
      'ER_LOCK_DEADLOCK',
      'ER_LOCK_WAIT_TIMEOUT',
    ].includes(code) ||
    name === 'KnexTimeoutError' ||
    name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable/.test((error as Error).message ?? '')
  );
}
